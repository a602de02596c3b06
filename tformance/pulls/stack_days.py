"""The tech stack by UTC day (`TechStackDay`), kept in step with the PRs and their files.

A merged PR is counted under one key: its repository, the UTC day it was merged and
whether it is a bot's that is not an AI agent's (`metrics.expressions.bot_pull_request`);
the PR stores the key it is counted under (`PullRequest.stack_day`, `stack_bot`). Under it, each category and each language its
files touch gets the files' lines and one PR: languages twice, over the files outside
`EXCLUDED_BY_DEFAULT` and over every file, for the dashboard's "Include generated files".

The sync writes each PR's files in one statement on PostgreSQL (`sync.writer`);
`stack_delta_ctes` adds to it the change of the PR's contribution, from its files and key
as they were to the ones written: in the same statement, so never out of step; and the
same change by UTC month (`TechStackMonth`, the days added up). Everything
else rebuilds whole days from the stored rows (`stack_rebuild`): the migration that fills
the table, SQLite's writer, hand-built rows in tests. Both must give the same rows, and a
test holds them to it.
"""

import datetime as dt

from django.apps import apps as global_apps
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import TruncDate, TruncMonth

from tformance.pulls.techstack import EXCLUDED_BY_DEFAULT

CATEGORY, LANGUAGE, LANGUAGE_ALL = "category", "language", "language_all"


def stack_day(merged_at: dt.datetime | None) -> dt.date | None:
    """The day a PR is counted under: the UTC day of its merge (none while unmerged)."""
    return merged_at.astimezone(dt.UTC).date() if merged_at else None


def stack_key_cte() -> str:
    """The CTE `s_k`: the key a PR is counted under as it is being written (`day`, `bot`),
    and the key and id it was stored with (`old_day`, `old_bot`, `old_id`; null for a new
    PR), for a PostgreSQL statement that also writes the PR, whose CTEs all see the rows as
    they were before it. Its placeholders are the PR's columns by name, the ones the
    statement's INSERT of the PR binds. It comes first: the PR's own CTE takes its
    `stack_day` and `stack_bot` from it."""
    pr, member = (_table(n) for n in ("PullRequest", "TeamMember"))
    return (
        "s_k AS (SELECT (%(merged_at)s::timestamptz AT TIME ZONE 'UTC')::date AS day, "
        "(%(merged_at)s::timestamptz IS NOT NULL AND NOT %(is_ai_assisted)s::boolean AND "
        f"EXISTS (SELECT 1 FROM {member} m WHERE m.id = %(author_id)s AND m.is_bot)) AS bot, "
        "o.id AS old_id, o.stack_day AS old_day, o.stack_bot AS old_bot FROM (SELECT 1) AS one "
        f"LEFT JOIN {pr} o ON o.repository_id = %(repository_id)s AND o.number = %(number)s)"
    )


def stack_delta_ctes(*, pull_request: str, files: str) -> list[str]:
    """CTEs that move the PR's contribution from the files it had under its old key to the
    ones being written under its key now, both read from `s_k` (`stack_key_cte`), in the
    statement that also replaces the PR's files: `files` names its CTE of them (category,
    language, additions, deletions), `pull_request` its CTE of the PR (team_id,
    repository_id)."""
    file, days, months = (_table(n) for n in ("PRFile", "TechStackDay", "TechStackMonth"))
    excluded = ", ".join("'{}'".format(c.replace("'", "''")) for c in sorted(EXCLUDED_BY_DEFAULT))
    both = "(SELECT * FROM s_old UNION ALL SELECT * FROM s_new) r"
    return [
        f"s_old AS (SELECT -1 AS sign, k.old_day AS day, k.old_bot AS bot, f.category, "
        f"f.language, (f.additions + f.deletions)::bigint AS lines FROM {file} f, s_k k "
        f"WHERE f.pull_request_id = k.old_id AND k.old_day IS NOT NULL)",
        "s_new AS (SELECT 1 AS sign, k.day, k.bot, f.category, f.language, "
        f"(f.additions + f.deletions)::bigint AS lines FROM {files} f, s_k k "
        "WHERE k.day IS NOT NULL)",
        f"s_kinds AS (SELECT sign, day, bot, '{CATEGORY}' AS kind, category AS name, lines "
        f"FROM {both} WHERE category <> '' UNION ALL SELECT sign, day, bot, '{LANGUAGE}', "
        f"language, lines FROM {both} WHERE language <> '' AND category NOT IN ({excluded}) "
        f"UNION ALL SELECT sign, day, bot, '{LANGUAGE_ALL}', language, lines FROM {both} "
        f"WHERE language <> '')",
        # One PR on each side per name; the change is the new side less the old.
        "s_side AS (SELECT sign, day, bot, kind, name, sum(lines) AS lines FROM s_kinds "
        "GROUP BY sign, day, bot, kind, name)",
        "s_delta AS (SELECT day, bot, kind, name, sum(sign * lines) AS lines, "
        "sum(sign) AS prs FROM s_side GROUP BY day, bot, kind, name "
        "HAVING sum(sign * lines) <> 0 OR sum(sign) <> 0)",
        f"s_up AS (INSERT INTO {days} AS d (team_id, repository_id, day, bot, kind, name, "
        "lines, prs) SELECT p.team_id, p.repository_id, s.day, s.bot, s.kind, s.name, "
        f"s.lines, s.prs FROM s_delta s, {pull_request} p "
        "ON CONFLICT (repository_id, day, bot, kind, name) DO UPDATE "
        "SET lines = d.lines + EXCLUDED.lines, prs = d.prs + EXCLUDED.prs)",
        # The same change by month (a PR that moves within a month changes it once).
        "s_mdelta AS (SELECT date_trunc('month', day::timestamp)::date AS month, bot, kind, "
        "name, sum(lines) AS lines, sum(prs) AS prs FROM s_delta GROUP BY 1, bot, kind, name "
        "HAVING sum(lines) <> 0 OR sum(prs) <> 0)",
        f"s_mup AS (INSERT INTO {months} AS m (team_id, repository_id, month, bot, kind, "
        "name, lines, prs) SELECT p.team_id, p.repository_id, s.month, s.bot, s.kind, s.name, "
        f"s.lines, s.prs FROM s_mdelta s, {pull_request} p "
        "ON CONFLICT (repository_id, month, bot, kind, name) DO UPDATE "
        "SET lines = m.lines + EXCLUDED.lines, prs = m.prs + EXCLUDED.prs)",
    ]


