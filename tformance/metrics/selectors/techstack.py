"""What the team builds in: lines changed and PRs touched per category and language."""

from django.db import connection
from django.db.models import Count, F, Sum

from tformance.metrics.filters import MetricFilters, files_of_merged
from tformance.pulls import techstack

FIELDS = ("category", "language")


def _found(qs, field: str) -> list[dict]:
    """Lines and PRs per value of `field`, most lines first (the portable query)."""
    return list(
        qs.exclude(**{field: ""})
        .order_by()
        .values(field)
        .annotate(
            lines=Sum(F("additions") + F("deletions")), prs=Count("pull_request", distinct=True)
        )
        .filter(lines__gt=0)  # a file renamed or touched without a changed line is no share
        .order_by("-lines", field)
        .values("lines", "prs", name=F(field))
    )


def _found_both(qs) -> dict[str, list[dict]]:
    """`_found` for every field in one scan of the files (PostgreSQL's GROUPING SETS)."""
    sql, params = (
        qs.order_by()
        .values(*FIELDS, "pull_request_id", "additions", "deletions")
        .query.sql_with_params()
    )
    found: dict[str, list[dict]] = {field: [] for field in FIELDS}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT GROUPING(f.category), f.category, f.language, "
            "SUM(f.additions + f.deletions), COUNT(DISTINCT f.pull_request_id) "
            f"FROM ({sql}) f GROUP BY GROUPING SETS ((f.category), (f.language)) "
            "HAVING SUM(f.additions + f.deletions) > 0 "
            "ORDER BY 1, 4 DESC, f.category, f.language",
            params,
        )
        for by_language, category, language, lines, prs in cursor.fetchall():
            field, name = ("language", language) if by_language else ("category", category)
            if name:
                found[field].append({"name": name, "lines": lines, "prs": prs})
    return found


def _rows(found: list[dict], limit: int | None) -> list[dict]:
    total = sum(r["lines"] or 0 for r in found)
    rows = [
        {
            "name": r["name"],
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
    if connection.vendor == "postgresql":
        found = _found_both(files)
    else:
        found = {field: _found(files, field) for field in FIELDS}
    return {
        "categories": _rows(found["category"], None),
        "languages": _rows(found["language"], languages),
        "generated_excluded": not filters.include_generated,
        "explanation": techstack.EXPLANATION,
    }
