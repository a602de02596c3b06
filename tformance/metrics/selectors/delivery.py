"""How fast the team ships: cycle time and its stages, reviews, throughput, PR size."""

import datetime as dt

from django.db import connection
from django.db.models import Count, F, Q
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
    pull_requests_opened,
    pull_requests_scoped,
    pull_requests_waiting,
)
from tformance.metrics.percentiles import (
    percentiles_compute,
    percentiles_from_histogram,
    percentiles_of,
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


def review_count_histogram(merged) -> list[tuple[int, int]]:
    """(reviews, PRs with that many) over `merged`: one LEFT JOIN ... GROUP BY, twice.

    The reviews counted are `review_by_other`'s, as in `review_count`. The outer GROUP BY is
    raw SQL because the ORM cannot aggregate an aggregate; it is plain SQL on both backends.
    """
    per_pr = (
        PullRequest.objects.filter(pk__in=merged.order_by().values("pk"))
        .order_by()
        .values("pk")  # GROUP BY the PR's id alone
        .annotate(c=Count("reviews", filter=review_by_other(F("author_id"), via="reviews__")))
        .values("c")
    )
    sql, params = per_pr.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT per_pr.c, COUNT(*) FROM ({sql}) per_pr GROUP BY per_pr.c ORDER BY per_pr.c",
            params,
        )
        return [(int(c), int(n)) for c, n in cursor.fetchall()]


def delivery_summary(*, filters: MetricFilters) -> dict:
    """Counts and percentiles of one period (3 queries)."""
    merged = pull_requests_merged(filters=filters)
    counts = merged.aggregate(
        merged=Count("pk"),
        unreviewed=Count("pk", filter=merged_unreviewed()),
        ai=Count("pk", filter=Q(is_ai_assisted=True)),
        xl_unreviewed=Count("pk", filter=merged_unreviewed() & Q(size_bucket=PullRequest.Size.XL)),
    )
    counts["opened"] = pull_requests_opened(filters=filters).count()
    stats = percentiles_of(merged, values=merged_metric_values())
    stats["reviews"] = percentiles_from_histogram(review_count_histogram(merged))
    first_reviewed = pull_requests_scoped(filters=filters).filter(
        first_review_at__gte=filters.start, first_review_at__lt=filters.end
    )
    stats.update(
        percentiles_of(first_reviewed, values={"first_review": first_review_wait_seconds()})
    )
    n = counts["merged"]
    counts["unreviewed_share"] = counts["unreviewed"] / n if n else None
    counts["ai_share"] = counts["ai"] / n if n else None
    counts["throughput_per_week"] = n / (filters.days / 7) if n else 0.0
    return {**counts, "stats": stats}


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
    current = delivery_summary(filters=filters)
    before = filters.previous()
    if not before.imported:
        gone = change_not_imported(history_start=filters.history_start, tz=filters.tz)
        changes = dict.fromkeys([*_HEADLINES, *_MEDIANS], gone)
        return {"current": current, "previous": None, "change": changes}
    previous = delivery_summary(filters=before)
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
