"""Hand-built PRs at known times for metric tests."""

import datetime as dt

from tests.helpers.factories import PullRequestFactory
from tformance.metrics.filters import MetricFilters

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)  # a Monday
HOUR = dt.timedelta(hours=1)


def merged_pr(*, team, repository, hours_to_merge, author=None, **fields):
    """A PR opened at T0 + `offset` and merged `hours_to_merge` later (no commits, no review)."""
    opened = fields.pop("opened_at", T0)
    kwargs = {
        "repository": repository,
        "opened_at": opened,
        "merged_at": opened + hours_to_merge * HOUR,
        "github_updated_at": opened + hours_to_merge * HOUR,
        "state": "merged",
        "size_bucket": fields.pop("size_bucket", "S"),
        **fields,
    }
    if author is not None:
        kwargs["author"] = author
    return PullRequestFactory(**kwargs)


def filters_for(team, *, days=28, start=T0 - dt.timedelta(days=1), **kw) -> MetricFilters:
    return MetricFilters(team=team, start=start, end=start + dt.timedelta(days=days), **kw)
