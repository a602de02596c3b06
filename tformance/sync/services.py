"""Team-level sync services: members, starting repository syncs, refreshing one PR."""

import datetime as dt
import logging

from django.db import transaction

from tformance.core.queue import send_on_commit
from tformance.github.client import GitHubClient
from tformance.github.models import GitHubIntegration
from tformance.pulls.models import PullRequest, TrackedRepository
from tformance.sync.clients import github_client_for_team, pull_request_renames
from tformance.sync.people import team_members_mark_org
from tformance.sync.writer import pull_request_write
from tformance.teams.models import Team

logger = logging.getLogger(__name__)


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
    *, repository: TrackedRepository, full: bool = False, since: dt.datetime | None = None
) -> None:
    """Queue a sync of the repository once the current transaction commits."""
    from tformance.sync.tasks import sync_repository

    TrackedRepository.objects.filter(pk=repository.pk).exclude(
        sync_status=TrackedRepository.Status.SYNCING
    ).update(sync_status=TrackedRepository.Status.PENDING, last_sync_error="")
    send_on_commit(
        sync_repository,
        repository_id=repository.pk,
        full=full,
        since_iso=since.isoformat() if since else None,
    )


def team_sync_enqueue(*, team: Team, full: bool = False) -> None:
    """Queue a sync of the team: its members, then each of its active repositories."""
    from tformance.sync.tasks import sync_team

    send_on_commit(sync_team, team_id=team.pk, full=full)


def team_repositories_sync_enqueue(*, team: Team, full: bool = False) -> list[int]:
    repositories = list(TrackedRepository.objects.filter(team=team, is_active=True))
    for repository in repositories:
        repository_sync_enqueue(repository=repository, full=full)
    return [r.pk for r in repositories]


def pull_request_refresh(
    *, pull_request: PullRequest, client: GitHubClient | None = None
) -> PullRequest:
    """Re-fetch one PR whole from GitHub and rewrite it."""
    repository = pull_request.repository
    owner, name = repository.owner_and_name
    client = client or github_client_for_team(team=repository.team)
    record = client.get_pull_request(owner, name, pull_request.number)
    renames = pull_request_renames(client=client, owner=owner, name=name, record=record)
    return pull_request_write(repository=repository, record=record, renames=renames)
