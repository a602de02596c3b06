"""When the digest goes out: a weekday and an hour on the team's clock, through DST changes."""

import datetime as dt
import zoneinfo

import pytest

from tformance.slack.models import SlackNotificationSettings, Weekday
from tformance.slack.schedule import (
    digest_due,
    digest_next_at,
    digest_next_send_at,
    week_last_complete,
)
from tformance.teams.models import Team

UTC = dt.UTC


def _settings(zone, weekday=Weekday.MONDAY, hour=9, **fields):
    team = Team(name="Acme", slug="acme", time_zone=zone)
    return SlackNotificationSettings(team=team, digest_weekday=weekday, digest_hour=hour, **fields)


def _utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


def test_the_default_is_next_monday_at_nine_on_the_teams_clock():
    berlin = _settings("Europe/Berlin")

    at = digest_next_at(team_settings=berlin, after=_utc(2025, 3, 5, 12))

    assert at == _utc(2025, 3, 10, 8)  # 09:00 CET
    assert at.astimezone(zoneinfo.ZoneInfo("Europe/Berlin")).hour == 9


@pytest.mark.parametrize(
    ("zone", "after", "before_change", "after_change"),
    [
        # Europe/Berlin springs forward on Sun 30 Mar 2025, falls back on Sun 26 Oct 2025.
        ("Europe/Berlin", _utc(2025, 3, 24, 8), _utc(2025, 3, 24, 8), _utc(2025, 3, 31, 7)),
        ("Europe/Berlin", _utc(2025, 10, 20, 7), _utc(2025, 10, 20, 7), _utc(2025, 10, 27, 8)),
        # America/New_York springs forward on Sun 9 Mar 2025, falls back on Sun 2 Nov 2025.
        ("America/New_York", _utc(2025, 3, 3, 14), _utc(2025, 3, 3, 14), _utc(2025, 3, 10, 13)),
        ("America/New_York", _utc(2025, 10, 27, 13), _utc(2025, 10, 27, 13), _utc(2025, 11, 3, 14)),
    ],
)
def test_monday_nine_stays_nine_local_across_a_clock_change(
    zone, after, before_change, after_change
):
    team_settings = _settings(zone)

    first = digest_next_at(team_settings=team_settings, after=after - dt.timedelta(hours=1))
    second = digest_next_at(team_settings=team_settings, after=first)

    assert (first, second) == (before_change, after_change)
    tz = zoneinfo.ZoneInfo(zone)
    assert first.astimezone(tz).hour == second.astimezone(tz).hour == 9
    assert second - first != dt.timedelta(days=7)  # 7 days ± 1 hour in UTC


@pytest.mark.parametrize(
    ("zone", "after", "expected", "local_hour"),
    [
        # 02:00 does not exist on 30 Mar 2025 in Berlin: sent at 03:00 CEST, right after the gap.
        ("Europe/Berlin", _utc(2025, 3, 29, 12), _utc(2025, 3, 30, 1), 3),
        # Nor on 9 Mar 2025 in New York: sent at 03:00 EDT.
        ("America/New_York", _utc(2025, 3, 8, 12), _utc(2025, 3, 9, 7), 3),
    ],
)
def test_an_hour_that_does_not_exist_is_sent_right_after_the_gap(zone, after, expected, local_hour):
    team_settings = _settings(zone, weekday=Weekday.SUNDAY, hour=2)

    at = digest_next_at(team_settings=team_settings, after=after)

    assert at == expected
    assert at.astimezone(zoneinfo.ZoneInfo(zone)).hour == local_hour


@pytest.mark.parametrize(
    ("zone", "hour", "after", "first", "next_week"),
    [
        # 02:00-03:00 occurs twice on 26 Oct 2025 in Berlin (CEST, then CET).
        ("Europe/Berlin", 2, _utc(2025, 10, 25, 12), _utc(2025, 10, 26, 0), _utc(2025, 11, 2, 1)),
        # 01:00-02:00 occurs twice on 2 Nov 2025 in New York (EDT, then EST).
        ("America/New_York", 1, _utc(2025, 11, 1, 12), _utc(2025, 11, 2, 5), _utc(2025, 11, 9, 6)),
    ],
)
def test_an_hour_that_occurs_twice_is_sent_once_at_its_first_occurrence(
    zone, hour, after, first, next_week
):
    team_settings = _settings(zone, weekday=Weekday.SUNDAY, hour=hour)

    sent = digest_next_at(team_settings=team_settings, after=after)
    again = digest_next_at(team_settings=team_settings, after=sent)

    assert sent == first
    assert again == next_week  # not the second occurrence an hour later


