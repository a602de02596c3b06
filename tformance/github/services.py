"""Connecting a team to GitHub: validate a token, store it encrypted, pick repositories."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from tformance.github.client import GitHubClient
from tformance.github.errors import BadCredentials, NoAccess, NotFound
from tformance.github.models import GitHubIntegration
from tformance.github.types import Organization, Repository, Viewer
from tformance.pulls.models import TrackedRepository
from tformance.teams.models import Team
from tformance.teams.services import team_create

# What the product needs from a classic OAuth/personal token: private repositories' pull
# requests, and the org's members. Fine-grained tokens report no scopes; their access is
# checked by using it instead.
# Reference: https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps
REQUIRED_SCOPES = {
    "repo": "read pull requests of private repositories",
    "read:org": "read the organisation's members",
}
# A broader scope that includes a required one.
IMPLIED_BY = {"read:org": ("admin:org", "write:org")}
# What every refusal of a token ends with: the one thing to check first.
CHECK_SCOPES = f"check the token's scopes: {', '.join(REQUIRED_SCOPES)}"


class TokenProblem(Exception):
    """The token cannot be used; the message tells the user what to fix."""


@dataclass(frozen=True)
class CheckedToken:
    viewer: Viewer
    organization: Organization
    scopes: tuple[str, ...] | None

    @property
    def team_name(self) -> str:
        """What a team made for the organisation is called."""
        return self.organization.name or self.organization.login


def token_missing_scopes(*, scopes: tuple[str, ...] | None) -> list[str]:
    if scopes is None:
        return []
    have = set(scopes)
    return [
        scope
        for scope in REQUIRED_SCOPES
        if scope not in have and not have.intersection(IMPLIED_BY.get(scope, ()))
    ]


def token_scopes_problem(*, scopes: tuple[str, ...] | None) -> str | None:
    """What a token lacks and what to do about it, or None when it has what we need."""
    missing = token_missing_scopes(scopes=scopes)
    if not missing:
        return None
    needs = "; ".join(f"{s} (to {REQUIRED_SCOPES[s]})" for s in missing)
    return (
        f"The token is missing the scopes: {needs}. Give it those scopes on GitHub, or create "
        f"a new token: {CHECK_SCOPES}."
    )


def token_check(*, client: GitHubClient, org_login: str) -> CheckedToken:
    """Make sure the token works, has the scopes we need, and reaches the organisation."""
    try:
        viewer = client.get_viewer()
    except BadCredentials as exc:
        raise TokenProblem(
            "GitHub rejected the token (401 Bad credentials): it is wrong, expired or revoked. "
            f"Paste it again whole, or create a new one, and {CHECK_SCOPES}."
        ) from exc
    if problem := token_scopes_problem(scopes=viewer.scopes):
        raise TokenProblem(problem)
    try:
        organization = client.get_organization(org_login)
        client.list_org_members(org_login)
    except (NotFound, NoAccess) as exc:
        raise TokenProblem(
            f"The token of {viewer.login} cannot read the organisation {org_login!r}: {exc}. "
            f"Check the organisation's login and that {viewer.login} is a member of it, and "
            f"{CHECK_SCOPES} (an organisation with SAML SSO must also authorise the token)."
        ) from exc
    return CheckedToken(viewer=viewer, organization=organization, scopes=viewer.scopes)


@transaction.atomic
def team_github_connect(
    *,
    checked: CheckedToken,
    token: str,
    method: str,
    team: Team | None = None,
    owner: AbstractBaseUser | None = None,
    repositories: list[Repository] | None = None,
) -> Team:
    """Connect a team to the organisation the token reached (`token_check`), as the wizard does.

    Without `team`, a new one is named after the organisation with `owner` as its admin.
    The token is stored (encrypted) as connected by `owner`; `repositories`, when given,
    become exactly the tracked ones. Starting the syncs is the caller's: queued, or run in
    the foreground.
    """
    if team is None:
        team = team_create(name=checked.team_name, owner=owner)
    github_integration_save(
        team=team, token=token, checked=checked, method=method, connected_by=owner
    )
    if repositories is not None:
        tracked_repositories_set(team=team, repositories=repositories)
    return team


@transaction.atomic
def github_integration_save(
    *,
    team: Team,
    token: str,
    checked: CheckedToken,
    method: str,
    connected_by: AbstractBaseUser | None = None,
) -> GitHubIntegration:
    integration, _ = GitHubIntegration.objects.update_or_create(
        team=team,
        defaults={
            "org_login": checked.organization.login,
            "org_id": checked.organization.database_id,
            "access_token": token,
            "token_scopes": ", ".join(checked.scopes or ()),
            "viewer_login": checked.viewer.login,
            "connection_method": method,
            "connected_by": connected_by,
        },
    )
    return integration


@transaction.atomic
def tracked_repositories_set(
    *, team: Team, repositories: list[Repository]
) -> list[TrackedRepository]:
    """Track exactly `repositories` (upserted by GitHub id); stop tracking the others.

    Untracked repositories keep their history; they are only left out of syncs.
    """
    tracked = []
    for repo in repositories:
        row, _ = TrackedRepository.objects.update_or_create(
            team=team,
            github_id=repo.database_id,
            defaults={
                "full_name": repo.full_name,
                "default_branch": repo.default_branch or "",
                "is_active": True,
            },
        )
        tracked.append(row)
    TrackedRepository.objects.filter(team=team).exclude(pk__in=[r.pk for r in tracked]).update(
        is_active=False
    )
    return tracked
