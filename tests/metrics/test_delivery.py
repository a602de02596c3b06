"""Delivery metrics on hand-built PRs with known answers."""

import datetime as dt

import pytest

from tests.helpers.factories import PRReviewFactory, TeamMemberFactory, TrackedRepositoryFactory
from tests.helpers.metrics import HOUR, T0, filters_for, merged_pr
from tformance.metrics.comparison import MIN_SAMPLE
from tformance.metrics.selectors.delivery import (
    attention_waiting,
    attention_xl_unreviewed,
    delivery_kpis,
    delivery_summary,
    size_distribution,
    weekly_trends,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def repo(team):
    return TrackedRepositoryFactory(team=team)


def test_cycle_time_runs_from_the_first_commit_and_splits_into_stages(team, repo):
    merged_pr(
        team=team,
        repository=repo,
        hours_to_merge=10,
        first_commit_at=T0 - 5 * HOUR,
        first_review_at=T0 + 3 * HOUR,
    )

    stats = delivery_summary(filters=filters_for(team))["stats"]

    assert stats["cycle"][50] == 15 * 3600
    assert stats["coding"][50] == 5 * 3600
    assert stats["pickup"][50] == 3 * 3600
    assert stats["review"][50] == 7 * 3600
    assert stats["first_review"][50] == 3 * 3600


@pytest.mark.parametrize(
    ("fields", "cycle_hours", "pickup_hours"),
    [
        # No commits stored: cycle time falls back to PR opened -> merged.
        ({}, 10, None),
        # A first commit "after" the PR was opened (clock skew) also falls back.
        ({"first_commit_at": T0 + HOUR}, 10, None),
        # A draft: pickup starts when it was marked ready for review.
        (
            {
                "is_draft": False,
                "ready_for_review_at": T0 + 4 * HOUR,
                "first_review_at": T0 + 6 * HOUR,
            },
            10,
            2,
        ),
        # A review after the merge is no review for pickup.
        ({"first_review_at": T0 + 12 * HOUR}, 10, None),
    ],
)
def test_cycle_time_edge_cases(team, repo, fields, cycle_hours, pickup_hours):
    merged_pr(team=team, repository=repo, hours_to_merge=10, **fields)

    stats = delivery_summary(filters=filters_for(team))["stats"]

    assert stats["cycle"][50] == cycle_hours * 3600
    assert stats["pickup"][50] == (pickup_hours * 3600 if pickup_hours is not None else None)


def test_medians_and_percentiles_over_several_prs(team, repo):
    for hours in (1, 2, 3, 4, 100):
        merged_pr(team=team, repository=repo, hours_to_merge=hours)

    cycle = delivery_summary(filters=filters_for(team))["stats"]["cycle"]

    assert (cycle[50], cycle[75], cycle[90]) == (3 * 3600, 4 * 3600, pytest.approx(61.6 * 3600))
    assert cycle["n"] == 5


def test_merged_without_review_counts_prs_without_another_persons_review_before_merge(team, repo):
    merged_pr(team=team, repository=repo, hours_to_merge=5, first_review_at=T0 + HOUR)
    merged_pr(team=team, repository=repo, hours_to_merge=5)
    merged_pr(team=team, repository=repo, hours_to_merge=5, first_review_at=T0 + 6 * HOUR)
    merged_pr(team=team, repository=repo, hours_to_merge=5, size_bucket="XL")

    summary = delivery_summary(filters=filters_for(team))

    assert summary["merged"] == 4
    assert summary["unreviewed"] == 3
    assert summary["unreviewed_share"] == 0.75
    assert summary["xl_unreviewed"] == 1


def test_reviews_per_pr_ignore_the_authors_own_and_pending_reviews(team, repo):
    pr = merged_pr(team=team, repository=repo, hours_to_merge=5)
    other = TeamMemberFactory(team=team)
    PRReviewFactory(pull_request=pr, reviewer=other, submitted_at=T0 + HOUR)
    PRReviewFactory(pull_request=pr, reviewer=other, submitted_at=T0 + 2 * HOUR)
    PRReviewFactory(pull_request=pr, reviewer=pr.author, submitted_at=T0 + HOUR)
    PRReviewFactory(pull_request=pr, reviewer=other, state="pending", submitted_at=T0 + HOUR)
    merged_pr(team=team, repository=repo, hours_to_merge=5)

    reviews = delivery_summary(filters=filters_for(team))["stats"]["reviews"]

    assert (reviews[50], reviews[90]) == (1, pytest.approx(1.8))


def test_bot_prs_are_left_out_unless_asked_for_but_ai_agents_stay(team, repo):
    bot = TeamMemberFactory(team=team, login="renovate[bot]", is_bot=True)
    agent = TeamMemberFactory(team=team, login="Copilot", is_bot=True)
    merged_pr(team=team, repository=repo, hours_to_merge=1, author=bot)
    merged_pr(team=team, repository=repo, hours_to_merge=3, author=agent, is_ai_assisted=True)
    merged_pr(team=team, repository=repo, hours_to_merge=5)

    without = delivery_summary(filters=filters_for(team))
    with_bots = delivery_summary(filters=filters_for(team, include_bots=True))

    assert (without["merged"], without["stats"]["cycle"][50]) == (2, 4 * 3600)
    assert (with_bots["merged"], with_bots["stats"]["cycle"][50]) == (3, 3 * 3600)


def test_repository_and_member_filters_narrow_every_number(team, repo):
    other_repo = TrackedRepositoryFactory(team=team)
    alice = TeamMemberFactory(team=team)
    merged_pr(team=team, repository=repo, hours_to_merge=1, author=alice)
    merged_pr(team=team, repository=repo, hours_to_merge=2)
    merged_pr(team=team, repository=other_repo, hours_to_merge=3, author=alice)

    by_repo = delivery_summary(filters=filters_for(team, repository_ids=(repo.pk,)))
    by_member = delivery_summary(filters=filters_for(team, member_ids=(alice.pk,)))

    assert by_repo["merged"] == 2 and by_repo["stats"]["cycle"][50] == 1.5 * 3600
    assert by_member["merged"] == 2 and by_member["stats"]["cycle"][50] == 2 * 3600


def test_another_teams_prs_never_count(team, other_team, repo):
    merged_pr(
        team=other_team, repository=TrackedRepositoryFactory(team=other_team), hours_to_merge=1
    )
    merged_pr(team=team, repository=repo, hours_to_merge=7)

    summary = delivery_summary(filters=filters_for(team))

    assert summary["merged"] == 1 and summary["stats"]["cycle"][50] == 7 * 3600


def test_an_empty_period_has_zeros_and_no_percentiles(team, repo):
    merged_pr(team=team, repository=repo, hours_to_merge=1)

    summary = delivery_summary(filters=filters_for(team, start=T0 + dt.timedelta(days=60)))

    assert summary["merged"] == summary["opened"] == 0
    assert summary["unreviewed_share"] is None and summary["ai_share"] is None
    assert summary["stats"]["cycle"] == {50: None, 75: None, 90: None, "n": 0}


def test_kpis_compare_with_the_period_just_before(team, repo):
    for i in range(MIN_SAMPLE):
        merged_pr(team=team, repository=repo, hours_to_merge=10, opened_at=T0 + i * HOUR)
    previous = [30, 20] * MIN_SAMPLE  # twice as many PRs before, half 30 h, half 20 h: median 25 h
    for i, hours in enumerate(previous):
        merged_pr(
            team=team,
            repository=repo,
            hours_to_merge=hours,
            opened_at=T0 - dt.timedelta(days=10) - i * HOUR,
        )

    kpis = delivery_kpis(filters=filters_for(team, days=14, start=T0 - dt.timedelta(days=3)))

    assert kpis["current"]["merged"] == MIN_SAMPLE
    assert kpis["previous"]["merged"] == 2 * MIN_SAMPLE
    assert kpis["change"]["merged"].ratio == -0.5
    assert kpis["change"]["cycle"].ratio == pytest.approx((10 - 25) / 25)


def test_size_distribution_lists_every_bucket_in_order(team, repo):
    for bucket in ("XS", "XS", "M", "XL"):
        merged_pr(team=team, repository=repo, hours_to_merge=1, size_bucket=bucket)

    sizes = size_distribution(filters=filters_for(team))

    assert [(s["bucket"], s["count"]) for s in sizes] == [
        ("XS", 2),
        ("S", 0),
        ("M", 1),
        ("L", 0),
        ("XL", 1),
    ]
    assert sizes[0]["share"] == 0.5


@pytest.mark.parametrize(
    ("time_zone", "expected"),
    [
        # Merged Sunday 23:30 UTC: still Sunday in UTC, already Monday in Berlin,
        # and Sunday afternoon in Los Angeles.
        ("UTC", {dt.date(2025, 3, 3): 1, dt.date(2025, 3, 10): 0}),
        ("Europe/Berlin", {dt.date(2025, 3, 3): 0, dt.date(2025, 3, 10): 1}),
        ("America/Los_Angeles", {dt.date(2025, 3, 3): 1, dt.date(2025, 3, 10): 0}),
    ],
)
def test_weeks_start_on_monday_in_the_teams_time_zone(team, repo, time_zone, expected):
    team.time_zone = time_zone
    team.save()
    sunday_night = dt.datetime(2025, 3, 9, 23, 30, tzinfo=dt.UTC)
    merged_pr(team=team, repository=repo, hours_to_merge=2, opened_at=sunday_night - 2 * HOUR)

    weeks = weekly_trends(
        filters=filters_for(team, start=dt.datetime(2025, 3, 3, tzinfo=dt.UTC), days=14)
    )

    found = {w["week"]: w["merged"] for w in weeks}
    for monday, merged in expected.items():
        assert found.get(monday, 0) == merged
    assert all(w["week"].weekday() == 0 for w in weeks)


def test_weeks_across_a_clock_change_keep_their_monday_midnight_and_the_periods_cut(team, repo):
    # Berlin's clocks go forward on Sunday 2025-03-30: Monday 31 begins at 22:00 UTC.
    team.time_zone = "Europe/Berlin"
    team.save()
    for merged in ("2025-03-30T21:59:59", "2025-03-30T22:00:00", "2025-04-06T21:59:59"):
        merged_at = dt.datetime.fromisoformat(merged).replace(tzinfo=dt.UTC)
        merged_pr(team=team, repository=repo, hours_to_merge=1, opened_at=merged_at - HOUR)
    # From a Wednesday to a Tuesday: the first and the last week are cut by the period.
    start = dt.datetime(2025, 3, 26, tzinfo=dt.UTC)
    period = filters_for(team, start=start, days=20)

    weeks = {w["week"]: w["merged"] for w in weekly_trends(filters=period)}

    assert weeks == {
        dt.date(2025, 3, 24): 1,
        dt.date(2025, 3, 31): 2,
        dt.date(2025, 4, 7): 0,
        dt.date(2025, 4, 14): 0,
    }


def test_weekly_trends_give_each_weeks_medians_and_ai_share(team, repo):
    merged_pr(team=team, repository=repo, hours_to_merge=2, is_ai_assisted=True)
    merged_pr(team=team, repository=repo, hours_to_merge=4)
    merged_pr(team=team, repository=repo, hours_to_merge=8, opened_at=T0 + dt.timedelta(days=7))

    monday = dt.datetime(2025, 3, 3, tzinfo=dt.UTC)
    weeks = weekly_trends(filters=filters_for(team, start=monday, days=14))

    assert [(w["week"], w["merged"], w["cycle"], w["ai_share"]) for w in weeks] == [
        (dt.date(2025, 3, 3), 2, 3 * 3600, 0.5),
        (dt.date(2025, 3, 10), 1, 8 * 3600, 0.0),
    ]


def test_needs_attention_lists_the_longest_waiting_open_prs_and_unreviewed_xl_merges(team, repo):
    from tests.helpers.factories import PullRequestFactory

    now = T0 + dt.timedelta(days=3)
    old = PullRequestFactory(
        repository=repo, state="open", merged_at=None, opened_at=now - 50 * HOUR
    )
    new = PullRequestFactory(
        repository=repo, state="open", merged_at=None, opened_at=now - 5 * HOUR
    )
    PullRequestFactory(
        repository=repo, state="open", merged_at=None, opened_at=now - 90 * HOUR, is_draft=True
    )
    PullRequestFactory(
        repository=repo,
        state="open",
        merged_at=None,
        opened_at=now - 90 * HOUR,
        first_review_at=now,
    )
    xl = merged_pr(team=team, repository=repo, hours_to_merge=1, size_bucket="XL", additions=900)
    merged_pr(
        team=team, repository=repo, hours_to_merge=2, size_bucket="XL", first_review_at=T0 + HOUR
    )

    assert attention_waiting(filters=filters_for(team)) == [old, new]
    assert attention_xl_unreviewed(filters=filters_for(team)) == [xl]
