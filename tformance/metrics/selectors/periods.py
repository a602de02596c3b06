"""The numbers of the PRs merged, opened and first reviewed in one or two periods, at once.

`period_numbers` reads everything the overview shows about a period's PRs (and the
comparison period's): counts, percentiles of every duration and of reviews per PR, and,
for the first period, its weeks, sizes, AI split and tools. The selectors of `delivery` and
`ai` present them; the overview hands one `PeriodNumbers` to all of them.

On PostgreSQL it is one statement: the period's merged PRs are read once, through the
covering index on `merged_at`, into a materialized CTE that every grouping then reads,
next to the PRs opened and first reviewed (each through its own index). Percentiles are
`percentile_cont` of the stored durations (`PullRequest.cycle_seconds` ...). SQLite (the
demo's database) asks the same questions one query each, with the portable percentiles.
"""

import dataclasses
import datetime as dt
import json

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import TruncWeek

from tformance.metrics.expressions import merged_unreviewed
from tformance.metrics.filters import MetricFilters, pull_requests_scoped
from tformance.metrics.percentiles import (
    PERCENTILES,
    percentiles_compute,
    percentiles_filled,
)
from tformance.pulls.models import PullRequest

# Metric name -> the stored column its percentiles are of, for the merged PRs of a period.
MERGED_METRICS = {
    "cycle": "cycle_seconds",
    "coding": "coding_seconds",
    "pickup": "pickup_seconds",
    "review": "review_seconds",
    "reviews": "review_count",
}
WEEKLY_METRICS = ("cycle", "coding", "pickup", "review")  # medians per week
COUNTS = ("merged", "unreviewed", "ai", "xl_unreviewed")


@dataclasses.dataclass
class PeriodNumbers:
    """Per period (its index in `periods`): `counts` (COUNTS and "opened") and `stats`
    (``{metric: {50: .., 75: .., 90: .., "n": ..}}``, "first_review" among them). For the
    first period only, when asked for: `weeks` (Monday -> merged, ai and the medians of
    WEEKLY_METRICS), `sizes` (bucket -> merged PRs), `ai` (is_ai_assisted -> cycle
    percentiles) and `tools` (stored list of tools -> merged PRs)."""

    counts: dict[int, dict[str, int]]
    stats: dict[int, dict[str, dict]]
    weeks: dict[dt.date, dict] = dataclasses.field(default_factory=dict)
    sizes: dict[str, int] = dataclasses.field(default_factory=dict)
    ai: dict[bool, dict] = dataclasses.field(default_factory=dict)
    tools: list[tuple[list, int]] = dataclasses.field(default_factory=list)


def period_case(field: str, periods: list[MetricFilters]) -> Case:
    """Which of `periods` (its index) a PR's `field` falls in; NULL for none."""
    return Case(
        *(
            When(**{f"{field}__gte": f.start, f"{field}__lt": f.end}, then=Value(i))
            for i, f in enumerate(periods)
        ),
        default=None,
        output_field=IntegerField(),
    )


def in_periods(qs, field: str, periods: list[MetricFilters]):
    """`qs` narrowed to the PRs whose `field` falls in one of `periods` (one range scan)."""
    return qs.filter(
        **{
            f"{field}__gte": min(f.start for f in periods),
            f"{field}__lt": max(f.end for f in periods),
        }
    )


def period_numbers(*, periods: list[MetricFilters], details: bool = False) -> PeriodNumbers:
    """The numbers of `periods` (same filters, adjacent periods); `details` adds the first
    period's weeks, sizes, AI split and tools."""
    if connection.vendor == "postgresql":
        return _postgresql(periods, details=details)
    return _portable(periods, details=details)


def _merged(periods: list[MetricFilters]):
    scoped = pull_requests_scoped(filters=periods[0])
    return in_periods(scoped, "merged_at", periods).annotate(
        _period=period_case("merged_at", periods)
    )


def _week(filters: MetricFilters):
    return TruncWeek("merged_at", tzinfo=filters.tz)


def _unreviewed():
    return ExpressionWrapper(merged_unreviewed(), output_field=BooleanField())


def _empty_numbers(periods) -> PeriodNumbers:
    return PeriodNumbers(
        counts={i: dict.fromkeys((*COUNTS, "opened"), 0) for i in range(len(periods))},
        stats={
            i: percentiles_filled({}, names=[*MERGED_METRICS, "first_review"])
            for i in range(len(periods))
        },
    )


