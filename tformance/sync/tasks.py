"""Dramatiq actors of the sync: ids in, load, call one service.

Retries: transient failures (GitHub 5xx after the client's own retries, lost connections)
are retried 3 times, 60 s x 2^n apart; the last attempt ends the run as failed, and so does
`sync_repository_failed` if that attempt died (only if no newer run took over). A rate limit
is not a failure: the message is sent again, delayed until GitHub's reset. Permanent
failures (revoked token, repository gone, no access) stop at once. Every few minutes the
sweeper sends again the syncs whose message was lost.
"""

import datetime as dt
import logging

import dramatiq
from django.utils import timezone
from dramatiq.middleware import CurrentMessage
from dramatiq_crontab import cron

from tformance.core.queue import send_on_commit
from tformance.github.errors import GitHubError
from tformance.metrics.tasks import insights_refresh_team
from tformance.pulls.models import TrackedRepository
from tformance.slack.tasks import slack_alerts_send_team, slack_digest_send_team
from tformance.sync.errors import SyncError
from tformance.sync.repository import Outcome
from tformance.sync.services import (
    repository_sync_queued,
    repository_syncs_sweep,
    team_members_sync,
    team_repositories_sync_enqueue,
    team_sync_enqueue,
)
from tformance.sync.state import repository_sync_failed
from tformance.teams.models import Team

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
def sync_repository(*, repository_id: int, **legacy) -> None:
    if legacy:
        # Messages sent before the request moved into the sync state carried it along.
        logger.info("[sync] ignoring %s of an old message", sorted(legacy))
    repository = TrackedRepository.objects.filter(pk=repository_id, is_active=True).first()
    if repository is None:
        logger.info("[sync] repository %s is gone or inactive; nothing to do", repository_id)
        return
    message_id, retries = _current_message()
    try:
        queued = repository_sync_queued(
            repository=repository,
            message_id=message_id,
            retry_at=_retry_due(retries),
            final=retries >= RETRIES["max_retries"],
        )
    except (SyncError, GitHubError) as exc:
        if exc.permanent:
            raise PermanentSyncFailure(str(exc)) from exc
        raise
    if queued.wait_until is not None:
        sync_repository.send_with_options(
            kwargs={"repository_id": repository_id}, delay=_delay_ms_until(queued.wait_until)
        )
    elif queued.progress is not None and queued.progress.outcome == Outcome.PAUSED:
        # Long histories continue in a fresh message, from the checkpoint.
        sync_repository.send(repository_id=repository_id)
    elif queued.progress is not None and queued.progress.outcome == Outcome.COMPLETE:
        send_on_commit(insights_refresh_team, team_id=repository.team_id)
        send_on_commit(slack_alerts_send_team, team_id=repository.team_id)
        send_on_commit(slack_digest_send_team, team_id=repository.team_id)  # a first one
        if queued.progress.again:
            sync_repository.send(repository_id=repository_id)


def _current_message() -> tuple[str, int]:
    """(id, retries so far) of the message being processed; ("", 0) when called directly."""
    message = CurrentMessage.get_current_message()
    if message is None:
        return "", 0
    return message.message_id, message.options.get("retries", 0)


def _retry_due(retries: int) -> dt.datetime:
    """The latest moment Dramatiq's Retries will run this message again after a failure."""
    # Reference: dramatiq.common.compute_backoff: factor * 2**retries, jittered up to 2x.
    backoff = min(RETRIES["min_backoff"] * 2**retries * 2, RETRIES["max_backoff"])
    return timezone.now() + dt.timedelta(milliseconds=backoff)


@dramatiq.actor(max_retries=0)
def sync_repository_failed(message_data: dict, retry_info: dict) -> None:
    repository_sync_failed(
        repository_id=message_data["kwargs"]["repository_id"],
        message_id=message_data.get("message_id", ""),
        attempts=retry_info.get("retries", 0) + 1,
    )


@dramatiq.actor(**RETRIES, time_limit=5 * 60_000, throws=(PermanentSyncFailure,))
def sync_team(*, team_id: int, full: bool = False) -> None:
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        logger.info("[sync] team %s is gone; nothing to do", team_id)
        return
    try:
        team_members_sync(team=team)
    except (SyncError, GitHubError) as exc:
        if exc.permanent:
            raise PermanentSyncFailure(str(exc)) from exc
        raise
    team_repositories_sync_enqueue(team=team, full=full)


@cron("0 4 * * *")
@dramatiq.actor(max_retries=3, time_limit=5 * 60_000)
def sync_all_repositories() -> None:
    """Every night at 04:00 UTC: an incremental sync of every team."""
    for team in Team.objects.filter(github_integration__isnull=False):
        team_sync_enqueue(team=team)


@cron("*/5 * * * *")
@dramatiq.actor(max_retries=0, time_limit=60_000)
def sync_sweep() -> None:
    """Every five minutes: send again the syncs that are pending or stale with no message."""
    repository_syncs_sweep()
