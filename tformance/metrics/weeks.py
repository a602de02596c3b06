"""The weeks of a period (from Monday, in the team's time zone) and whether each is whole.

A week is *partial* when part of it lies outside the period, before the imported history,
or still ahead (the current week); it is *not imported* when none of its days in the period
lie after the history's start. Charts and tables mark both, and a week not imported has no
numbers rather than zeros. This is the one home of the partial-week rule.
"""

import dataclasses
import datetime as dt

from django.utils import timezone

from tformance.metrics.filters import MetricFilters
from tformance.metrics.formatting import day_text

COMPLETE = "complete"
PARTIAL = "partial"
NOT_IMPORTED = "not_imported"


@dataclasses.dataclass(frozen=True)
class Week:
    monday: dt.date
    status: str  # COMPLETE, PARTIAL or NOT_IMPORTED
    note: str = ""  # what is missing, in words


def week_starts(*, filters: MetricFilters) -> list[dt.date]:
    """Mondays (team time zone) of every week that overlaps the period."""
    first = filters.start.astimezone(filters.tz).date()
    last = (filters.end - dt.timedelta(microseconds=1)).astimezone(filters.tz).date()
    monday = first - dt.timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += dt.timedelta(days=7)
    return weeks


def period_weeks(*, filters: MetricFilters, now: dt.datetime | None = None) -> list[Week]:
    """Every week of the period, with what part of it the numbers cover."""
    now, tz, history = now or timezone.now(), filters.tz, filters.history_start
    weeks = []
    for monday in week_starts(filters=filters):
        begins = dt.datetime.combine(monday, dt.time(), tzinfo=tz)
        ends = begins + dt.timedelta(days=7)
        first, last = max(begins, filters.start), min(ends, filters.end)
        if history is not None and history >= last:
            note = f"not imported: the history starts {day_text(history, tz)}"
            weeks.append(Week(monday=monday, status=NOT_IMPORTED, note=note))
            continue
        notes = []
        if first > begins:
            notes.append(f"from {day_text(first, tz)}, the period's start")
        if history is not None and history > first:
            notes.append(f"history imported from {day_text(history, tz)}")
        if last < ends and last <= now:
            last_day = day_text(last - dt.timedelta(microseconds=1), tz)
            notes.append(f"up to {last_day}, the period's end")
        elif ends > now:
            notes.append("week in progress")
        status = PARTIAL if notes else COMPLETE
        weeks.append(Week(monday=monday, status=status, note="; ".join(notes)))
    return weeks