def _table(name: str) -> str:
    return connection.ops.quote_name(global_apps.get_model("pulls", name)._meta.db_table)


def month_of(day: dt.date) -> dt.date:
    """The month a day is counted under in `TechStackMonth`: its first day."""
    return day.replace(day=1)


def month_after(day: dt.date) -> dt.date:
    """The first day of the month after `day`'s."""
    return (month_of(day) + dt.timedelta(days=32)).replace(day=1)


def stack_rebuild(*, repository_ids=None, days=None, apps=global_apps, months=True) -> None:
    """Count the stored PRs and files of `days` (UTC; all when None) of `repository_ids`
    (all when None) anew: their keys, the days' rows and (`months`) their months' rows.
    `apps`: the migration's models."""
    PullRequest = apps.get_model("pulls", "PullRequest")
    PRFile = apps.get_model("pulls", "PRFile")
    TeamMember = apps.get_model("pulls", "TeamMember")
    TechStackDay = apps.get_model("pulls", "TechStackDay")
    day = TruncDate("merged_at", tzinfo=dt.UTC)
    scope = PullRequest.objects.all()
    if repository_ids is not None:
        scope = scope.filter(repository_id__in=repository_ids)
    if days is not None:
        days = [d for d in days if d is not None]
        scope = scope.annotate(_day=day).filter(Q(_day__in=days) | Q(stack_day__in=days))
    bots = TeamMember.objects.filter(pk=OuterRef("author_id"), is_bot=True)
    bot = ExpressionWrapper(
        Q(merged_at__isnull=False) & Q(is_ai_assisted=False) & Exists(bots),
        output_field=BooleanField(),
    )
    PullRequest.objects.filter(pk__in=scope.values("pk")).update(stack_day=day, stack_bot=bot)
    rows = TechStackDay.objects.all()
    files = PRFile.objects.filter(pull_request__stack_day__isnull=False)
    if repository_ids is not None:
        rows = rows.filter(repository_id__in=repository_ids)
        files = files.filter(pull_request__repository_id__in=repository_ids)
    if days is not None:
        rows = rows.filter(day__in=days)
        files = files.filter(pull_request__stack_day__in=days)
    rows.delete()
    kinds = {
        CATEGORY: ("category", files.exclude(category="")),
        LANGUAGE: (
            "language",
            files.exclude(language="").exclude(category__in=EXCLUDED_BY_DEFAULT),
        ),
        LANGUAGE_ALL: ("language", files.exclude(language="")),
    }
    found = []
    for kind, (field, qs) in kinds.items():
        for row in (
            qs.order_by()
            .values(
                "team_id",
                "pull_request__repository_id",
                "pull_request__stack_day",
                "pull_request__stack_bot",
                field,
            )
            .annotate(
                lines=Sum(F("additions") + F("deletions")),
                prs=Count("pull_request", distinct=True),
            )
        ):
            found.append(
                TechStackDay(
                    team_id=row["team_id"],
                    repository_id=row["pull_request__repository_id"],
                    day=row["pull_request__stack_day"],
                    bot=row["pull_request__stack_bot"],
                    kind=kind,
                    name=row[field],
                    lines=row["lines"] or 0,
                    prs=row["prs"],
                )
            )
    TechStackDay.objects.bulk_create(found, batch_size=1000)
    if months:
        stack_months_rebuild(
            repository_ids=repository_ids,
            months=None if days is None else {month_of(d) for d in days},
            apps=apps,
        )


def stack_months_rebuild(*, repository_ids=None, months=None, apps=global_apps) -> None:
    """Add up the `TechStackDay` rows of `months` (first days; all when None) of
    `repository_ids` (all when None) into their `TechStackMonth` rows anew."""
    TechStackDay = apps.get_model("pulls", "TechStackDay")
    TechStackMonth = apps.get_model("pulls", "TechStackMonth")
    rows, days = TechStackMonth.objects.all(), TechStackDay.objects.all()
    if repository_ids is not None:
        rows = rows.filter(repository_id__in=repository_ids)
        days = days.filter(repository_id__in=repository_ids)
    if months is not None:
        within = Q()
        for month in months:
            within |= Q(day__gte=month, day__lt=month_after(month))
        if not within:
            return
        rows = rows.filter(month__in=months)
        days = days.filter(within)
    rows.delete()
    TechStackMonth.objects.bulk_create(
        (
            TechStackMonth(**row)
            for row in days.annotate(month=TruncMonth("day"))
            .order_by()
            .values("team_id", "repository_id", "month", "bot", "kind", "name")
            .annotate(lines=Sum("lines"), prs=Sum("prs"))
        ),
        batch_size=1000,
    )


def pull_request_stack_refresh(*, pull_request) -> None:
    """Count one PR anew: the days it was and is counted under, rebuilt from the rows."""
    stored = (
        type(pull_request).objects.filter(pk=pull_request.pk).values_list("stack_day", "merged_at")
    )
    old, merged_at = stored.get()
    stack_rebuild(repository_ids=[pull_request.repository_id], days={old, stack_day(merged_at)})
