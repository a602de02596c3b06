"""Writes of the wizard: hold a token, create the team, choose repositories, act on syncs."""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from tformance.core.secrets import token_fingerprint
from tformance.github.client import GitHubClient
from tformance.github.errors import GitHubError
from tformance.github.selectors import organization_team_get
from tformance.github.services import (
    CheckedToken,
    TokenProblem,
    team_github_connect,
    token_check,
    token_scopes_problem,
    tracked_repositories_set,
)
from tformance.github.types import Organization, Repository
from tformance.onboarding.models import OnboardingProgress, PendingGitHubConnection
from tformance.pulls.models import TrackedRepository
from tformance.sync.selectors import repository_sync_never_started
from tformance.sync.services import repository_sync_enqueue, team_sync_enqueue
from tformance.sync.state import repository_sync_stop
from tformance.teams.models import Team

logger = logging.getLogger(__name__)
Step = OnboardingProgress.Step


def github_client(*, token: str) -> GitHubClient:
    """A client for interactive pages: few, quick retries, so an answer comes fast."""
    return GitHubClient(token=token, max_retries=1, backoff_base_seconds=0.2, timeout_seconds=15)


def pending_connection_save(
    *,
    user: AbstractBaseUser,
    token: str,
    scopes: tuple[str, ...] | None,
    method: str,
    viewer_login: str = "",
    org_login: str = "",
) -> PendingGitHubConnection:
    """Hold a validated token (encrypted) for the user until their team exists."""
    pending, _ = PendingGitHubConnection.objects.update_or_create(
        user=user,
        defaults={
            "access_token": token,
            "token_scopes": ", ".join(scopes or ()),
            "method": method,
            "viewer_login": viewer_login,
            "org_login": org_login,
        },
    )
    logger.info("[onboarding] %s connected GitHub with token %s", user, token_fingerprint(token))
    return pending


def personal_token_connect(
    *, user: AbstractBaseUser, token: str, org_login: str
) -> PendingGitHubConnection:
    """Check a personal access token against the organisation, then hold it.

    Raises TokenProblem (what to fix) or GitHubError (GitHub failed; try again).
    """
    checked = _token_checked(token=token, org_login=org_login)
    return pending_connection_save(
        user=user,
        token=token,
        scopes=checked.scopes,
        method=PendingGitHubConnection.Method.PERSONAL_TOKEN,
        viewer_login=checked.viewer.login,
        org_login=checked.organization.login,
    )


def oauth_token_connect(
    *, user: AbstractBaseUser, token: str, scopes: tuple[str, ...] | None
) -> PendingGitHubConnection:
    """Hold the token an OAuth exchange gave, with the GitHub login it belongs to.

    Raises TokenProblem (GitHub granted too little) or GitHubError (try again).
    """
    if problem := token_scopes_problem(scopes=scopes):
        raise TokenProblem(problem)
    with github_client(token=token) as client:
        viewer = client.get_viewer()
    return pending_connection_save(
        user=user,
        token=token,
        scopes=scopes,
        method=PendingGitHubConnection.Method.OAUTH,
        viewer_login=viewer.login,
    )


def _token_checked(*, token: str, org_login: str) -> CheckedToken:
    """`token_check`, with GitHub's permanent refusals told to the user as TokenProblem."""
    with github_client(token=token) as client:
        try:
            return token_check(client=client, org_login=org_login)
        except GitHubError as exc:
            if exc.permanent:
                raise TokenProblem(str(exc)) from exc
            raise


def pending_organizations(*, pending: PendingGitHubConnection) -> list[Organization]:
    """The organisations to choose from (just the named one for a personal token)."""
    with github_client(token=pending.access_token) as client:
        if pending.org_login:
            return [client.get_organization(pending.org_login)]
        return client.list_organizations()


