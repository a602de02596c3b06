"""GitHub identities of a team: org members, PR authors, reviewers, committers, the ghost."""

import dataclasses
from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from tformance.github.types import Actor, OrgMember, PullRequestRecord
from tformance.pulls.models import TeamMember
from tformance.teams.models import Team

PROFILE_FIELDS = ["login", "name", "avatar_url", "is_bot"]


def actor_login(actor: Actor) -> str:
    """The login as REST and the web show it: GraphQL drops a bot's "[bot]" suffix."""
    if actor.is_bot and not actor.login.endswith("[bot]"):
        return f"{actor.login}[bot]"
    return actor.login


def team_member_ghost(*, team: Team) -> TeamMember:
    """The team's stand-in for deleted accounts (GitHub reports them as a null author)."""
    ghost, _ = TeamMember.objects.get_or_create(
        team=team, is_ghost=True, defaults={"login": TeamMember.GHOST_LOGIN}
    )
    return ghost


@dataclasses.dataclass
class PullRequestPeople:
    """The team members that pull requests name: {github_id: TeamMember pk}, and the ghost."""

    team: Team
    ghost_pk: int
    pks: dict[int, int] = dataclasses.field(default_factory=dict)
    # Whose profile (login, name, avatar, bot) was written, not just their id and login.
    profiled: set[int] = dataclasses.field(default_factory=set)

    def pk(self, actor: Actor | None) -> int:
        if actor is None or actor.database_id is None:
            return self.ghost_pk
        return self.pks[actor.database_id]


def pull_request_people_upsert(
    *, people: PullRequestPeople, records: Iterable[PullRequestRecord]
) -> PullRequestPeople:
    """Upsert the authors, reviewers and commit authors of `records` that `people` lacks;
    return `people` with them added (`people` itself is left as it was).

    Called once for a page before its PRs, so that writing a PR rarely touches its people.
    """
    actors: dict[int, Actor] = {}
    logins: dict[int, str] = {}
    for record in records:
        for actor in (record.author, *(r.author for r in record.reviews.items)):
            if actor is not None and actor.database_id is not None:
                actors[actor.database_id] = actor
        for c in record.commits.items:
            logins.setdefault(c.author_database_id, c.author_login or "")
            logins.setdefault(c.committer_database_id, c.committer_login or "")
    actors = {k: a for k, a in actors.items() if k not in people.profiled}
    logins = {k: v for k, v in logins.items() if k is not None and k not in people.pks}
    if not actors and not logins:
        return people
    added = team_members_upsert(team=people.team, actors=actors.values(), logins=logins.items())
    return dataclasses.replace(
        people, pks={**people.pks, **added}, profiled=people.profiled | actors.keys()
    )


def team_members_upsert(
    *,
    team: Team,
    actors: Iterable[Actor],
    logins: Iterable[tuple[int, str]] = (),
) -> dict[int, int]:
    """Upsert identities by GitHub id and return {github_id: TeamMember pk}.

    `actors` carry a full profile; `logins` are (id, login) pairs known only from commits,
    which must not blank a profile that an actor filled in.
    """
    profiles: dict[int, TeamMember] = {}
    for actor in actors:
        if actor is not None and actor.database_id is not None:
            profiles[actor.database_id] = TeamMember(
                team=team,
                github_id=actor.database_id,
                login=actor_login(actor),
                name=actor.name or "",
                avatar_url=actor.avatar_url or "",
                is_bot=actor.is_bot,
            )
    bare = {
        github_id: TeamMember(team=team, github_id=github_id, login=login)
        for github_id, login in logins
        if github_id is not None and github_id not in profiles
    }
    # Syncs of a team's repositories run side by side and meet the same people: rows go
    # in GitHub-id order so that their row locks are always taken in the same order, and
    # commit-only identities never update an existing row.
    profiles = [profiles[k] for k in sorted(profiles)]
    bare = [bare[k] for k in sorted(bare)]
    if connection.vendor == "postgresql":
        pks = _team_members_upsert_sql(team=team, profiles=profiles, bare=bare)
    else:
        if profiles:
            TeamMember.objects.bulk_create(
                profiles,
                update_conflicts=True,
                unique_fields=["team", "github_id"],
                update_fields=PROFILE_FIELDS,
            )
        if bare:
            TeamMember.objects.bulk_create(bare, ignore_conflicts=True)
        pks = {}
    missing = [m.github_id for m in (*profiles, *bare) if m.github_id not in pks]
    if missing:
        rows = TeamMember.objects.filter(team=team, github_id__in=missing)
        pks.update(rows.values_list("github_id", "pk"))
    return pks


