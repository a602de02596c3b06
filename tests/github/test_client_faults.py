"""Faults on demand: 502s, shrinking pages, secondary and primary limits, both URL styles,
usage counters, and tokens kept out of logs."""

from __future__ import annotations

import datetime as dt

import pytest

from github_sandbox.world import DEFAULT_ORG, HARD_CASES_REPO, VIEWER_LOGIN
from tformance.github import errors

OWNER, NAME = HARD_CASES_REPO.split("/")


def test_502s_are_retried(make_client, github_sandbox):
    github_sandbox.faults.update(error_rate_502=0.4, seed=7)
    client = make_client(max_retries=8)
    assert client.get_viewer().login == VIEWER_LOGIN
    assert client.list_org_repositories(DEFAULT_ORG)
    page = next(client.iter_pull_request_pages(OWNER, NAME, page_size=5))
    assert page.pull_requests
    assert github_sandbox.stats.served_502 > 0
    assert client.usage.retries >= github_sandbox.stats.served_502


def test_persistent_502_gives_up_after_the_retry_budget(make_client, github_sandbox, sleeps):
    github_sandbox.faults.update(error_rate_502=1.0)
    client = make_client(max_retries=3)
    with pytest.raises(errors.ServerError) as exc_info:
        client.get_viewer()
    assert exc_info.value.status == 502 and not exc_info.value.permanent
    assert client.usage.rest_requests == 4  # the first try and three retries
    assert client.usage.retries == 3 and len(sleeps.calls) == 3


def _nodes_of(page_size: int, nested_page_size: int) -> int:
    """GitHub's node count of a pull-request page: the page, plus per pull request its files,
    commits and reviews (``first: nested``) and ``timelineItems(first: 1)``."""
    # Reference: https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#node-limit
    return page_size * (1 + 3 * nested_page_size + 1)


def test_page_shrinks_on_repeated_502_and_grows_back(make_client, github_sandbox):
    client = make_client(
        page_size=16, nested_page_size=5, shrink_after_failures=2, grow_after_successes=1
    )
    # Pages of more than 4 pull requests are "too big" for GitHub: 16 -> 8 -> 4.
    github_sandbox.faults.update(graphql_502_above_nodes=_nodes_of(4, 5))
    pages = client.iter_pull_request_pages(OWNER, NAME)
    first = next(pages)
    assert first.page_size == 4 and len(first.pull_requests) == 4
    assert client.usage.page_size_reductions == 2
    assert github_sandbox.stats.served_502 == 4  # two failures at 16, two at 8
    github_sandbox.faults.update(graphql_502_above_nodes=None)
    sizes = [next(pages).page_size for _ in range(3)]
    assert sizes == [8, 16, 16]  # doubled back up to the configured size


def test_retry_after_is_honoured(make_client, github_sandbox, sleeps):
    github_sandbox.faults.update(secondary_limit_every=2, secondary_retry_after=3)
    client = make_client(max_retry_after_seconds=10)
    for _ in range(3):
        assert client.get_viewer().login == VIEWER_LOGIN
    assert 3.0 in sleeps.calls
    assert github_sandbox.stats.secondary_limited >= 1


def test_retry_after_longer_than_the_cap_raises(make_client, github_sandbox, sleeps):
    github_sandbox.faults.update(secondary_limit_every=1, secondary_retry_after=600)
    client = make_client(max_retry_after_seconds=30)
    with pytest.raises(errors.SecondaryRateLimit) as exc_info:
        client.get_viewer()
    assert exc_info.value.retry_after_seconds == 600
    assert sleeps.calls == []


def test_primary_rest_limit_carries_the_reset_time(make_client, github_sandbox, sleeps):
    github_sandbox.faults.update(rest_budget=2, window_seconds=900)
    client = make_client()
    client.get_viewer()
    client.get_organization(DEFAULT_ORG)
    with pytest.raises(errors.RateLimited) as exc_info:
        client.get_repository(HARD_CASES_REPO)
    reset_at = exc_info.value.reset_at
    now = dt.datetime.now(dt.UTC)
    assert now < reset_at <= now + dt.timedelta(seconds=901)
    assert sleeps.calls == []  # the client never sleeps until the reset
    assert client.usage.rest_remaining == 0


def test_primary_graphql_limit_carries_the_reset_time(make_client, github_sandbox, sleeps):
    github_sandbox.faults.update(graphql_budget=1, window_seconds=600)
    client = make_client()
    with pytest.raises(errors.RateLimited) as exc_info:
        for _ in client.iter_pull_request_pages(OWNER, NAME, page_size=5):
            pass
    assert exc_info.value.reset_at > dt.datetime.now(dt.UTC)
    assert sleeps.calls == []


def test_enterprise_url_style(make_client, github_sandbox):
    client = make_client(api_url=github_sandbox.enterprise_api_url)
    assert client.graphql_url.endswith("/api/graphql")
    assert client.get_viewer().login == VIEWER_LOGIN
    assert client.list_org_repositories(DEFAULT_ORG)
    page = next(client.iter_pull_request_pages(OWNER, NAME, page_size=3))
    assert len(page.pull_requests) == 3


def test_usage_counts_every_request_and_point(make_client, github_sandbox):
    github_sandbox.stats.reset()
    client = make_client()
    client.get_viewer()
    client.list_org_members(DEFAULT_ORG)
    pages = list(client.iter_pull_request_pages(OWNER, NAME, page_size=10))
    client.get_pull_request(OWNER, NAME, github_sandbox.world.hard_cases["many_files"].number)
    usage = client.usage
    stats = github_sandbox.stats
    assert usage.rest_requests == stats.rest_requests
    assert usage.graphql_requests == stats.graphql_requests
    assert usage.requests == usage.rest_requests + usage.graphql_requests
    assert usage.graphql_points == stats.graphql_points
    assert usage.graphql_points >= sum(p.rate_limit.cost for p in pages)
    assert usage.retries == 0
    assert usage.rest_remaining is not None and usage.graphql_remaining is not None
    assert usage.rest_reset_at.tzinfo and usage.graphql_reset_at.tzinfo


def test_token_never_appears_in_logs(make_client, github_sandbox, all_logs):
    token = github_sandbox.issue_token(login=VIEWER_LOGIN, scopes=["repo", "read:org"])
    github_sandbox.faults.update(error_rate_502=0.3, seed=3)
    client = make_client(token=token, max_retries=8)
    client.get_viewer()
    next(client.iter_pull_request_pages(OWNER, NAME, page_size=5))
    github_sandbox.faults.update(error_rate_502=0.0)
    github_sandbox.revoke_token(token)
    with pytest.raises(errors.BadCredentials) as exc_info:
        client.get_viewer()
    assert all_logs.records, "expected HTTP logging at DEBUG"
    assert token not in all_logs.text
    assert token[4:] not in all_logs.text
    assert token not in str(exc_info.value) and token not in repr(client)
    assert repr(client).endswith(f"token={token[:4]}…({len(token)})>")
