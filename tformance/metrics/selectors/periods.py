"""The numbers of the PRs merged, opened and first reviewed in one or two periods, at once.

`period_numbers` reads everything the overview shows about a period's PRs (and the
comparison period's): counts, percentiles of every duration and of reviews per PR, and,
for the first period, its weeks, sizes, AI split and tools. The selectors of `delivery` and
`ai` present them; the overview hands one `PeriodNumbers` to all of them.

On PostgreSQL it is one statement of branches joined by UNION ALL, each one pass over a
range of a covering index (a period's merged, opened or first-reviewed PRs) that returns
one row (or one per week, per combination of tools) as JSON: no branch sorts its rows to
group them by period (the weeks' branch sorts them by week), and every branch is
parallel-safe, so PostgreSQL runs them side by side in parallel workers (Parallel Append;
`queries_together` plans them apart from the page's other reads). Percentiles are
`percentile_cont` of the stored durations (`PullRequest.cycle_seconds` ...). SQLite (the
demo's database) asks the same questions one query each, with the portable percentiles.
"""

import dataclasses
import datetime as dt

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    Func,
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
    PercentileCont,
    percentiles_compute,
    percentiles_filled,
)
from tformance.metrics.selectors.together import queries_together, query_rows
from tformance.metrics.weeks import week_starts
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
    # The rows (dicts) of the `also` queries, by name.
    also: dict[str, list[dict]] = dataclasses.field(default_factory=dict)


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


def period_numbers(
    *, periods: list[MetricFilters], details: bool = False, also: dict | None = None
) -> PeriodNumbers:
    """The numbers of `periods` (same filters, adjacent periods); `details` adds the first
    period's weeks, sizes, AI split and tools. `also`: other queries (`values()` querysets
    or (SQL, params)) to read in the same round trip, by name; their rows (dicts) are in
    `also` of the result."""
    if connection.vendor == "postgresql":
        return _postgresql(periods, details=details, also=also or {})
    numbers = _portable(periods, details=details)
    numbers.also = {name: query_rows(query) for name, query in (also or {}).items()}
    return numbers


def _merged(periods: list[MetricFilters]):
    scoped = pull_requests_scoped(filters=periods[0])
    return in_periods(scoped, "merged_at", periods).annotate(
        _period=period_case("merged_at", periods)
    )


def _week(filters: MetricFilters):
    return TruncWeek("merged_at", tzinfo=filters.tz)


def _empty_numbers(periods) -> PeriodNumbers:
    return PeriodNumbers(
        counts={i: dict.fromkeys((*COUNTS, "opened"), 0) for i in range(len(periods))},
        stats={
            i: percentiles_filled({}, names=[*MERGED_METRICS, "first_review"])
            for i in range(len(periods))
        },
    )


def _within(field: str, filters: MetricFilters) -> Q:
    return Q(**{f"{field}__gte": filters.start, f"{field}__lt": filters.end})


def _percentiles(column: str, condition: Q | None, percentiles=PERCENTILES) -> dict:
    """`percentile_cont` of `column` over the rows of `condition`, and how many it had."""
    return {
        "p": PercentileCont(F(column), percentiles=percentiles, filter=condition),
        "n": Count(column, filter=condition),
    }


def _one_row(qs, aggregates: dict):
    """`qs` aggregated into one row (no GROUP BY: every figure FILTERs its own rows)."""
    return qs.order_by().annotate(_all=Value(0)).values("_all").annotate(**aggregates)


def _flat(named: dict[str, dict]) -> dict:
    return {
        f"{name}__{part}": value for name, parts in named.items() for part, value in parts.items()
    }


