"""The repository picker shared by the wizard and the team settings page.

The list fetched from GitHub is remembered in the session (`onboarding:repos:<team id>`,
names and ids only) so that a submitted choice is checked against what the user was shown:
an id that is not in it is a 404, never a repository of another organisation.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404

from tformance.github.models import GitHubIntegration
from tformance.github.types import Repository
from tformance.onboarding.services import github_client
from tformance.sync.errors import NotConnected
from tformance.teams.models import Team

KEY = "onboarding:repos:{team_id}"


def org_repositories_fetch(*, team: Team) -> list[Repository]:
    """The organisation's repositories (archived excluded, most recently pushed first)."""
    integration = GitHubIntegration.objects.filter(team=team).first()
    if integration is None or not integration.access_token:
        raise NotConnected(f"{team.name} is not connected to GitHub; connect it again.")
    with github_client(token=integration.access_token) as client:
        return client.list_org_repositories(integration.org_login)


def remember(session, *, team: Team, repositories: list[Repository]) -> None:
    session[KEY.format(team_id=team.pk)] = [
        {
            "id": r.database_id,
            "full_name": r.full_name,
            "default_branch": r.default_branch or "",
            "private": r.private,
            "pushed_at": r.pushed_at.isoformat() if r.pushed_at else None,
        }
        for r in repositories
    ]


def remembered(session, *, team: Team) -> dict[int, Repository] | None:
    rows = session.get(KEY.format(team_id=team.pk))
    if rows is None:
        return None
    result = {}
    for row in rows:
        owner, _, name = row["full_name"].partition("/")
        result[row["id"]] = Repository(
            database_id=row["id"],
            node_id="",
            owner=owner,
            name=name,
            full_name=row["full_name"],
            private=row["private"],
            archived=False,
            fork=False,
            default_branch=row["default_branch"],
            html_url=None,
            pushed_at=dt.datetime.fromisoformat(row["pushed_at"]) if row["pushed_at"] else None,
            updated_at=None,
        )
    return result


def chosen(session, *, team: Team, ids: list[str]) -> list[Repository] | None:
    """The submitted repositories; None when the shown list has expired; 404 on strangers."""
    shown = remembered(session, team=team)
    if shown is None:
        return None
    try:
        wanted = [int(i) for i in ids]
    except ValueError as exc:
        raise Http404("No such repository.") from exc
    unknown = [i for i in wanted if i not in shown]
    if unknown:
        raise Http404("No such repository.")
    return [shown[i] for i in dict.fromkeys(wanted)]
