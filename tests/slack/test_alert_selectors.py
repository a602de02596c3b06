"""The working-agreement rules over hand-built PRs, and the four-week preview."""

import datetime as dt

import pytest

from tests.helpers.factories import PullRequestFactory
from tformance.slack.models import AlertRule, AlertSent, SlackNotificationSettings
from tformance.slack.selectors import alert_pull_requests, alerts_new, alerts_preview

NOW = dt.datetime(2025, 6, 16, 12, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


def _open(repository, *, opened, **fields):
    return PullRequestFactory(
        repository=repository,
        state="open",
        opened_at=opened,
        merged_at=None,
        github_updated_at=opened,
        **fields,
    )


def _merged(repository, *, opened, merged, **fields):
    return PullRequestFactory(
        repository=repository,
        opened_at=opened,
        merged_at=merged,
        github_updated_at=merged,
        **fields,
    )


def _numbers(qs):
    return sorted(pr.number for pr in qs)


@pytest.fixture
def waiting(repository):
    """#1 open 30 h unreviewed; #2 open 10 h; #3 draft open 40 h; #4 reviewed after 30 h;
    #5 reviewed after 3 h; #6 ready for review 20 h ago (opened 3 days ago as a draft)."""
    _open(repository, number=1, opened=NOW - 30 * H)
    _open(repository, number=2, opened=NOW - 10 * H)
    _open(repository, number=3, opened=NOW - 40 * H, is_draft=True)
    _open(repository, number=4, opened=NOW - 40 * H, first_review_at=NOW - 10 * H)
    _open(repository, number=5, opened=NOW - 40 * H, first_review_at=NOW - 37 * H)
    _open(repository, number=6, opened=NOW - 72 * H, ready_for_review_at=NOW - 20 * H)


def test_waiting_for_review_counts_from_the_request_and_leaves_out_drafts(team, waiting):
    found = alert_pull_requests(
        team=team,
        rule=AlertRule.WAITING_FOR_REVIEW,
        threshold=24,
        start=NOW - 7 * 24 * H,
        end=NOW,
    )

    assert _numbers(found) == [1, 4]  # #4 did wait over 24 h before its review


def test_a_lower_threshold_catches_more_waiting_prs(team, waiting):
    found = alert_pull_requests(
        team=team, rule=AlertRule.WAITING_FOR_REVIEW, threshold=8, start=NOW - 7 * 24 * H, end=NOW
    )

    assert _numbers(found) == [1, 2, 4, 6]


def test_new_alerts_ping_only_prs_still_waiting_and_not_sent_before(team, waiting):
    team_settings = SlackNotificationSettings(team=team, xl_enabled=False, unreviewed_enabled=False)
    first = alerts_new(team=team, team_settings=team_settings, now=NOW)
    AlertSent.objects.create(
        team=team, pull_request=first[0].pull_request, rule=first[0].rule, sent_at=NOW
    )

    again = alerts_new(team=team, team_settings=team_settings, now=NOW)

    assert [(a.rule, a.pull_request.number, a.threshold) for a in first] == [
        (AlertRule.WAITING_FOR_REVIEW, 1, 24)
    ]
    assert again == []


def test_xl_prs_are_those_opened_with_more_changed_lines_than_the_threshold(team, repository):
    _open(repository, number=1, opened=NOW - 2 * H, additions=900, deletions=101)
    _open(repository, number=2, opened=NOW - 2 * H, additions=900, deletions=100)
    _merged(repository, number=3, opened=NOW - 50 * H, merged=NOW - H, additions=5000)
    _open(repository, number=4, opened=NOW - 30 * 24 * H, additions=5000)

    team_settings = SlackNotificationSettings(
        team=team, waiting_enabled=False, unreviewed_enabled=False
    )
    alerts = alerts_new(team=team, team_settings=team_settings, now=NOW)

    assert [a.pull_request.number for a in alerts] == [3, 1]  # #4 is older than a week


def test_merged_without_review_leaves_out_prs_reviewed_before_the_merge(team, repository):
    _merged(repository, number=1, opened=NOW - 5 * H, merged=NOW - H)
    _merged(repository, number=2, opened=NOW - 5 * H, merged=NOW - H, first_review_at=NOW - 2 * H)
    _merged(repository, number=3, opened=NOW - 5 * H, merged=NOW - H, first_review_at=NOW)

    found = alert_pull_requests(
        team=team, rule=AlertRule.MERGED_UNREVIEWED, threshold=None, start=NOW - 24 * H, end=NOW
    )

    assert _numbers(found) == [1, 3]  # #3 was reviewed only after the merge


def test_disabled_rules_and_a_disabled_switch_send_nothing(team, repository):
    _merged(repository, number=1, opened=NOW - 5 * H, merged=NOW - H, additions=5000)
    off = SlackNotificationSettings(team=team, alerts_enabled=False)
    on_but_rules_off = SlackNotificationSettings(
        team=team, xl_enabled=False, unreviewed_enabled=False
    )

    assert alerts_new(team=team, team_settings=off, now=NOW) == []
    assert alerts_new(team=team, team_settings=on_but_rules_off, now=NOW) == []


def test_the_preview_counts_four_weeks_of_alerts_at_a_threshold(team, repository):
    for week in range(6):  # one XL PR of 1,500 and one of 600 lines a week, for six weeks
        opened = NOW - (week * 7 + 1) * 24 * H
        _open(repository, opened=opened, additions=1500)
        _open(repository, opened=opened, additions=600)

    at_1000 = alerts_preview(team=team, rule=AlertRule.XL_OPENED, threshold=1000, now=NOW)
    at_500 = alerts_preview(team=team, rule=AlertRule.XL_OPENED, threshold=500, now=NOW)

    assert (at_1000, at_500) == (4, 8)


def test_the_waiting_preview_counts_prs_whose_wait_crossed_the_threshold_in_the_period(
    team, waiting, repository
):
    # Opened five weeks ago, never reviewed: it crossed 24 h over four weeks ago.
    _open(repository, number=7, opened=NOW - 35 * 24 * H)

    count = alerts_preview(team=team, rule=AlertRule.WAITING_FOR_REVIEW, threshold=24, now=NOW)

    assert count == 2  # #1 and #4