class OrganizationHasTeam(Exception):
    """The organisation already has a team: the user may ask to join it (one team per org)."""

    def __init__(self, *, team: Team, github_login: str):
        super().__init__(f"{team.name} already exists for this organisation.")
        self.team, self.github_login = team, github_login


def onboarding_team_create(*, pending: PendingGitHubConnection, org_login: str) -> Team:
    """Create the team for the organisation (the user is its admin); queue the member sync.

    The token is checked against the organisation first (TokenProblem / GitHubError), then
    moves from the pending connection to the team's integration. An organisation that has
    a team already raises OrganizationHasTeam, also when another user created it a moment
    ago (the unique org_id of GitHubIntegration decides).
    """
    checked = _token_checked(token=pending.access_token, org_login=org_login)
    org_id = checked.organization.database_id
    if (existing := organization_team_get(org_id=org_id)) is not None:
        raise OrganizationHasTeam(team=existing, github_login=checked.viewer.login)
    try:
        with transaction.atomic():
            return _team_create(pending=pending, checked=checked)
    except IntegrityError:
        if (existing := organization_team_get(org_id=org_id)) is None:
            raise
        raise OrganizationHasTeam(team=existing, github_login=checked.viewer.login) from None


def _team_create(*, pending: PendingGitHubConnection, checked: CheckedToken) -> Team:
    team = team_github_connect(
        checked=checked, token=pending.access_token, method=pending.method, owner=pending.user
    )
    OnboardingProgress.objects.create(team=team, furthest_step=Step.REPOS)
    pending.delete()
    team_sync_enqueue(team=team)  # members now; repositories once they are chosen
    return team


def progress_advance(*, team: Team, to: str) -> OnboardingProgress:
    """Record that the team reached step `to` (never moves backwards)."""
    progress, _ = OnboardingProgress.objects.get_or_create(team=team)
    if not progress.reached(to):
        progress.furthest_step = to
        progress.save(update_fields=["furthest_step", "updated_at"])
    return progress


@transaction.atomic
def repositories_choose(
    *, team: Team, repositories: list[Repository], days_back: int | None = None
) -> list[TrackedRepository]:
    """Track exactly these repositories and queue the first sync of each new one."""
    if days_back is not None and days_back != team.days_back:
        team.days_back = days_back
        team.save(update_fields=["days_back"])
    tracked = tracked_repositories_set(team=team, repositories=repositories)
    for repository in tracked:
        if repository_sync_never_started(repository=repository):
            repository_sync_enqueue(repository=repository)
    return tracked


@transaction.atomic
def repository_sync_retry(*, repository: TrackedRepository) -> None:
    """Queue the repository's sync again; a stalled run gives up its claim first.

    A sync whose heartbeat is older than SYNC_STALL_SECONDS is presumed dead (its worker
    was killed); freeing its claim lets the new run take over and resume from the last
    checkpoint instead of waiting for the engine's longer takeover limit.
    """
    repository_sync_enqueue(repository=repository, free_stalled=True)
    logger.info("[onboarding] sync of %s queued again", repository.full_name)


@transaction.atomic
def repository_skip(*, repository: TrackedRepository) -> None:
    """Stop tracking the repository for now; its history so far is kept.

    It can be added back from the team's settings page, which queues its sync again.
    """
    TrackedRepository.objects.filter(pk=repository.pk).update(is_active=False)
    repository_sync_stop(repository=repository)
    logger.info("[onboarding] %s skipped (no longer tracked)", repository.full_name)


def team_repositories_resync(*, team: Team) -> int:
    """Queue an incremental sync of every active repository and the members."""
    team_sync_enqueue(team=team)
    return TrackedRepository.objects.filter(team=team, is_active=True).count()


def onboarding_complete(*, team: Team) -> Team:
    if team.onboarding_completed_at is None:
        team.onboarding_completed_at = timezone.now()
        team.save(update_fields=["onboarding_completed_at"])
    progress_advance(team=team, to=Step.COMPLETE)
    return team
