"""What the team builds in: lines changed and PRs touched per category and language.

The whole UTC months of the period are added up from `TechStackMonth`, the whole UTC days
around them from `TechStackDay` (`pulls.stack_days`): a few rows per month or day instead
of every changed file. The hours at either end that are not a
whole UTC day (a period runs from midnight in the team's time zone), and any period
narrowed to one author (the days are not split by author), are read from the files.
"""

import datetime as dt

from django.db.models import Case, Count, F, Q, Sum, Value, When

from tformance.metrics.filters import MetricFilters, pull_requests_scoped
from tformance.pulls import techstack
from tformance.pulls.models import PRFile, TechStackDay, TechStackMonth
from tformance.pulls.stack_days import month_after, month_of
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


def _from_files(qs) -> list:
    """Lines and PRs per category and per language of the files `qs`: one query each."""
    return [
        qs.exclude(**{field: ""})
        .annotate(_field=Value(field), _name=F(field))
        .order_by()
        .values("_field", "_name")
        .annotate(
            lines=Sum(F("additions") + F("deletions")), prs=Count("pull_request", distinct=True)
        )
        for field in FIELDS
    ]


def _utc_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _whole_days(filters: MetricFilters) -> tuple[dt.date, dt.date] | None:
    """The UTC days [first, last) wholly inside the period, or None if there is none."""
    start = filters.start.astimezone(dt.UTC)
    first = start.date() + dt.timedelta(days=0 if start == _utc_midnight(start.date()) else 1)
    last = filters.end.astimezone(dt.UTC).date()
    return (first, last) if first < last else None


def _whole_months(days: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date] | None:
    """The UTC months [first, last) (their first days) wholly inside the days, or None."""
    first = days[0] if days[0].day == 1 else month_after(days[0])
    last = month_of(days[1])
    return (first, last) if first < last else None


def _from_days(filters: MetricFilters, days: tuple[dt.date, dt.date]) -> list:
    """Lines and PRs per category and language of the whole days [first, last): the whole
    months among them from `TechStackMonth`, the days around them from `TechStackDay`."""
    months = _whole_months(days)
    if months is None:
        return [_rolled(filters, TechStackDay, Q(day__gte=days[0], day__lt=days[1]))]
    around = Q()
    for start, end in ((days[0], months[0]), (months[1], days[1])):
        if start < end:
            around |= Q(day__gte=start, day__lt=end)
    parts = [_rolled(filters, TechStackMonth, Q(month__gte=months[0], month__lt=months[1]))]
    return [*parts, _rolled(filters, TechStackDay, around)] if around else parts


def _rolled(filters: MetricFilters, model, within: Q):
    """Lines and PRs per category and language of the `model` rows (days or months) `within`."""
    kind = TechStackDay.Kind
    rows = model.objects.filter(
        within,
        team=filters.team,
        kind__in=[kind.CATEGORY, kind.LANGUAGE_ALL if filters.include_generated else kind.LANGUAGE],
    )
    if filters.repository_ids:
        rows = rows.filter(repository_id__in=filters.repository_ids)
    if not filters.include_bots:
        rows = rows.filter(bot=False)
    if not filters.include_generated:
        rows = rows.exclude(kind=kind.CATEGORY, name__in=EXCLUDED_BY_DEFAULT)
    field = Case(When(kind=kind.CATEGORY, then=Value("category")), default=Value("language"))
    return (
        rows.annotate(_field=field, _name=F("name"))
        .order_by()
        .values("_field", "_name")
        .annotate(lines=Sum("lines"), prs=Sum("prs"))
    )


def tech_stack_query(*, filters: MetricFilters):
    """One query of rows to add up (`_field`, `_name`, lines, prs): the period's whole UTC
    months and days, and the files of the hours around them (of the whole period narrowed to an author)."""
    days = None if filters.member_ids else _whole_days(filters)
    if days is None:
        parts = _from_files(_files(filters, [(filters.start, filters.end)]))
    else:
        edges = [
            (start, end)
            for start, end in (
                (filters.start, _utc_midnight(days[0])),
                (_utc_midnight(days[1]), filters.end),
            )
            if start < end
        ]
        parts = [
            *_from_days(filters, days),
            *(_from_files(_files(filters, edges)) if edges else []),
        ]
    return parts[0].union(*parts[1:], all=True)


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


def tech_stack_breakdown(
    *, filters: MetricFilters, languages: int = 10, rows: list | None = None
) -> dict:
    """By category and by language (top `languages`), on PRs merged in the period.

    `rows`: those of `tech_stack_query`, when the caller read them with other queries.
    """
    found: Found = {field: {} for field in FIELDS}
    for row in tech_stack_query(filters=filters) if rows is None else rows:
        total = found[row["_field"]].setdefault(row["_name"], [0, 0])
        total[0] += int(row["lines"] or 0)
        total[1] += int(row["prs"])
    return {
        "categories": _rows(found["category"], None),
        "languages": _rows(found["language"], languages),
        "generated_excluded": not filters.include_generated,
        "explanation": techstack.EXPLANATION,
    }
