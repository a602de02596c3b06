"""What the team builds in: lines changed and PRs touched per category and language.

The whole UTC days of the period are added up from `TechStackDay` (`pulls.stack_days`):
a few rows per day instead of every changed file. The hours at either end that are not a
whole UTC day (a period runs from midnight in the team's time zone), and any period
narrowed to one author (the days are not split by author), are read from the files.
"""

import datetime as dt

from django.db import connection
from django.db.models import Count, F, Q, Sum

from tformance.metrics.filters import MetricFilters, pull_requests_scoped
from tformance.pulls import techstack
from tformance.pulls.models import PRFile, TechStackDay
from tformance.pulls.techstack import EXCLUDED_BY_DEFAULT

FIELDS = ("category", "language")
Found = dict[str, dict[str, list[int]]]  # field -> name -> [lines, prs]


def _files(filters: MetricFilters, ranges: list[tuple[dt.datetime, dt.datetime]]):
    """Changed files of the PRs merged in `ranges`; generated files only when asked."""
    merged = Q()
    for start, end in ranges:
        merged |= Q(merged_at__gte=start, merged_at__lt=end)
    qs = PRFile.objects.filter(
        team=filters.team,
        pull_request__in=pull_requests_scoped(filters=filters).filter(merged).values("pk"),
    )
    if not filters.include_generated:
        qs = qs.exclude(category__in=EXCLUDED_BY_DEFAULT)
    return qs


def _from_files(qs, found: Found) -> None:
    """Add lines and PRs per category and language of the files `qs` to `found`."""
    if connection.vendor == "postgresql":
        _from_files_postgresql(qs, found)
        return
    for field in FIELDS:
        for name, lines, prs in (
            qs.exclude(**{field: ""})
            .order_by()
            .values_list(field)
            .annotate(
                lines=Sum(F("additions") + F("deletions")),
                prs=Count("pull_request", distinct=True),
            )
        ):
            _add(found, field, name, lines, prs)


def _from_files_postgresql(qs, found: Found) -> None:
    """`_from_files` in one scan of the files (PostgreSQL's GROUPING SETS)."""
    sql, params = (
        qs.order_by()
        .values(*FIELDS, "pull_request_id", "additions", "deletions")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT GROUPING(f.category), f.category, f.language, "
            "SUM(f.additions + f.deletions), COUNT(DISTINCT f.pull_request_id) "
            f"FROM ({sql}) f GROUP BY GROUPING SETS ((f.category), (f.language))",
            params,
        )
        for by_language, category, language, lines, prs in cursor.fetchall():
            field, name = ("language", language) if by_language else ("category", category)
            if name:
                _add(found, field, name, lines, prs)


def _add(found: Found, field: str, name: str, lines, prs) -> None:
    total = found[field].setdefault(name, [0, 0])
    total[0] += lines or 0
    total[1] += prs


def _utc_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _whole_days(filters: MetricFilters) -> tuple[dt.date, dt.date] | None:
    """The UTC days [first, last) wholly inside the period, or None if there is none."""
    start = filters.start.astimezone(dt.UTC)
    first = start.date() + dt.timedelta(days=0 if start == _utc_midnight(start.date()) else 1)
    last = filters.end.astimezone(dt.UTC).date()
    return (first, last) if first < last else None


def _from_days(filters: MetricFilters, days: tuple[dt.date, dt.date], found: Found) -> None:
    language = (
        TechStackDay.Kind.LANGUAGE_ALL if filters.include_generated else TechStackDay.Kind.LANGUAGE
    )
    rows = TechStackDay.objects.filter(
        team=filters.team,
        day__gte=days[0],
        day__lt=days[1],
        kind__in=[TechStackDay.Kind.CATEGORY, language],
    )
    if filters.repository_ids:
        rows = rows.filter(repository_id__in=filters.repository_ids)
    if not filters.include_bots:
        rows = rows.filter(bot=False)
    if not filters.include_generated:
        rows = rows.exclude(kind=TechStackDay.Kind.CATEGORY, name__in=EXCLUDED_BY_DEFAULT)
    for kind, name, lines, prs in (
        rows.order_by().values_list("kind", "name").annotate(lines=Sum("lines"), prs=Sum("prs"))
    ):
        field = "category" if kind == TechStackDay.Kind.CATEGORY else "language"
        _add(found, field, name, lines, prs)


def _rows(found: dict[str, list[int]], limit: int | None) -> list[dict]:
    # A file renamed or touched without a changed line is no share.
    kept = sorted(
        ((name, lines, prs) for name, (lines, prs) in found.items() if lines > 0),
        key=lambda r: (-r[1], r[0]),
    )
    total = sum(lines for _, lines, _ in kept)
    rows = [
        {"name": name, "lines": lines, "prs": prs, "share": lines / total if total else 0}
        for name, lines, prs in kept
    ]
    return rows[:limit] if limit else rows


def tech_stack_breakdown(*, filters: MetricFilters, languages: int = 10) -> dict:
    """By category and by language (top `languages`), on PRs merged in the period."""
    found: Found = {field: {} for field in FIELDS}
    days = None if filters.member_ids else _whole_days(filters)
    if days is None:
        _from_files(_files(filters, [(filters.start, filters.end)]), found)
    else:
        _from_days(filters, days, found)
        edges = [
            (start, end)
            for start, end in (
                (filters.start, _utc_midnight(days[0])),
                (_utc_midnight(days[1]), filters.end),
            )
            if start < end
        ]
        if edges:
            _from_files(_files(filters, edges), found)
    return {
        "categories": _rows(found["category"], None),
        "languages": _rows(found["language"], languages),
        "generated_excluded": not filters.include_generated,
        "explanation": techstack.EXPLANATION,
    }
