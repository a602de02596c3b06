"""The tech stack by UTC day (`TechStackDay`), kept in step with the PRs and their files.

A merged PR is counted under one key: its repository, the UTC day it was merged and
whether it is a bot's that is not an AI agent's (`metrics.expressions.bot_pull_request`);
the PR stores the key it is counted under (`PullRequest.stack_day`, `stack_bot`). Under it, each category and each language its
files touch gets the files' lines and one PR: languages twice, over the files outside
`EXCLUDED_BY_DEFAULT` and over every file, for the dashboard's "Include generated files".

The sync writes each PR's files in one statement on PostgreSQL (`sync.writer`);
`stack_delta_ctes` adds to it the change of the PR's contribution, from its files and key
as they were to the ones written: in the same statement, so never out of step. Everything
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
from django.db.models.functions import TruncDate

from tformance.pulls.techstack import EXCLUDED_BY_DEFAULT

CATEGORY, LANGUAGE, LANGUAGE_ALL = "category", "language", "language_all"


def stack_day(merged_at: dt.datetime | None) -> dt.date | None:
    """The day a PR is counted under: the UTC day of its merge (none while unmerged)."""
    return merged_at.astimezone(dt.UTC).date() if merged_at else None


def stack_delta_ctes(*, pull_request_id: int, files: list[tuple[str, str, int]]):
    """CTEs (SQL, params) that move the PR's contribution to `files` ((category, language,
    lines) each) under its key as the PR row now has it, for a PostgreSQL statement that
    also replaces the PR's files: its CTEs all see the files stored before it, and the key
    the PR was counted under (`stack_day`, `stack_bot`)."""
    models = {name: global_apps.get_model("pulls", name) for name in _TABLES}
    pr, member, file, days = (connection.ops.quote_name(models[n]._meta.db_table) for n in _TABLES)
    categories, languages, lines = (
        [list(column) for column in zip(*files, strict=True)] if files else [[], [], []]
    )
    both = "(SELECT * FROM s_old UNION ALL SELECT * FROM s_new) r"
    ctes = [
        # The PR's key now (its row is written), and the key it was counted under.
        f"s_k AS (SELECT (p.merged_at AT TIME ZONE 'UTC')::date AS day, "
        f"(p.merged_at IS NOT NULL AND NOT p.is_ai_assisted AND EXISTS (SELECT 1 FROM "
        f"{member} m WHERE m.id = p.author_id AND m.is_bot)) AS bot, p.stack_day AS old_day, "
        f"p.stack_bot AS old_bot FROM {pr} p WHERE p.id = %s)",
        f"s_old AS (SELECT -1 AS sign, k.old_day AS day, k.old_bot AS bot, f.category, "
        f"f.language, (f.additions + f.deletions)::bigint AS lines FROM {file} f, s_k k "
        f"WHERE f.pull_request_id = %s AND k.old_day IS NOT NULL)",
        "s_new AS (SELECT 1 AS sign, k.day, k.bot, t.category, t.language, t.lines FROM s_k k, "
        "unnest(%s::text[], %s::text[], %s::bigint[]) AS t(category, language, lines) "
        "WHERE k.day IS NOT NULL)",
        f"s_kinds AS (SELECT sign, day, bot, '{CATEGORY}' AS kind, category AS name, lines "
        f"FROM {both} WHERE category <> '' UNION ALL SELECT sign, day, bot, '{LANGUAGE}', "
        f"language, lines FROM {both} WHERE language <> '' AND category <> ALL(%s::text[]) "
        f"UNION ALL SELECT sign, day, bot, '{LANGUAGE_ALL}', language, lines FROM {both} "
        f"WHERE language <> '')",
        # One PR on each side per name; the change is the new side less the old.
        "s_side AS (SELECT sign, day, bot, kind, name, sum(lines) AS lines FROM s_kinds "
        "GROUP BY sign, day, bot, kind, name)",
        "s_delta AS (SELECT day, bot, kind, name, sum(sign * lines) AS lines, "
        "sum(sign) AS prs FROM s_side GROUP BY day, bot, kind, name "
        "HAVING sum(sign * lines) <> 0 OR sum(sign) <> 0)",
        f"s_up AS (INSERT INTO {days} AS d (team_id, repository_id, day, bot, kind, name, "
        f"lines, prs) SELECT p.team_id, p.repository_id, s.day, s.bot, s.kind, s.name, "
        f"s.lines, s.prs FROM s_delta s, {pr} p WHERE p.id = %s "
        "ON CONFLICT (repository_id, day, bot, kind, name) DO UPDATE "
        "SET lines = d.lines + EXCLUDED.lines, prs = d.prs + EXCLUDED.prs)",
        f"s_set AS (UPDATE {pr} p SET stack_day = k.day, stack_bot = k.bot FROM s_k k "
        "WHERE p.id = %s AND (p.stack_day, p.stack_bot) IS DISTINCT FROM (k.day, k.bot))",
    ]
    params = [
        pull_request_id,
        pull_request_id,
        categories,
        languages,
        lines,
        sorted(EXCLUDED_BY_DEFAULT),
        pull_request_id,
        pull_request_id,
    ]
    return ctes, params


_TABLES = ("PullRequest", "TeamMember", "PRFile", "TechStackDay")


def stack_rebuild(*, repository_ids=None, days=None, apps=global_apps) -> None:
    """Count the stored PRs and files of `days` (UTC; all when None) of `repository_ids`
    (all when None) anew: their keys, and the days' rows. `apps`: the migration's models."""
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


def pull_request_stack_refresh(*, pull_request) -> None:
    """Count one PR anew: the days it was and is counted under, rebuilt from the rows."""
    stored = (
        type(pull_request).objects.filter(pk=pull_request.pk).values_list("stack_day", "merged_at")
    )
    old, merged_at = stored.get()
    stack_rebuild(repository_ids=[pull_request.repository_id], days={old, stack_day(merged_at)})
