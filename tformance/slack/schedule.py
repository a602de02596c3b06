"""When the weekly digest goes out: a weekday and an hour on the team's wall clock.

The hour is local, so its UTC moment moves with daylight saving time. An hour the clocks
skip (spring forward) is sent at the first moment after the gap, which the clocks show as
one hour later; an hour that occurs twice (fall back) is sent once, at its first occurrence.

Moments are returned in UTC: Python compares and subtracts two datetimes of one zone by
their wall clocks, which is off by the hour that a week with a clock change gains or loses.
"""

import datetime as dt
import zoneinfo

from tformance.slack.models import SlackNotificationSettings


def team_zone(*, team) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(team.time_zone or "UTC")


def _local_moment(day: dt.date, hour: int, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    # fold=0: in a skipped hour this takes the offset from before the gap, which lands on
    # the first moment after it; in a repeated hour, the first of the two.
    return dt.datetime.combine(day, dt.time(hour), tzinfo=tz).astimezone(dt.UTC)


def digest_next_at(*, team_settings: SlackNotificationSettings, after: dt.datetime) -> dt.datetime:
    """The first digest moment strictly after `after` (aware, UTC)."""
    tz = team_zone(team=team_settings.team)
    local = after.astimezone(tz)
    day = local.date() + dt.timedelta(days=(team_settings.digest_weekday - local.weekday()) % 7)
    moment = _local_moment(day, team_settings.digest_hour, tz)
    if moment <= after:
        moment = _local_moment(day + dt.timedelta(days=7), team_settings.digest_hour, tz)
    return moment


def digest_first_pending(*, team_settings: SlackNotificationSettings) -> bool:
    """On and never sent: the first digest waits for the team's history to be in, not for
    its weekday (`services.digest_send_due`)."""
    return team_settings.digest_enabled and team_settings.digest_sent_at is None


def digest_due(*, team_settings: SlackNotificationSettings, now: dt.datetime) -> bool:
    """Whether a digest moment has passed since the last one was sent (or, before the
    first, within the last hour, so turning the digest on does not post at once)."""
    if not team_settings.digest_enabled:
        return False
    return _next_after_last(team_settings, now) <= now


def digest_next_send_at(
    *, team_settings: SlackNotificationSettings, now: dt.datetime
) -> dt.datetime | None:
    """When the hourly check posts the next digest by the schedule (UTC): None when it is
    off, `now` when one is due already (it goes out within the hour)."""
    if not team_settings.digest_enabled:
        return None
    return max(_next_after_last(team_settings, now), now)


def _next_after_last(team_settings: SlackNotificationSettings, now: dt.datetime) -> dt.datetime:
    sent = team_settings.digest_sent_at
    if sent is None:
        return digest_next_at(team_settings=team_settings, after=now - dt.timedelta(hours=1))
    # A digest reports the week before the one it is sent in: one digest per week of the
    # team's clock, even when the admin moves the day after this week's went out.
    team = team_settings.team
    week_after = week_bounds(team=team, monday=_monday(team=team, moment=sent))[1]
    after = max(sent, week_after - dt.timedelta(microseconds=1))
    return digest_next_at(team_settings=team_settings, after=after)


def _monday(*, team, moment: dt.datetime) -> dt.date:
    day = moment.astimezone(team_zone(team=team)).date()
    return day - dt.timedelta(days=day.weekday())


def week_last_complete(*, team, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The last whole week before `now`: Monday 00:00 to the next Monday 00:00, team time."""
    return week_bounds(team=team, monday=_monday(team=team, moment=now) - dt.timedelta(days=7))


def week_bounds(*, team, monday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From Monday 00:00 to the next Monday 00:00 in the team's time zone, in UTC (167 or
    169 hours in a week whose clocks change)."""
    tz = team_zone(team=team)
    start = dt.datetime.combine(monday, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(), tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)
