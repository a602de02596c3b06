"""What the team builds in: lines changed and PRs touched per category and language."""

from django.db.models import Count, F, Sum

from tformance.metrics.filters import MetricFilters, files_of_merged
from tformance.pulls import techstack


def _rows(qs, field: str, limit: int | None) -> list[dict]:
    found = list(
        qs.exclude(**{field: ""})
        .order_by()
        .values(field)
        .annotate(
            lines=Sum(F("additions") + F("deletions")), prs=Count("pull_request", distinct=True)
        )
        .filter(lines__gt=0)  # a file renamed or touched without a changed line is no share
        .order_by("-lines", field)
    )
    total = sum(r["lines"] or 0 for r in found)
    rows = [
        {
            "name": r[field],
            "lines": r["lines"] or 0,
            "prs": r["prs"],
            "share": (r["lines"] or 0) / total if total else 0,
        }
        for r in found
    ]
    return rows[:limit] if limit else rows


def tech_stack_breakdown(*, filters: MetricFilters, languages: int = 10) -> dict:
    """By category and by language (top `languages`), on PRs merged in the period."""
    files = files_of_merged(filters=filters)
    return {
        "categories": _rows(files, "category", None),
        "languages": _rows(files, "language", languages),
        "generated_excluded": not filters.include_generated,
        "explanation": techstack.EXPLANATION,
    }
