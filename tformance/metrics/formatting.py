"""Numbers as people read them: "45 min", "6 h", "2.5 d", "30 %", "1,240", "3 Sep 2025"."""

import datetime as dt

from django.utils.timesince import timesince


def duration_text(seconds: float | None) -> str:
    """One duration on its own (a card, a sentence): the unit that reads best."""
    if seconds is None:
        return "–"
    seconds = max(0.0, float(seconds))
    if seconds < 3600:
        return f"{max(1, round(seconds / 60)) if seconds else 0} min"
    hours = seconds / 3600
    if hours < 48:
        return f"{_short(hours)} h"
    return f"{_short(hours / 24)} d"


def hours_text(seconds: float | None) -> str:
    """A duration in a table or a chart: always hours, so a column compares at a glance."""
    if seconds is None:
        return "–"
    hours = max(0.0, float(seconds)) / 3600
    if 0 < hours < 0.05:
        return "< 0.1 h"
    return f"{_short(hours)} h"


def _short(x: float) -> str:
    """One decimal below 10 (without a trailing .0), whole numbers above, with separators."""
    if x >= 10:
        return f"{round(x):,}"
    return f"{x:.1f}".removesuffix(".0")


def percent_text(share: float | None) -> str:
    if share is None:
        return "–"
    if 0 < share < 0.005:
        return "< 1 %"  # not "0 %" for something that is there
    return f"{round(share * 100)} %"


def count_text(n: int | None) -> str:
    return "–" if n is None else f"{n:,}"


def day_text(day: dt.date | dt.datetime, tz=None) -> str:
    """A day as the pages write it ("3 Sep 2025", like "j M Y"); a moment in `tz`."""
    if isinstance(day, dt.datetime):
        day = day.astimezone(tz).date()
    return f"{day.day} {day:%b %Y}"


def ago_text(moment: dt.datetime, *, now: dt.datetime) -> str:
    """How long ago, in words: "just now" rather than "0 minutes ago", else "3 hours ago"."""
    if (now - moment).total_seconds() < 60:
        return "just now"
    return f"{timesince(moment, now, depth=1)} ago"
