"""When two numbers may be compared: the minimum sample, written once.

A change between two periods, or a difference between two groups of PRs (AI-assisted and
the others), needs at least `MIN_SAMPLE` PRs on each side. With fewer, the pages show the
counts ("3 → 24 PRs") instead of a percentage, and the insights say nothing. Whether there
is an earlier period to compare with at all is the history limit's call
(`MetricFilters.imported`).
"""

import dataclasses
import datetime as dt

from tformance.metrics.formatting import day_text

MIN_SAMPLE = 10


def sample_enough(*counts: int) -> bool:
    """Every side of a comparison has at least `MIN_SAMPLE` PRs."""
    return all(n >= MIN_SAMPLE for n in counts)


@dataclasses.dataclass(frozen=True)
class Change:
    """How a number moved against the period before, in the form it may be shown."""

    ratio: float | None = None  # relative change; only with enough PRs on both sides
    n_before: int | None = None  # the bases, shown instead when they are too small
    n_now: int | None = None
    note: str = ""  # why there is neither

    @property
    def kind(self) -> str:
        if self.ratio is not None:
            return "percent"
        if self.n_now is not None:
            return "counts"
        return "none"


def change_between(*, now, before, n_now: int, n_before: int) -> Change:
    """`now` against `before`, measured over `n_now` and `n_before` PRs."""
    if not sample_enough(n_now, n_before):
        return Change(n_before=n_before, n_now=n_now)
    if now is None or before is None:
        return Change(note="no earlier data")
    if before == 0:
        return Change(ratio=0.0) if now == 0 else Change(note="up from 0")
    return Change(ratio=(now - before) / before)


def change_not_imported(*, history_start: dt.datetime, tz) -> Change:
    return Change(note=f"no comparison: history starts {day_text(history_start, tz)}")
