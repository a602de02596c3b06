"""The three rules that put a number in context, on hand-built PRs: the minimum sample,
the partial week and the imported history's limit."""

import dataclasses
import datetime as dt

import pytest

from tests.helpers.factories import RepositorySyncFactory, TrackedRepositoryFactory
from tests.helpers.metrics import HOUR, T0, filters_for, merged_pr
from tformance.metrics.comparison import MIN_SAMPLE, change_between
from tformance.metrics.insights.services import insights_find
from tformance.metrics.selectors.ai import ai_breakdown
from tformance.metrics.selectors.delivery import delivery_kpis, weekly_trends
from tformance.metrics.weeks import COMPLETE, NOT_IMPORTED, PARTIAL

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture
def repo(team):
    return TrackedRepositoryFactory(team=team)


def merged_many(team, repo, n, *, at, hours=10, **fields):
    return [
        merged_pr(
            team=team, repository=repo, hours_to_merge=hours, opened_at=at + i * HOUR, **fields
        )
        for i in range(n)
    ]


# The minimum sample


@pytest.mark.parametrize(
    ("n_before", "n_now", "kind"),
    [
        (MIN_SAMPLE - 1, MIN_SAMPLE, "counts"),
        (MIN_SAMPLE, MIN_SAMPLE - 1, "counts"),
        (MIN_SAMPLE, MIN_SAMPLE, "percent"),
        (0, 3 * MIN_SAMPLE, "counts"),
    ],
)
def test_a_change_needs_the_minimum_sample_on_both_sides(team, repo, n_before, n_now, kind):
    merged_many(team, repo, n_before, at=T0 - 10 * DAY, hours=20)
    merged_many(team, repo, n_now, at=T0, hours=10)

    kpis = delivery_kpis(filters=filters_for(team, days=14, start=T0 - 3 * DAY))

    merged, cycle = kpis["change"]["merged"], kpis["change"]["cycle"]
    assert merged.kind == cycle.kind == kind
    if kind == "counts":
        assert (merged.n_before, merged.n_now) == (n_before, n_now)
    else:
        assert merged.ratio == 0 and cycle.ratio == pytest.approx(-0.5)


def test_a_change_from_zero_with_enough_prs_is_said_in_words():
    assert change_between(now=3600, before=0, n_now=MIN_SAMPLE, n_before=MIN_SAMPLE).note == (
        "up from 0"
    )
    assert change_between(now=0, before=0, n_now=MIN_SAMPLE, n_before=MIN_SAMPLE).ratio == 0


def test_ai_assisted_and_other_prs_are_compared_only_with_the_minimum_sample_each(team, repo):
    merged_many(team, repo, MIN_SAMPLE, at=T0, hours=5, is_ai_assisted=True)
    merged_many(team, repo, MIN_SAMPLE - 1, at=T0, hours=10)

    too_few = ai_breakdown(filters=filters_for(team))
    merged_pr(team=team, repository=repo, hours_to_merge=10, opened_at=T0)
    enough = ai_breakdown(filters=filters_for(team))

    assert too_few["faster"] is None
    assert enough["faster"] == pytest.approx(0.5)


def test_a_trend_insight_needs_the_minimum_sample_on_both_sides(team, repo):
    now = dt.datetime(2025, 6, 2, 12, tzinfo=dt.UTC)

    def reviewed(n, *, days_ago, pickup_hours):
        for i in range(n):
            opened = now - days_ago * DAY + i * HOUR
            merged_pr(
                team=team,
                repository=repo,
                hours_to_merge=20,
                opened_at=opened,
                first_review_at=opened + pickup_hours * HOUR,
            )

    reviewed(MIN_SAMPLE - 1, days_ago=40, pickup_hours=2)
    reviewed(MIN_SAMPLE, days_ago=10, pickup_hours=8)
    one_short = {f.rule for f in insights_find(team=team, now=now)}
    reviewed(1, days_ago=41, pickup_hours=2)
    enough = {f.rule for f in insights_find(team=team, now=now)}

    assert "pickup_trend" not in one_short
    assert "pickup_trend" in enough


# The partial week


def test_the_current_week_is_partial_and_the_weeks_before_it_complete(team, repo):
    merged_pr(team=team, repository=repo, hours_to_merge=2, opened_at=T0 + 8 * DAY)
    wednesday = T0 + 9 * DAY  # 12 March 2025, in the week of 10 March

    start = dt.datetime(2025, 2, 24, tzinfo=dt.UTC)

    weeks = weekly_trends(filters=filters_for(team, start=start, days=17), now=wednesday)

    assert [(w["week"], w["status"]) for w in weeks] == [
        (dt.date(2025, 2, 24), COMPLETE),
        (dt.date(2025, 3, 3), COMPLETE),
        (dt.date(2025, 3, 10), PARTIAL),
    ]
    assert weeks[-1]["note"] == "week in progress"
    assert weeks[-1]["merged"] == 1  # partial weeks keep their numbers


