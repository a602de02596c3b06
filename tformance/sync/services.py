"""Team-level sync services: members, asking for repository syncs, running a queued one,
re-sending lost ones."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tformance.core.queue import actor_named, send_on_commit
from tformance.github.client import GitHubClient
from tformance.github.errors import RateLimited
from tformance.github.models import GitHubIntegration
from tformance.pulls.models import TrackedRepository
from tformance.sync.clients import github_client_for_team
from tformance.sync.people import team_members_mark_org
from tformance.sync.repository import SyncProgress, repository_sync
from tformance.sync.selectors import (
    imported_history,
    repositories_to_resend,
    repository_sync_wanted,
)
from tformance.sync.state import repository_sync_request, repository_sync_resent
from tformance.teams.models import Team

logger = logging.getLogger(__name__)
# A queued run works this long, then continues in a fresh message from its checkpoint.
TIME_SLICE_SECONDS = 10 * 60


def team_members_sync(*, team: Team, client: GitHubClient | None = None) -> tuple[int, int]:
    """Upsert the org's members by GitHub id; members who left become inactive."""
    integration = GitHubIntegration.objects.get(team=team)
    client = client or github_client_for_team(team=team)
    members = client.list_org_members(integration.org_login)
    with transaction.atomic():
        active, left = team_members_mark_org(team=team, members=members)
    logger.info("[sync] %s members: %d active, %d left", integration.org_login, active, left)
    return active, left


def repository_sync_enqueue(
    *,
    repository: TrackedRepository,
    full: bool = False,
    since: dt.datetime | None = None,
    backfill: bool = False,
    free_stalled: bool = False,
) -> None:
    """Ask for a sync of the repository and queue it once the current transaction commits.

    The request is recorded first, so a message lost on the way (the broker is down, the
    web process restarts) is sent again by the sweeper.
    """
    repository_sync_request(
        repository=repository, full=full, since=since, backfill=backfill, free_stalled=free_stalled
    )
    send_on_commit(actor_named("sync_repository"), repository_id=repository.pk)


@transaction.atomic
def team_history_extend(*, team: Team, days: int | None) -> list[TrackedRepository]:
    """Import the team's history back `days` days (None: all of it); return the
    repositories that need more. Only the PRs missing from what is stored are fetched,
    by a run like any other (resumable, with its progress on the settings page)."""
    since = None if days is None else timezone.now() - dt.timedelta(days=days)
    wanted = min(days or Team.MAX_DAYS_BACK, Team.MAX_DAYS_BACK)
    if wanted > team.days_back:  # repositories added later start as far back
        team.days_back = wanted
        team.save(update_fields=["days_back"])
    held = {h.repository_id: h for h in imported_history(team=team)}
    extended = []
    for repository in TrackedRepository.objects.filter(team=team, is_active=True):
        history = held.get(repository.pk)
        if history is not None and (
            history.since is None or (since is not None and history.since <= since)
        ):
            continue  # it holds that much already
        repository_sync_enqueue(
            repository=repository, full=since is None, since=since, backfill=True
        )
        extended.append(repository)
    return extended


def team_sync_enqueue(*, team: Team, full: bool = False) -> None:
    """Queue a sync of the team: its members, then each of its active repositories.

    The repositories' requests are recorded now, so that they are not lost with the
    message (the sweeper sends them again); `sync_team` queues their messages.
    """
    for repository in TrackedRepository.objects.filter(team=team, is_active=True):
        repository_sync_request(repository=repository, full=full)
    send_on_commit(actor_named("sync_team"), team_id=team.pk, full=full)


def team_repositories_sync_enqueue(*, team: Team, full: bool = False) -> list[int]:
    repositories = list(TrackedRepository.objects.filter(team=team, is_active=True))
    for repository in repositories:
        repository_sync_enqueue(repository=repository, full=full)
    return [r.pk for r in repositories]


@dataclass(frozen=True)
class QueuedRun:
    """What the message that ran a repository's sync should do next."""

    progress: SyncProgress | None = None  # None: nothing was asked for; the message is stale
    wait_until: dt.datetime | None = None  # GitHub's rate limit: send again for then


def repository_sync_queued(
    *, repository: TrackedRepository, message_id: str, retry_at: dt.datetime | None, final: bool
) -> QueuedRun:
    """Run the sync a queued message asks for, for one time slice.

    A message for a repository nobody asked to sync (a duplicate the sweeper sent, one
    that arrived after its run completed) does nothing.
    """
    if not repository_sync_wanted(repository=repository):
        logger.info("[sync] %s: no sync was asked for; nothing to do", repository)
        return QueuedRun()
    try:
        progress = repository_sync(
            repository=repository,
            max_seconds=TIME_SLICE_SECONDS,
            message_id=message_id,
            retry_at=retry_at,
            final=final,
        )
    except RateLimited as exc:
        logger.info(
            "[sync] %s waits for GitHub's rate limit until %s (%s)", repository, exc.reset_at, exc
        )
        return QueuedRun(wait_until=exc.reset_at)
    return QueuedRun(progress=progress)


def repository_syncs_sweep() -> list[int]:
    """Send again the syncs whose message was lost; return their repository ids."""
    ids = repositories_to_resend(now=timezone.now())
    for repository_id in ids:
        send_on_commit(actor_named("sync_repository"), repository_id=repository_id)
    if ids:
        repository_sync_resent(repository_ids=ids)
        logger.warning("[sync] sent %d lost syncs again: %s", len(ids), ids)
    return ids
