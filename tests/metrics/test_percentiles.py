"""Percentiles in SQL (window functions) match percentile_cont on known data."""

import pytest
from django.db.models import F

from tests.helpers.factories import TrackedRepositoryFactory
from tests.helpers.metrics import merged_pr
from tformance.metrics.percentiles import percentiles_compute, percentiles_filled
from tformance.pulls.durations import cycle_seconds
from tformance.pulls.models import PullRequest

pytestmark = pytest.mark.django_db


def percentiles_of(qs, *, values):
    """The ungrouped percentiles of `values` over `qs`, every metric present."""
    return percentiles_filled(percentiles_compute(qs, values=values).get(None, {}), names=values)


@pytest.mark.parametrize(
    ("hours", "median", "p75", "p90"),
    [
        ([5], 5, 5, 5),
        ([1, 3], 2, 2.5, 2.8),
        ([1, 2, 3, 4], 2.5, 3.25, 3.7),
        ([10, 1, 7, 3, 5], 5, 7, 8.8),
        ([2, 2, 2, 100], 2, 26.5, 70.6),
    ],
)
def test_percentiles_interpolate_like_percentile_cont(team, hours, median, p75, p90):
    repository = TrackedRepositoryFactory(team=team)
    for h in hours:
        merged_pr(team=team, repository=repository, hours_to_merge=h)

    stats = percentiles_of(PullRequest.objects.filter(team=team), values={"c": cycle_seconds()})

    assert stats["c"]["n"] == len(hours)
    for p, expected in ((50, median), (75, p75), (90, p90)):
        assert stats["c"][p] == pytest.approx(expected * 3600)


def test_an_empty_set_has_no_percentiles(team):
    stats = percentiles_of(PullRequest.objects.filter(team=team), values={"c": cycle_seconds()})

    assert stats == {"c": {50: None, 75: None, 90: None, "n": 0}}


def test_percentiles_are_computed_per_group_in_one_query(team, django_assert_num_queries):
    repository = TrackedRepositoryFactory(team=team)
    for h in (1, 2, 3):
        merged_pr(team=team, repository=repository, hours_to_merge=h, is_ai_assisted=True)
    for h in (10, 20):
        merged_pr(team=team, repository=repository, hours_to_merge=h, is_ai_assisted=False)

    with django_assert_num_queries(1):
        found = percentiles_compute(
            PullRequest.objects.filter(team=team),
            values={"c": cycle_seconds()},
            group=F("is_ai_assisted"),
        )

    assert found[True]["c"][50] == 2 * 3600
    assert found[False]["c"][50] == 15 * 3600
    assert found[False]["c"]["n"] == 2
