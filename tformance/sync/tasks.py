"""Dramatiq actors of the sync: ids in, load, call one service.

Retries: transient failures (GitHub 5xx after the client's own retries, lost connections)
are retried 3 times, 60 s x 2^n apart; when they run out the repository is marked `error`.
A rate limit is not a failure: the message is sent again, delayed until GitHub's reset.
Permanent failures (revoked token, repository gone, no access) stop at once.
"""

import logging

import dramatiq
from django.utils import timezone
from dramatiq_crontab import cron

from tformance.github.errors import GitHubError, RateLimited

logger = logging.getLogger(__name__)

RETRIES = {"max_retries": 3, "min_backoff": 60_000, "max_backoff": 3_600_000}


class PermanentSyncFailure(Exception):
    """Retrying cannot help; the repository already shows the reason."""


def _delay_ms_until(reset_at) -> int:
    # One extra second: GitHub's reset time is rounded down to the second.
    return max(1_000, int((reset_at - timezone.now()).total_seconds() * 1000) + 1_000)


@dramatiq.actor(
    **RETRIES,
    time_limit=30 * 60_000,
    throws=(PermanentSyncFailure,),
    on_retry_exhausted="sync_repository_failed",
)
def sync_repository(
    *, repository_id: int, full: bool = False, since_iso: str | None = None
) -> None:
    import datetime as dt

    from tformance.pulls.models import TrackedRepository
    from tformance.sync.errors import SyncError
    from tformance.sync.repository import repository_sync

    repository = TrackedRepository.objects.filter(pk=repository_id, is_active=True).first()
    if repository is None:
        logger.info("[sync] repository %s is gone or inactive; nothing to do", repository_id)
        return
    try:
        progress = repository_sync(
            repository=repository,
            full=full,
            since=dt.datetime.fromisoformat(since_iso) if since_iso else None,
            max_seconds=10 * 60,
        )
    except RateLimited as exc:
        logger.info("[sync] %s waits for GitHub's rate limit until %s", repository, exc.reset_at)
        sync_repository.send_with_options(
            kwargs={"repository_id": repository_id, "full": full, "since_iso": since_iso},
            delay=_delay_ms_until(exc.reset_at),
        )
        return
    except SyncError as exc:
        raise PermanentSyncFailure(str(exc)) from exc
    except GitHubError as exc:
        if exc.permanent:
            raise PermanentSyncFailure(str(exc)) from exc
        raise
    if progress.outcome == "paused":
        # Long histories continue in a fresh message, from the checkpoint.
        sync_repository.send(repository_id=repository_id, full=full, since_iso=since_iso)
    elif progress.outcome == "complete":
        from tformance.core.queue import send_on_commit
        from tformance.metrics.tasks import insights_refresh_team

        send_on_commit(insights_refresh_team, team_id=repository.team_id)


@dramatiq.actor(max_retries=0)
def sync_repository_failed(message_data: dict, retry_info: dict) -> None:
    from tformance.pulls.models import TrackedRepository
    from tformance.sync.state import repository_mark_failed

    repository_id = message_data["kwargs"]["repository_id"]
    repository = TrackedRepository.objects.filter(pk=repository_id).first()
    if repository is None:
        return
    reason = repository.last_sync_error or "an unexpected error"
    repository_mark_failed(
        repository_id=repository_id,
        error=f"The sync failed {retry_info.get('retries', 0) + 1} times: {reason}",
    )


@dramatiq.actor(**RETRIES, time_limit=5 * 60_000, throws=(PermanentSyncFailure,))
def sync_team(*, team_id: int, full: bool = False) -> None:
    from tformance.sync.errors import SyncError
    from tformance.sync.services import team_members_sync, team_repositories_sync_enqueue
    from tformance.teams.models import Team

    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        logger.info("[sync] team %s is gone; nothing to do", team_id)
        return
    try:
        team_members_sync(team=team)
    except (SyncError, GitHubError) as exc:
        if isinstance(exc, GitHubError) and not exc.permanent:
            raise
        raise PermanentSyncFailure(str(exc)) from exc
    team_repositories_sync_enqueue(team=team, full=full)


@cron("0 4 * * *")
@dramatiq.actor(max_retries=3, time_limit=5 * 60_000)
def sync_all_repositories() -> None:
    """Every night at 04:00 UTC: an incremental sync of every team."""
    from tformance.sync.services import team_sync_enqueue
    from tformance.teams.models import Team

    for team in Team.objects.filter(github_integration__isnull=False):
        team_sync_enqueue(team=team)


@dramatiq.actor(**RETRIES, time_limit=5 * 60_000, throws=(PermanentSyncFailure,))
def refresh_pull_request(*, pull_request_id: int) -> None:
    from tformance.pulls.models import PullRequest
    from tformance.sync.services import pull_request_refresh

    pull_request = PullRequest.objects.filter(pk=pull_request_id).first()
    if pull_request is None:
        return
    try:
        pull_request_refresh(pull_request=pull_request)
    except GitHubError as exc:
        if exc.permanent:
            raise PermanentSyncFailure(str(exc)) from exc
        raise