def _fractions(percentiles) -> str:
    return "ARRAY[" + ", ".join(f"{p / 100!r}" for p in percentiles) + "]::double precision[]"


# The columns every branch of the statement returns, in order: what it counts by (`kind`,
# `period`, `key`), its counts, and per metric (MERGED_METRICS, then first_review) the
# percentiles array and how many values it had.
_STAT_SLOTS = [*MERGED_METRICS, "first_review"]


def _select(kind: str, *, period="_period", key="NULL", counts=None, stats=None) -> str:
    counts = counts or {}
    stats = stats or {}
    columns = [f"'{kind}'::text", f"{period}::integer", f"({key})::text"]
    columns += [f"({counts.get(name, '0')})::bigint" for name in (*COUNTS, "opened")]
    for name in _STAT_SLOTS:
        if name in stats:
            column, percentiles = stats[name]
            columns.append(
                f"percentile_cont({_fractions(percentiles)}) WITHIN GROUP (ORDER BY {column})"
            )
            columns.append(f"count({column})")
        else:
            columns += ["NULL::double precision[]", "0::bigint"]
    return "SELECT " + ", ".join(columns)


def _postgresql(periods: list[MetricFilters], *, details: bool) -> PeriodNumbers:
    first = periods[0]
    scoped = pull_requests_scoped(filters=first)
    merged = _merged(periods).annotate(_week=_week(first), _unreviewed=_unreviewed())
    merged_sql, merged_params = (
        merged.order_by()
        .values(
            "_period",
            "_week",
            "_unreviewed",
            "is_ai_assisted",
            "size_bucket",
            "ai_tools",
            *MERGED_METRICS.values(),
        )
        .query.sql_with_params()
    )
    opened_sql, opened_params = (
        in_periods(scoped, "opened_at", periods)
        .annotate(_period=period_case("opened_at", periods))
        .order_by()
        .values("_period")
        .query.sql_with_params()
    )
    reviewed_sql, reviewed_params = (
        in_periods(scoped, "first_review_at", periods)
        .annotate(_period=period_case("first_review_at", periods))
        .order_by()
        .values("_period", "first_review_seconds")
        .query.sql_with_params()
    )
    merged_counts = {
        "merged": "count(*)",
        "unreviewed": "count(*) FILTER (WHERE _unreviewed)",
        "ai": "count(*) FILTER (WHERE is_ai_assisted)",
        "xl_unreviewed": f"count(*) FILTER (WHERE _unreviewed AND size_bucket = "
        f"'{PullRequest.Size.XL.value}')",
    }
    branches = [
        _select(
            "period",
            counts=merged_counts,
            stats={name: (column, PERCENTILES) for name, column in MERGED_METRICS.items()},
        )
        + " FROM m GROUP BY _period"
    ]
    if details:
        weekly = {name: (MERGED_METRICS[name], (50,)) for name in WEEKLY_METRICS}
        branches += [
            _select("week", period="0", key="_week::date", counts=merged_counts, stats=weekly)
            + " FROM m WHERE _period = 0 GROUP BY _week",
            _select("size", period="0", key="size_bucket", counts=merged_counts)
            + " FROM m WHERE _period = 0 GROUP BY size_bucket",
            _select(
                "ai",
                period="0",
                key="is_ai_assisted",
                counts=merged_counts,
                stats={"cycle": ("cycle_seconds", PERCENTILES)},
            )
            + " FROM m WHERE _period = 0 GROUP BY is_ai_assisted",
            _select("tools", period="0", key="ai_tools", counts=merged_counts)
            + " FROM m WHERE _period = 0 AND is_ai_assisted GROUP BY ai_tools",
        ]
    branches += [
        _select("opened", counts={"opened": "count(*)"}) + f" FROM ({opened_sql}) o GROUP BY 2",
        _select("first_review", stats={"first_review": ("first_review_seconds", PERCENTILES)})
        + f" FROM ({reviewed_sql}) r GROUP BY 2",
    ]
    sql = f"WITH m AS MATERIALIZED ({merged_sql}) " + " UNION ALL ".join(branches)
    with connection.cursor() as cursor:
        cursor.execute(sql, (*merged_params, *opened_params, *reviewed_params))
        rows = cursor.fetchall()
    numbers = _empty_numbers(periods)
    for kind, period, key, *values in rows:
        counts = dict(zip((*COUNTS, "opened"), values[:5], strict=True))
        found = {}
        for i, name in enumerate(_STAT_SLOTS):
            if name in _BRANCH_STATS.get(kind, ()):
                percentiles = (50,) if kind == "week" else PERCENTILES
                found[name] = _stat(values[5 + 2 * i], values[6 + 2 * i], percentiles)
        if kind == "period":
            numbers.counts[period].update({name: counts[name] for name in COUNTS})
            numbers.stats[period].update(found)
        elif kind == "first_review":
            numbers.stats[period].update(found)
        elif kind == "opened":
            numbers.counts[period]["opened"] = counts["opened"]
        elif kind == "week":
            week = dt.date.fromisoformat(key)
            numbers.weeks[week] = {
                "merged": counts["merged"],
                "ai": counts["ai"],
                **{name: found[name][50] for name in WEEKLY_METRICS},
            }
        elif kind == "size":
            numbers.sizes[key] = counts["merged"]
        elif kind == "ai":
            numbers.ai[key == "true"] = found["cycle"]
        elif kind == "tools":
            numbers.tools.append((json.loads(key), counts["merged"]))
    return numbers


