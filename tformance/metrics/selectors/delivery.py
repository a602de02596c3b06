"""How fast the team ships: cycle time and its stages, reviews, throughput, PR size."""

import datetime as dt

from django.db.models import F

from tformance.metrics.comparison import change_between, change_not_imported
from tformance.metrics.expressions import merged_unreviewed
from tformance.metrics.filters import (
    MetricFilters,
    pull_requests_merged,
    pull_requests_waiting,
)
from tformance.metrics.selectors.periods import (
    COUNTS,
    WEEKLY_METRICS,
    PeriodNumbers,
    period_numbers,
)
from tformance.metrics.weeks import NOT_IMPORTED, period_weeks
from tformance.pulls.models import PullRequest


def delivery_summary(*, filters: MetricFilters) -> dict:
    """Counts and percentiles of one period."""
    return delivery_summaries(periods=[filters])[0]


def delivery_summaries(
    *, periods: list[MetricFilters], numbers: PeriodNumbers | None = None
) -> list[dict]:
    """`delivery_summary` of each of `periods` (same filters, adjacent periods), from
    `numbers` (`period_numbers` of those periods) or read at once."""
    numbers = numbers or period_numbers(periods=periods)
    summaries = []
    for i, filters in enumerate(periods):
        counts = numbers.counts[i]
        summary = {name: counts[name] for name in (*COUNTS, "opened")}
        n = summary["merged"]
        summary["unreviewed_share"] = summary["unreviewed"] / n if n else None
        summary["ai_share"] = summary["ai"] / n if n else None
        summary["throughput_per_week"] = n / (filters.days / 7) if n else 0.0
        summaries.append({**summary, "stats": numbers.stats[i]})
    return summaries


def kpi_periods(*, filters: MetricFilters) -> list[MetricFilters]:
    """The periods the KPIs compare: this one, and the one before it when it is imported."""
    before = filters.previous()
    return [filters, before] if before.imported else [filters]


# Each headline and the number of PRs it is measured over (the base of its change).
_HEADLINES = {
    "merged": ("merged", "merged"),
    "opened": ("opened", "opened"),
    "unreviewed_share": ("unreviewed_share", "merged"),
    "ai_share": ("ai_share", "merged"),
}
_MEDIANS = ("cycle", "coding", "pickup", "review", "reviews", "first_review")


def delivery_kpis(*, filters: MetricFilters, numbers: PeriodNumbers | None = None) -> dict:
    """This period and the one before it, with how each headline changed.

    No change is computed against a period the imported history does not cover (there is
    no `previous` then), and small bases are given as counts (`comparison.change_between`).
    `numbers` are `period_numbers` of `kpi_periods`, when the caller read them already.
    """
    periods = kpi_periods(filters=filters)
    summaries = delivery_summaries(periods=periods, numbers=numbers)
    if len(periods) == 1:
        gone = change_not_imported(history_start=filters.history_start, tz=filters.tz)
        changes = dict.fromkeys([*_HEADLINES, *_MEDIANS], gone)
        return {"current": summaries[0], "previous": None, "change": changes}
    current, previous = summaries
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


def _details(filters: MetricFilters, numbers: PeriodNumbers | None) -> PeriodNumbers:
    return numbers or period_numbers(periods=[filters], details=True)


def weekly_trends(
    *,
    filters: MetricFilters,
    now: dt.datetime | None = None,
    numbers: PeriodNumbers | None = None,
) -> list[dict]:
    """Per week (Monday, team time zone) of merge: throughput, AI share, stage medians.

    Each row says whether its week is complete (`weeks.period_weeks`); a week before the
    imported history has no numbers (None), not zeros. `numbers`: `period_numbers` with
    details, `filters` first.
    """
    found = _details(filters, numbers).weeks
    rows = []
    for w in period_weeks(filters=filters, now=now):
        row = {"week": w.monday, "status": w.status, "note": w.note}
        if w.status == NOT_IMPORTED:
            row.update(dict.fromkeys(["merged", "ai", "ai_share", *WEEKLY_METRICS]))
        else:
            c = found.get(w.monday, {"merged": 0, "ai": 0})
            row.update(
                merged=c["merged"],
                ai=c["ai"],
                ai_share=c["ai"] / c["merged"] if c["merged"] else None,
                **{name: c.get(name) for name in WEEKLY_METRICS},
            )
        rows.append(row)
    return rows


def size_distribution(
    *, filters: MetricFilters, numbers: PeriodNumbers | None = None
) -> list[dict]:
    """Merged PRs per size bucket, XS to XL, with their share."""
    found = _details(filters, numbers).sizes
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
    """XL PRs merged in the period without a review, biggest first.

    The biggest are picked from the partial index of XL merges (`pr_team_merged_xl` holds
    what the filters and the order read: an index-only scan), and only those rows are read
    whole: a period's XL merges are mostly reviewed (2 years at 100k PRs: 10,000 rows read
    from the table for 8, 19 ms; 1.6 ms from the index)."""
    lines = F("additions") + F("deletions")
    biggest = (
        pull_requests_merged(filters=filters)
        .filter(merged_unreviewed(), size_bucket=PullRequest.Size.XL)
        .annotate(lines=lines)
        .order_by("-lines", "pk")
        .values("pk")[:limit]
    )
    return list(
        PullRequest.objects.filter(pk__in=biggest)
        .annotate(lines=lines)
        .select_related("repository", "author")
        .order_by("-lines", "pk")
    )