def test_a_moment_exactly_at_the_send_time_moves_to_the_week_after():
    berlin = _settings("Europe/Berlin", weekday=Weekday.FRIDAY, hour=16)
    friday = _utc(2025, 6, 6, 14)  # 16:00 CEST

    assert digest_next_at(team_settings=berlin, after=friday - dt.timedelta(seconds=1)) == friday
    assert digest_next_at(team_settings=berlin, after=friday) == friday + dt.timedelta(days=7)


def test_a_digest_is_due_once_its_moment_has_passed_since_the_last_one():
    sent = _utc(2025, 3, 3, 8)  # Monday 09:00 CET
    berlin = _settings("Europe/Berlin", digest_sent_at=sent)

    assert not digest_due(team_settings=berlin, now=sent + dt.timedelta(days=6))
    assert digest_due(team_settings=berlin, now=_utc(2025, 3, 10, 8, 5))


def test_a_digest_never_sent_waits_for_its_hour_and_a_disabled_one_never_is():
    berlin = _settings("Europe/Berlin")
    off = _settings("Europe/Berlin", digest_enabled=False)

    assert not digest_due(team_settings=berlin, now=_utc(2025, 3, 5, 12))  # a Wednesday
    assert digest_due(team_settings=berlin, now=_utc(2025, 3, 10, 8, 30))
    assert not digest_due(team_settings=off, now=_utc(2025, 3, 10, 8, 30))


def test_the_last_complete_week_runs_monday_to_monday_on_the_teams_clock():
    team = Team(name="Acme", slug="acme", time_zone="Europe/Berlin")

    start, end = week_last_complete(team=team, now=_utc(2025, 4, 2, 12))

    assert (start, end) == (_utc(2025, 3, 23, 23), _utc(2025, 3, 30, 22))
    assert end - start == dt.timedelta(hours=167)  # the clocks sprang forward that Sunday


def test_the_next_send_the_settings_show_follows_the_last_one_sent():
    sent = _utc(2025, 3, 10, 8, 5)  # Monday 09:05 in Berlin
    berlin = _settings("Europe/Berlin", digest_sent_at=sent)

    assert digest_next_send_at(team_settings=berlin, now=sent + dt.timedelta(days=2)) == _utc(
        2025, 3, 17, 8
    )


def test_an_overdue_digest_shows_as_due_now_and_a_disabled_one_as_none():
    now = _utc(2025, 3, 20, 12)
    overdue = _settings("Europe/Berlin", digest_sent_at=_utc(2025, 3, 3, 8))
    off = _settings("Europe/Berlin", digest_enabled=False)

    assert digest_next_send_at(team_settings=overdue, now=now) == now
    assert digest_due(team_settings=overdue, now=now)
    assert digest_next_send_at(team_settings=off, now=now) is None


def test_moving_the_day_after_this_weeks_digest_went_out_waits_for_next_week():
    sent = _utc(2025, 3, 10, 8)  # Monday 09:00 in Berlin: last week's digest went out
    tuesday = _settings("Europe/Berlin", weekday=Weekday.TUESDAY, digest_sent_at=sent)
    wednesday = _utc(2025, 3, 12, 12)  # the admin moves it to Tuesdays

    assert not digest_due(team_settings=tuesday, now=wednesday)
    assert digest_next_send_at(team_settings=tuesday, now=wednesday) == _utc(2025, 3, 18, 8)
    assert digest_due(team_settings=tuesday, now=_utc(2025, 3, 18, 8, 5))


def test_moving_the_day_to_sunday_skips_to_the_sunday_of_the_week_after():
    sent = _utc(2025, 3, 10, 8)  # Monday 09:00 in Berlin
    sunday = _settings("Europe/Berlin", weekday=Weekday.SUNDAY, digest_sent_at=sent)

    # The Sunday of the same week would report the week already sent.
    assert not digest_due(team_settings=sunday, now=_utc(2025, 3, 16, 12))
    assert digest_due(team_settings=sunday, now=_utc(2025, 3, 23, 8, 5))