def _postgresql(periods: list[MetricFilters], *, details: bool, also: dict) -> PeriodNumbers:
    """One statement of single-pass branches glued by UNION ALL, each row as JSON: per
    period, its merged, opened and first-reviewed PRs (each a range of its own index)."""
    first = periods[0]
    scoped = pull_requests_scoped(filters=first)
    unreviewed = merged_unreviewed()
    branches = {}
    for i, filters in enumerate(periods):
        figures = {
            "merged": Count("*"),
            "unreviewed": Count("pk", filter=unreviewed),
            "ai": Count("pk", filter=Q(is_ai_assisted=True)),
            "xl_unreviewed": Count("pk", filter=unreviewed & Q(size_bucket=PullRequest.Size.XL)),
        }
        stats = {name: _percentiles(column, None) for name, column in MERGED_METRICS.items()}
        if details and i == 0:
            for size in PullRequest.Size:
                figures[f"size_{size.value}"] = Count("pk", filter=Q(size_bucket=size))
            for ai in (True, False):
                stats[f"ai_{ai}"] = _percentiles("cycle_seconds", Q(is_ai_assisted=ai))
        merged = scoped.filter(_within("merged_at", filters))
        branches[f"merged:{i}"] = _one_row(merged, {**figures, **_flat(stats)})
        branches[f"opened:{i}"] = _one_row(
            scoped.filter(_within("opened_at", filters)), {"opened": Count("*")}
        )
        branches[f"first_review:{i}"] = _one_row(
            scoped.filter(_within("first_review_at", filters)),
            _flat({"first_review": _percentiles("first_review_seconds", None)}),
        )
    if details:
        merged = scoped.filter(_within("merged_at", first))
        weekly = {name: _percentiles(MERGED_METRICS[name], None, (50,)) for name in WEEKLY_METRICS}
        branches["week"], mondays = _per_week(
            scoped,
            first,
            {
                "merged": Count("*"),
                "ai": Count("pk", filter=Q(is_ai_assisted=True)),
                **_flat(weekly),
            },
        )
        branches["tools"] = (
            merged.filter(is_ai_assisted=True)
            .order_by()
            .values("ai_tools")
            .annotate(merged=Count("*"))
        )
    found = queries_together(
        {f"also:{name}": query for name, query in also.items()}, side_by_side=branches
    )
    rows = [(kind, row) for kind, rows in found.items() for row in rows]
    numbers = _empty_numbers(periods)
    numbers.also = {name: [] for name in also}
    for kind, found in rows:
        kind, _, period = kind.partition(":")
        if kind == "also":
            numbers.also[period].append(found)
        elif kind == "merged":
            i = int(period)
            numbers.counts[i].update({name: found[name] for name in COUNTS})
            for name in MERGED_METRICS:
                numbers.stats[i][name] = _stat(found, name)
            if details and i == 0:
                numbers.sizes = {
                    size.value: found[f"size_{size.value}"] for size in PullRequest.Size
                }
                numbers.ai = {ai: _stat(found, f"ai_{ai}") for ai in (True, False)}
        elif kind == "opened":
            numbers.counts[int(period)]["opened"] = found["opened"]
        elif kind == "first_review":
            numbers.stats[int(period)]["first_review"] = _stat(found, "first_review")
        elif kind == "week":
            numbers.weeks[mondays[found["_week"] - 1]] = {
                "merged": found["merged"],
                "ai": found["ai"],
                **{name: _stat(found, name, (50,))[50] for name in WEEKLY_METRICS},
            }
        elif kind == "tools":
            numbers.tools.append((found["ai_tools"], found["merged"]))
    return numbers


class WidthBucket(Func):
    """PostgreSQL's ``width_bucket(value, thresholds)``: 1 for a value from the first
    threshold up to the second, 2 up to the third, and so on (a binary search)."""

    function = "width_bucket"
    output_field = IntegerField()


def _per_week(scoped, filters: MetricFilters, aggregates: dict):
    """`aggregates` over the PRs merged in each week of the period (from Monday in the
    team's time zone, as `TruncWeek`), a row per week with its number (`_week`, from 1),
    and the Mondays of those numbers.

    One pass over the period's range of the index, as for its other numbers, each PR put
    in its week by `width_bucket` of the weeks' bounds, then grouped. A LATERAL subquery
    per week reads a range per week and sorts nothing, but it refers to the row before it:
    PostgreSQL plans it as a query of its own fed by parameters, which are not
    parallel-safe, and that kept the statement from running its branches side by side
    (`queries_together`); a join of the weeks to the PRs on their bounds let the planner
    compare every PR with every week (2 years of one repository: 0.9 million comparisons,
    175 ms)."""
    tz = filters.tz
    mondays, bounds = [], []
    for monday in week_starts(filters=filters):
        begins = dt.datetime.combine(monday, dt.time(), tzinfo=tz)
        mondays.append(monday)
        bounds.append(max(begins, filters.start))
    bounds.append(filters.end)
    thresholds = Value(bounds, output_field=ArrayField(DateTimeField()))
    weeks = (
        scoped.filter(_within("merged_at", filters))
        .order_by()
        .annotate(_week=WidthBucket(F("merged_at"), thresholds))
        .values("_week")
        .annotate(**aggregates)
    )
    return weeks, mondays


def _stat(found: dict, name: str, percentiles=PERCENTILES) -> dict:
    """One metric's percentiles as `percentiles_compute` gives them (None without values)."""
    values = found[f"{name}__p"] or [None] * len(percentiles)
    return {**dict(zip(percentiles, values, strict=True)), "n": found[f"{name}__n"]}


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