def test_weeks_cut_by_the_period_say_where(team, repo):
    # Wednesday 5 March to Wednesday 19 March 2025, looked at long after.
    start = dt.datetime(2025, 3, 5, tzinfo=dt.UTC)

    weeks = weekly_trends(filters=filters_for(team, start=start, days=15), now=T0 + 365 * DAY)

    assert [w["status"] for w in weeks] == [PARTIAL, COMPLETE, PARTIAL]
    assert weeks[0]["note"] == "from 5 Mar 2025, the period's start"
    assert weeks[-1]["note"] == "up to 19 Mar 2025, the period's end"


def test_the_week_in_progress_is_its_own_in_the_teams_time_zone(team, repo):
    team.time_zone = "Pacific/Auckland"  # UTC+13 in March: Monday there is Sunday in UTC
    team.save()
    sunday_utc = dt.datetime(2025, 3, 9, 12, tzinfo=dt.UTC)  # Monday 10 March, 01:00 there

    weeks = weekly_trends(filters=filters_for(team, start=T0 - 7 * DAY, days=14), now=sunday_utc)

    assert weeks[-1]["week"] == dt.date(2025, 3, 10) and weeks[-1]["status"] == PARTIAL
    assert weeks[-2]["status"] == COMPLETE


# The imported history


def test_weeks_before_the_history_are_not_imported_and_have_no_numbers(team, repo):
    history = dt.datetime(2025, 3, 12, 15, tzinfo=dt.UTC)  # a Wednesday afternoon
    merged_pr(team=team, repository=repo, hours_to_merge=2, opened_at=T0 + HOUR)  # stored anyway
    merged_pr(team=team, repository=repo, hours_to_merge=2, opened_at=history + HOUR)
    start = dt.datetime(2025, 2, 24, tzinfo=dt.UTC)
    filters = filters_for(team, start=start, days=28, history_start=history)

    weeks = weekly_trends(filters=filters, now=T0 + 60 * DAY)

    assert [w["status"] for w in weeks] == [NOT_IMPORTED, NOT_IMPORTED, PARTIAL, COMPLETE]
    assert weeks[0]["merged"] is None and weeks[1]["merged"] is None
    assert weeks[1]["cycle"] is None and weeks[1]["ai_share"] is None
    assert weeks[0]["note"] == "not imported: the history starts 12 Mar 2025"
    assert weeks[2]["note"] == "history imported from 12 Mar 2025"
    assert weeks[2]["merged"] == 1


def test_a_period_starting_on_the_historys_first_moment_is_imported(team):
    history = T0
    filters = filters_for(team, start=T0, history_start=history)

    assert filters.imported
    assert not dataclasses.replace(filters, start=T0 - dt.timedelta(seconds=1)).imported
    assert not filters.previous().imported
    assert filters_for(team, start=T0, history_start=None).previous().imported


def test_no_change_is_given_against_a_period_before_the_history(team, repo):
    merged_many(team, repo, MIN_SAMPLE, at=T0 - 10 * DAY, hours=20)
    merged_many(team, repo, MIN_SAMPLE, at=T0, hours=10)
    history = T0 - 5 * DAY  # the period before starts at T0 - 17 days

    kpis = delivery_kpis(
        filters=filters_for(team, days=14, start=T0 - 3 * DAY, history_start=history)
    )

    assert kpis["previous"] is None
    assert {c.kind for c in kpis["change"].values()} == {"none"}
    assert kpis["change"]["merged"].note == "no comparison: history starts 26 Feb 2025"


def test_insights_do_not_compare_with_four_weeks_the_history_does_not_cover(team, repo):
    now = dt.datetime(2025, 6, 2, 12, tzinfo=dt.UTC)
    merged_many(team, repo, MIN_SAMPLE, at=now - 40 * DAY)
    merged_many(team, repo, 3 * MIN_SAMPLE, at=now - 10 * DAY)
    sync = RepositorySyncFactory(repository=repo, status="complete", history_from=now - 35 * DAY)

    partly_imported = {f.rule for f in insights_find(team=team, now=now)}
    sync.history_from = now - 90 * DAY
    sync.save()
    imported = {f.rule for f in insights_find(team=team, now=now)}

    assert "throughput_trend" not in partly_imported
    assert "throughput_trend" in imported
