"""What a dashboard question is asked about: a team, a period and optional narrowing.

`MetricFilters` is built by the dashboard's form (or by the insights engine) and passed to
every selector, which starts from `pull_requests_scoped` — so the team scope, the
repository and member filters and the bot rule are applied in exactly one place.
"""

import dataclasses
import datetime as dt
import zoneinfo

from django.db.models import QuerySet

from tformance.metrics.expressions import (
    bot_account,
    bot_pull_request,
    waiting_for_review,
    waiting_since,
)
from tformance.metrics.formatting import day_text
from tformance.pulls.models import PRReview, PullRequest
from tformance.teams.models import Team

BOTS_EXPLANATION = (
    "Bot accounts (dependency updaters, release bots ...) are left out by default: their "
    "pull requests, and their reviews in reviewer load and the people table. Pull requests "
    "opened by AI coding agents stay in, as AI-assisted work. Tick 'Include bots' to count "
    "everything."
)


@dataclasses.dataclass(frozen=True)
class MetricFilters:
    team: Team
    start: dt.datetime  # inclusive, aware
    end: dt.datetime  # exclusive, aware
    repository_ids: tuple[int, ...] = ()
    member_ids: tuple[int, ...] = ()
    include_bots: bool = False
    include_generated: bool = False
    # Every PR updated since is stored, for each repository in scope (None: every PR);
    # `sync.selectors.history_start`. Anything that happened since is complete.
    history_start: dt.datetime | None = None

    @property
    def imported(self) -> bool:
        """The stored history covers the whole period: the one rule for the history limit."""
        return self.history_start is None or self.start >= self.history_start

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.team.time_zone or "UTC")

    @property
    def days(self) -> int:
        return max(1, round((self.end - self.start).total_seconds() / 86400))

    def previous(self) -> "MetricFilters":
        """The period of the same length just before this one."""
        length = self.end - self.start
        return dataclasses.replace(self, start=self.start - length, end=self.start)


# A custom period starts no earlier than 2008, the year GitHub opened (no pull request is
# older), lasts at most three years (a page also reads the period before it, so six years
# of rows, and draws a point per week: 157 of them still read), and ends by today.
PERIOD_EARLIEST = dt.date(2008, 1, 1)
PERIOD_MAX_DAYS = 3 * 365 + 1  # three years, one of them a leap year


class PeriodOutOfBounds(ValueError):
    """A period the dashboard does not compute; the message tells the user why."""


def team_today(*, team: Team, now: dt.datetime) -> dt.date:
    return now.astimezone(zoneinfo.ZoneInfo(team.time_zone or "UTC")).date()


def period_last_days(*, team: Team, days: int, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The last `days` whole days up to the end of today, in the team's time zone."""
    tz = zoneinfo.ZoneInfo(team.time_zone or "UTC")
    today = team_today(team=team, now=now)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return end - dt.timedelta(days=days), end


def period_between(
    *, team: Team, first: dt.date, last: dt.date, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """From the start of `first` to the end of `last` (inclusive), in the team's time zone.

    Raises `PeriodOutOfBounds` outside the bounds above: before them a date near year 1 or
    9999 overflowed `datetime`, and 1100-2026 took seconds to draw 48,000 empty weeks.
    """
    today = team_today(team=team, now=now)
    if first > last:
        raise PeriodOutOfBounds("The start date must not be after the end date.")
    if first < PERIOD_EARLIEST:
        raise PeriodOutOfBounds(
            f"A custom period cannot start before {day_text(PERIOD_EARLIEST)}, the year GitHub opened."
        )
    if last > today:
        raise PeriodOutOfBounds(
            f"A custom period cannot end after today ({day_text(today)} in {team.time_zone or 'UTC'})."
        )
    if (last - first).days + 1 > PERIOD_MAX_DAYS:
        raise PeriodOutOfBounds(
            f"A custom period can be at most three years long ({PERIOD_MAX_DAYS:,} days)."
        )
    tz = zoneinfo.ZoneInfo(team.time_zone or "UTC")
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz)
    return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz)


def pull_requests_scoped(*, filters: MetricFilters) -> QuerySet[PullRequest]:
    """The team's PRs narrowed by repository, member and the bot rule; no period yet."""
    qs = PullRequest.objects.filter(team=filters.team)
    if filters.repository_ids:
        qs = qs.filter(repository_id__in=filters.repository_ids)
    if filters.member_ids:
        qs = qs.filter(author_id__in=filters.member_ids)
    if not filters.include_bots:
        qs = qs.exclude(bot_pull_request(team=filters.team))
    return qs


def pull_requests_merged(*, filters: MetricFilters) -> QuerySet[PullRequest]:
    return pull_requests_scoped(filters=filters).filter(
        merged_at__gte=filters.start, merged_at__lt=filters.end
    )


def pull_requests_opened(*, filters: MetricFilters) -> QuerySet[PullRequest]:
    return pull_requests_scoped(filters=filters).filter(
        opened_at__gte=filters.start, opened_at__lt=filters.end
    )


def pull_requests_waiting(*, filters: MetricFilters) -> QuerySet[PullRequest]:
    """PRs waiting for a first review now (any period), each with its `waiting_since`."""
    return (
        pull_requests_scoped(filters=filters)
        .filter(waiting_for_review())
        .annotate(waiting_since=waiting_since())
    )


def reviews_given(*, filters: MetricFilters) -> QuerySet[PRReview]:
    """Reviews by others (`PRReview.by_other`) in the period, on the filtered repositories.

    The member filter narrows the reviewers (reviews given *by* the chosen members).
    """
    qs = PRReview.objects.filter(
        by_other=True,
        team=filters.team,
        submitted_at__gte=filters.start,
        submitted_at__lt=filters.end,
        reviewer__isnull=False,
    )
    if filters.repository_ids:
        qs = qs.filter(pull_request__repository_id__in=filters.repository_ids)
    if filters.member_ids:
        qs = qs.filter(reviewer_id__in=filters.member_ids)
    if not filters.include_bots:
        qs = qs.exclude(bot_account("reviewer", team=filters.team))
    return qs