def _team_members_upsert_sql(
    *, team: Team, profiles: list[TeamMember], bare: list[TeamMember]
) -> dict[int, int]:
    """The upsert and the lookup of `team_members_upsert` in one statement.

    One INSERT for everyone, in GitHub-id order, so that two syncs meeting the same people
    lock their rows (or wait for each other's new rows) in the same order and never
    deadlock; two INSERTs (profiles, then commit-only identities) would each be ordered but
    could still cross. Only profiles are updated (a commit's login must not blank a
    profile); every conflicting row is locked all the same.

    The last SELECT sees the table as it was before the statement: it finds the commit-only
    identities that existed, the INSERT returns those it inserted and every profile, and
    one that another sync inserted meanwhile is in neither (the caller looks it up).
    """
    qn = connection.ops.quote_name
    table = qn(TeamMember._meta.db_table)
    columns = ", ".join(
        qn(c)
        for c in (
            "team_id",
            "github_id",
            "login",
            "name",
            "avatar_url",
            "is_bot",
            "is_ghost",
            "is_active",
            "created_at",
            "updated_at",
        )
    )
    updates = ", ".join(f"{qn(c)} = EXCLUDED.{qn(c)}" for c in PROFILE_FIELDS)
    sql = (
        f"WITH upserted AS (INSERT INTO {table} ({columns}) "
        "SELECT %s, g, l, n, a, b, false, false, %s, %s "
        "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::boolean[]) "
        "AS t (g, l, n, a, b) ORDER BY g "
        f"ON CONFLICT (team_id, github_id) DO UPDATE SET {updates} "
        f"WHERE EXCLUDED.{qn('github_id')} = ANY(%s::bigint[]) RETURNING github_id, id) "
        "SELECT github_id, id FROM upserted "
        f"UNION ALL SELECT github_id, id FROM {table} WHERE team_id = %s "
        "AND github_id = ANY(%s::bigint[])"
    )
    now = timezone.now()
    everyone = sorted([*profiles, *bare], key=lambda m: m.github_id)
    bare_ids = [m.github_id for m in bare]
    params = [
        team.pk,
        now,
        now,
        [m.github_id for m in everyone],
        [m.login for m in everyone],
        [m.name for m in everyone],
        [m.avatar_url for m in everyone],
        [m.is_bot for m in everyone],
        [m.github_id for m in profiles],
        team.pk,
        bare_ids,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def team_members_mark_org(*, team: Team, members: list[OrgMember]) -> tuple[int, int]:
    """Make exactly `members` the team's active org members; return (active, inactive).

    People who left stay, inactive, with their history.
    """
    rows = [
        TeamMember(
            team=team,
            github_id=m.database_id,
            login=m.login,
            avatar_url=m.avatar_url or "",
            is_bot=m.is_bot,
            is_active=True,
        )
        for m in members
    ]
    TeamMember.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["team", "github_id"],
        update_fields=["login", "avatar_url", "is_bot", "is_active"],
    )
    left = (
        TeamMember.objects.filter(team=team, is_active=True)
        .exclude(github_id__in=[m.database_id for m in members])
        .update(is_active=False)
    )
    return len(rows), left
