"""How fast the team ships: cycle time and its stages, reviews, throughput, PR size."""

import datetime as dt
from collections import defaultdict

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import TruncWeek

from tformance.metrics.comparison import change_between, change_not_imported
from tformance.metrics.expressions import (
    coding_seconds,
    cycle_seconds,
    first_review_wait_seconds,
    merged_unreviewed,
    pickup_seconds,
    review_by_other,
    review_seconds,
)
from tformance.metrics.filters import (
    MetricFilters,
    pull_requests_merged,
    pull_requests_scoped,
    pull_requests_waiting,
)
from tformance.metrics.percentiles import (
    percentiles_compute,
    percentiles_filled,
    percentiles_from_histogram,
)
from tformance.metrics.weeks import NOT_IMPORTED, period_weeks
from tformance.pulls.models import PullRequest


def merged_metric_values() -> dict:
    return {
        "cycle": cycle_seconds(),
        "coding": coding_seconds(),
        "pickup": pickup_seconds(),
        "review": review_seconds(),
    }


def _period_case(field: str, periods: list[MetricFilters]) -> Case:
    """Which of `periods` (its index) a PR's `field` falls in; NULL for none."""
    return Case(
        *(
            When(**{f"{field}__gte": f.start, f"{field}__lt": f.end}, then=Value(i))
            for i, f in enumerate(periods)
        ),
        default=None,
        output_field=IntegerField(),
    )


def _in_periods(qs, field: str, periods: list[MetricFilters]):
    """`qs` narrowed to the PRs whose `field` falls in one of `periods` (one range scan)."""
    return qs.filter(
        **{
            f"{field}__gte": min(f.start for f in periods),
            f"{field}__lt": max(f.end for f in periods),
        }
    )


def review_count_histogram(merged, *, group) -> dict:
    """Per `group` key: (reviews, PRs with that many) over `merged`: one LEFT JOIN ... GROUP BY, twice.

    The reviews counted are `review_by_other`'s, as in `review_count`. The outer GROUP BY is
    raw SQL because the ORM cannot aggregate an aggregate; it is plain SQL on both backends.
    """
    per_pr = (
        merged.order_by()
        .annotate(_period=group)
        .values("pk", "_period")  # GROUP BY the PR's id (and its period) alone
        .annotate(c=Count("reviews", filter=review_by_other(F("author_id"), via="reviews__")))
        .values("_period", "c")
    )
    sql, params = per_pr.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT per_pr._period, per_pr.c, COUNT(*) FROM ({sql}) per_pr "
            "GROUP BY per_pr._period, per_pr.c ORDER BY per_pr._period, per_pr.c",
            params,
        )
        found: dict = defaultdict(list)
        for key, c, n in cursor.fetchall():
            found[key].append((int(c), int(n)))
        return found


def delivery_summary(*, filters: MetricFilters) -> dict:
    """Counts and percentiles of one period."""
    return delivery_summaries(periods=[filters])[0]


def delivery_summaries(*, periods: list[MetricFilters]) -> list[dict]:
    """`delivery_summary` of each of `periods` (same filters, adjacent periods) in 5 queries.

    Each query reads the PRs of all the periods at once and groups them by period.
    """
    first = periods[0]
    scoped = pull_requests_scoped(filters=first)
    merged = _in_periods(scoped, "merged_at", periods)
    merged_period = _period_case("merged_at", periods)
    counts = {
        row["_period"]: row
        for row in merged.annotate(_period=merged_period)
        .order_by()
        .values("_period")
        .annotate(
            merged=Count("pk"),
            unreviewed=Count("pk", filter=merged_unreviewed()),
            ai=Count("pk", filter=Q(is_ai_assisted=True)),
            xl_unreviewed=Count(
                "pk", filter=merged_unreviewed() & Q(size_bucket=PullRequest.Size.XL)
            ),
        )
    }
    opened = dict(
        _in_periods(scoped, "opened_at", periods)
        .annotate(_period=_period_case("opened_at", periods))
        .order_by()
        .values_list("_period")
        .annotate(n=Count("pk"))
    )
    stats_by_period = percentiles_compute(
        merged, values=merged_metric_values(), group=merged_period
    )
    histograms = review_count_histogram(merged, group=merged_period)
    first_reviewed = percentiles_compute(
        _in_periods(scoped, "first_review_at", periods),
        values={"first_review": first_review_wait_seconds()},
        group=_period_case("first_review_at", periods),
    )
    summaries = []
    for i, filters in enumerate(periods):
        found = counts.get(i, {})
        summary = {
            name: found.get(name, 0) for name in ("merged", "unreviewed", "ai", "xl_unreviewed")
        }
        summary["opened"] = opened.get(i, 0)
        stats = percentiles_filled(stats_by_period.get(i, {}), names=merged_metric_values())
        stats["reviews"] = percentiles_from_histogram(histograms.get(i, []))
        stats.update(percentiles_filled(first_reviewed.get(i, {}), names=["first_review"]))
        n = summary["merged"]
        summary["unreviewed_share"] = summary["unreviewed"] / n if n else None
        summary["ai_share"] = summary["ai"] / n if n else None
        summary["throughput_per_week"] = n / (filters.days / 7) if n else 0.0
        summaries.append({**summary, "stats": stats})
    return summaries


