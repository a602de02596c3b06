"""Connecting a team to GitHub: validate a token, store it encrypted, pick repositories."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from tformance.github.client import GitHubClient
from tformance.github.errors import NoAccess, NotFound
from tformance.github.models import GitHubIntegration
from tformance.github.types import Organization, Repository, Viewer
from tformance.pulls.models import TrackedRepository
from tformance.teams.models import Team

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


class TokenProblem(Exception):
    """The token cannot be used; the message tells the user what to fix."""


@dataclass(frozen=True)
class CheckedToken:
    viewer: Viewer
    organization: Organization
    scopes: tuple[str, ...] | None


def token_missing_scopes(*, scopes: tuple[str, ...] | None) -> list[str]:
    if scopes is None:
        return []
    have = set(scopes)
    return [
        scope
        for scope in REQUIRED_SCOPES
        if scope not in have and not have.intersection(IMPLIED_BY.get(scope, ()))
    ]


def token_check(*, client: GitHubClient, org_login: str) -> CheckedToken:
    """Make sure the token works, has the scopes we need, and reaches the organisation."""
    viewer = client.get_viewer()
    missing = token_missing_scopes(scopes=viewer.scopes)
    if missing:
        needs = "; ".join(f"{s} (to {REQUIRED_SCOPES[s]})" for s in missing)
        raise TokenProblem(f"The token is missing the scopes: {needs}.")
    try:
        organization = client.get_organization(org_login)
        client.list_org_members(org_login)
    except (NotFound, NoAccess) as exc:
        raise TokenProblem(
            f"The token of {viewer.login} cannot read the organisation {org_login!r}: {exc}"
        ) from exc
    return CheckedToken(viewer=viewer, organization=organization, scopes=viewer.scopes)


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