# The metrics each kind of row of the statement has percentiles of.
_BRANCH_STATS = {
    "period": tuple(MERGED_METRICS),
    "first_review": ("first_review",),
    "week": WEEKLY_METRICS,
    "ai": ("cycle",),
}


def _stat(array, n, percentiles) -> dict:
    """One metric's percentiles as `percentiles_compute` gives them (None without values)."""
    return {**dict(zip(percentiles, array or [None] * len(percentiles), strict=True)), "n": n}


def _portable(periods: list[MetricFilters], *, details: bool) -> PeriodNumbers:
    """The same numbers, a query each (SQLite has no percentile_cont)."""
    first = periods[0]
    scoped = pull_requests_scoped(filters=first)
    merged = _merged(periods)
    numbers = _empty_numbers(periods)
    for row in (
        merged.order_by()
        .values("_period")
        .annotate(
            merged=Count("pk"),
            unreviewed=Count("pk", filter=merged_unreviewed()),
            ai=Count("pk", filter=Q(is_ai_assisted=True)),
            xl_unreviewed=Count(
                "pk", filter=merged_unreviewed() & Q(size_bucket=PullRequest.Size.XL)
            ),
        )
    ):
        numbers.counts[row["_period"]].update({name: row[name] for name in COUNTS})
    for period, n in (
        in_periods(scoped, "opened_at", periods)
        .annotate(_period=period_case("opened_at", periods))
        .order_by()
        .values_list("_period")
        .annotate(n=Count("pk"))
    ):
        numbers.counts[period]["opened"] = n
    values = {name: F(column) for name, column in MERGED_METRICS.items()}
    found = percentiles_compute(merged, values=values, group=F("_period"))
    reviewed = percentiles_compute(
        in_periods(scoped, "first_review_at", periods).annotate(
            _period=period_case("first_review_at", periods)
        ),
        values={"first_review": F("first_review_seconds")},
        group=F("_period"),
    )
    for i in range(len(periods)):
        numbers.stats[i].update(percentiles_filled(found.get(i, {}), names=values))
        numbers.stats[i].update(percentiles_filled(reviewed.get(i, {}), names=["first_review"]))
    if details:
        _portable_details(first, numbers)
    return numbers


def _portable_details(filters: MetricFilters, numbers: PeriodNumbers) -> None:
    merged = _merged([filters]).annotate(_week=_week(filters))
    for row in (
        merged.order_by()
        .values("_week")
        .annotate(merged=Count("pk"), ai=Count("pk", filter=Q(is_ai_assisted=True)))
    ):
        numbers.weeks[_as_date(row["_week"])] = {"merged": row["merged"], "ai": row["ai"]}
    medians = percentiles_compute(
        merged,
        values={name: F(MERGED_METRICS[name]) for name in WEEKLY_METRICS},
        group=F("_week"),
        percentiles=(50,),
    )
    for week, found in medians.items():
        numbers.weeks[_as_date(week)].update(
            {name: (found.get(name) or {}).get(50) for name in WEEKLY_METRICS}
        )
    numbers.sizes = dict(merged.order_by().values_list("size_bucket").annotate(n=Count("pk")))
    by_group = percentiles_compute(
        merged, values={"cycle": F("cycle_seconds")}, group=F("is_ai_assisted")
    )
    numbers.ai = {key: found["cycle"] for key, found in by_group.items()}
    numbers.tools = list(
        merged.filter(is_ai_assisted=True)
        .order_by()
        .values_list("ai_tools")
        .annotate(n=Count("pk"))
    )


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