# Each headline and the number of PRs it is measured over (the base of its change).
_HEADLINES = {
    "merged": ("merged", "merged"),
    "opened": ("opened", "opened"),
    "unreviewed_share": ("unreviewed_share", "merged"),
    "ai_share": ("ai_share", "merged"),
}
_MEDIANS = ("cycle", "coding", "pickup", "review", "reviews", "first_review")


def delivery_kpis(*, filters: MetricFilters) -> dict:
    """This period and the one before it, with how each headline changed.

    No change is computed against a period the imported history does not cover (there is
    no `previous` then), and small bases are given as counts (`comparison.change_between`).
    """
    before = filters.previous()
    if not before.imported:
        current = delivery_summary(filters=filters)
        gone = change_not_imported(history_start=filters.history_start, tz=filters.tz)
        changes = dict.fromkeys([*_HEADLINES, *_MEDIANS], gone)
        return {"current": current, "previous": None, "change": changes}
    current, previous = delivery_summaries(periods=[filters, before])
    changes = {
        name: change_between(
            now=current[value],
            before=previous[value],
            n_now=current[base],
            n_before=previous[base],
        )
        for name, (value, base) in _HEADLINES.items()
    }
    for metric in _MEDIANS:
        now, then = current["stats"][metric], previous["stats"][metric]
        changes[metric] = change_between(
            now=now[50], before=then[50], n_now=now["n"], n_before=then["n"]
        )
    return {"current": current, "previous": previous, "change": changes}


def _week(filters: MetricFilters, field: str):
    return TruncWeek(field, tzinfo=filters.tz)


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def weekly_trends(*, filters: MetricFilters, now: dt.datetime | None = None) -> list[dict]:
    """Per week (Monday, team time zone) of merge: throughput, AI share, stage medians.

    Each row says whether its week is complete (`weeks.period_weeks`); a week before the
    imported history has no numbers (None), not zeros.
    """
    merged = pull_requests_merged(filters=filters)
    week = _week(filters, "merged_at")
    counts = {
        _as_date(row["week"]): row
        for row in merged.annotate(week=week)
        .order_by()
        .values("week")
        .annotate(merged=Count("pk"), ai=Count("pk", filter=Q(is_ai_assisted=True)))
    }
    values = merged_metric_values()
    medians = {
        _as_date(key): found
        for key, found in percentiles_compute(
            merged, values=values, group=week, percentiles=(50,)
        ).items()
    }
    rows = []
    for w in period_weeks(filters=filters, now=now):
        row = {"week": w.monday, "status": w.status, "note": w.note}
        if w.status == NOT_IMPORTED:
            row.update(dict.fromkeys(["merged", "ai", "ai_share", *values]))
        else:
            c = counts.get(w.monday, {"merged": 0, "ai": 0})
            m = medians.get(w.monday, {})
            row.update(
                merged=c["merged"],
                ai=c["ai"],
                ai_share=c["ai"] / c["merged"] if c["merged"] else None,
                **{name: (m.get(name) or {}).get(50) for name in values},
            )
        rows.append(row)
    return rows


def size_distribution(*, filters: MetricFilters) -> list[dict]:
    """Merged PRs per size bucket, XS to XL, with their share."""
    found = dict(
        pull_requests_merged(filters=filters)
        .order_by()
        .values_list("size_bucket")
        .annotate(n=Count("pk"))
    )
    total = sum(found.values())
    return [
        {
            "bucket": value,
            "label": label,
            "count": found.get(value, 0),
            "share": found.get(value, 0) / total if total else 0,
        }
        for value, label in PullRequest.Size.choices
    ]


def attention_waiting(*, filters: MetricFilters, limit: int = 8) -> list[PullRequest]:
    """PRs waiting for a first review, longest first (any period)."""
    return list(
        pull_requests_waiting(filters=filters)
        .select_related("repository", "author")
        .order_by("waiting_since")[:limit]
    )


def attention_xl_unreviewed(*, filters: MetricFilters, limit: int = 8) -> list[PullRequest]:
    """XL PRs merged in the period without a review, biggest first."""
    return list(
        pull_requests_merged(filters=filters)
        .filter(merged_unreviewed(), size_bucket=PullRequest.Size.XL)
        .annotate(lines=F("additions") + F("deletions"))
        .select_related("repository", "author")
        .order_by("-lines")[:limit]
    )
