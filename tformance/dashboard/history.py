"""What a page says when its period starts before the imported history of its repositories.

Whether it must say anything is the history limit's rule (`MetricFilters.imported`); which
repositories reach how far back is `sync.selectors.imported_history`. This only words it,
in the team's time zone.
"""

from tformance.metrics.filters import MetricFilters
from tformance.metrics.formatting import day_text
from tformance.sync.selectors import imported_history


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def history_notice(*, filters: MetricFilters, states=None) -> str:
    """The sentence for the page, or "" when the history covers its whole period.

    `states`: the team's `team_sync_states`, when the page read them.
    """
    if filters.imported:
        return ""
    tz = filters.tz
    repositories = imported_history(
        team=filters.team, repository_ids=filters.repository_ids, states=states
    )
    short = [h for h in repositories if h.since is not None and h.since > filters.start]
    covering = [h.full_name for h in repositories if h not in short]
    if not short:  # a sync completed between the two reads: nothing is missing any more
        return ""
    by_day: dict[str, list[str]] = {}
    for h in short:
        by_day.setdefault(day_text(h.since, tz), []).append(h.full_name)
    if len(by_day) == 1 and len(short) > 1 and not covering:
        [day] = by_day
        reach = f"from {day} for these repositories"
    else:
        reach = _and([f"from {day} for {_and(names)}" for day, names in by_day.items()])
    text = (
        f"History imported {reach}; the period starts {day_text(filters.start, tz)}. "
        f"Numbers before {day_text(filters.history_start, tz)} are incomplete."
    )
    if covering:
        text += f" {_and(covering)} cover{'s' if len(covering) == 1 else ''} the whole period."
    return text
