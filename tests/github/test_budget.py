"""One token's rate limit, shared by its clients: they stop sending together once it is
spent, send again after the reset, and sit out a secondary limit that one of them met."""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid

import pytest

from github_sandbox.world import DEFAULT_ORG, HARD_CASES_REPO, VIEWER_LOGIN
from tests.helpers.ci import skip_or_fail
from tests.helpers.github import SleepRecorder
from tformance.github import budget, errors

OWNER, NAME = HARD_CASES_REPO.split("/")


def _first_page(client):
    return next(client.iter_pull_request_pages(OWNER, NAME, page_size=5))


def _spend_graphql(client) -> errors.RateLimited:
    with pytest.raises(errors.RateLimited) as exc_info:
        for _ in client.iter_pull_request_pages(OWNER, NAME, page_size=5):
            pass
    return exc_info.value


def test_a_client_sends_nothing_once_another_client_of_its_token_spent_the_budget(
    make_client, github_sandbox
):
    github_sandbox.faults.update(graphql_budget=3, window_seconds=600)
    spent = _spend_graphql(make_client())
    asked = github_sandbox.stats.graphql_requests

    with pytest.raises(errors.RateLimited) as exc_info:
        _first_page(make_client())

    assert github_sandbox.stats.graphql_requests == asked  # not sent
    assert exc_info.value.reset_at == spent.reset_at
    assert github_sandbox.stats.primary_limited_graphql == 0  # GitHub never had to refuse one
    # REST has a budget of its own, untouched.
    assert make_client().get_viewer().login == VIEWER_LOGIN


def test_the_clients_of_a_token_send_again_once_its_window_resets(make_client, github_sandbox):
    github_sandbox.faults.update(graphql_budget=3, window_seconds=2)
    spent = _spend_graphql(make_client())
    other = make_client()
    with pytest.raises(errors.RateLimited):
        _first_page(other)

    with pytest.raises(errors.RateLimited):  # GitHub's reset is rounded down to the second
        time.sleep(max(0.0, (spent.reset_at - dt.datetime.now(dt.UTC)).total_seconds()))
        _first_page(other)
    time.sleep(max(0.0, (spent.reset_at - dt.datetime.now(dt.UTC)).total_seconds()) + 1.05)

    assert _first_page(other).pull_requests
    assert github_sandbox.stats.primary_limited_graphql == 0


def test_the_reserve_keeps_points_back_for_the_requests_other_workers_have_in_flight(
    make_client, github_sandbox, settings
):
    settings.GITHUB_RATE_LIMIT_RESERVE = 4
    github_sandbox.faults.update(graphql_budget=6, window_seconds=600)
    client = make_client()

    spent = _spend_graphql(client)

    remaining = client.usage.graphql_remaining
    assert 0 < remaining < 4 and spent.reset_at > dt.datetime.now(dt.UTC)
    assert github_sandbox.stats.primary_limited_graphql == 0


def test_a_secondary_limit_one_client_met_makes_the_others_wait_without_sending(
    make_client, github_sandbox
):
    github_sandbox.faults.update(secondary_limit_every=1, secondary_retry_after=7)
    with pytest.raises(errors.SecondaryRateLimit):
        make_client(max_retries=0).get_viewer()
    github_sandbox.faults.update(secondary_limit_every=None)
    asked = github_sandbox.stats.total_requests
    other_sleeps = SleepRecorder()
    other = make_client(sleep=other_sleeps)

    assert other.get_viewer().login == VIEWER_LOGIN

    # It waited the rest of the seven seconds before its one request, which GitHub answered.
    [waited] = other_sleeps.calls
    assert 6 < waited <= 7
    assert github_sandbox.stats.total_requests == asked + 1
    assert github_sandbox.stats.secondary_limited == 1
    assert other.usage.rest_requests == 1 and other.usage.retries == 1


def test_a_client_that_sat_out_its_own_secondary_limit_sends_at_once(
    make_client, github_sandbox, sleeps
):
    github_sandbox.faults.update(secondary_limit_every=2, secondary_retry_after=3)
    client = make_client(max_retry_after_seconds=10)

    for _ in range(2):
        assert client.get_viewer().login == VIEWER_LOGIN

    assert sleeps.calls == [3.0]  # once, as GitHub asked: the shared pause is its own
    assert github_sandbox.stats.total_requests == 3 and client.usage.rest_requests == 3


def test_a_budget_is_kept_per_github_and_token_and_never_holds_the_token(github_sandbox):
    token = github_sandbox.token
    key = budget.budget_key(token=token, api_url=github_sandbox.api_url)

    assert key == budget.budget_key(token=token, api_url=github_sandbox.api_url + "/")
    assert key != budget.budget_key(token=token + "x", api_url=github_sandbox.api_url)
    assert key != budget.budget_key(token=token, api_url="https://api.github.com")
    assert token not in key and token[4:12] not in key


@pytest.fixture(params=["memory", "redis"])
def store(request, settings):
    """Each rule holds in this process's store and in the Redis that workers share."""
    if request.param == "redis":
        from tests.helpers.workers import REDIS_URL, redis_available

        if not redis_available():
            skip_or_fail(f"Redis is not reachable at {REDIS_URL}")
        settings.GITHUB_BUDGET_REDIS_URL = REDIS_URL
    else:
        settings.GITHUB_BUDGET_REDIS_URL = ""
    return budget.budget_key(token=uuid.uuid4().hex, api_url="http://github.test")


def _at(seconds: float) -> dt.datetime:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)).replace(microsecond=0)


def _stopped(key: str, resource: str = budget.GRAPHQL) -> dt.datetime | None:
    """The reset a request would wait for, or None when it may be sent."""
    try:
        budget.check_budget(key=key, resource=resource)
    except errors.RateLimited as exc:
        return exc.reset_at
    return None


def test_within_a_window_the_lowest_remaining_heard_stands_and_a_new_window_replaces_it(
    store, settings
):
    settings.GITHUB_RATE_LIMIT_RESERVE = 10
    key, window, later = store, _at(600), _at(1200)

    def heard(remaining: int, reset_at: dt.datetime) -> None:
        budget.record_limit(
            key=key, resource=budget.GRAPHQL, remaining=remaining, reset_at=reset_at
        )

    heard(10, window)
    assert _stopped(key) is None  # at the reserve, not below it
    heard(9, window)
    assert _stopped(key) == window
    heard(12, window)  # an answer that was overtaken on its way
    assert _stopped(key) == window
    assert _stopped(key, budget.CORE) is None  # another resource
    heard(4990, later)
    assert _stopped(key) is None
    heard(3, window)  # the window before
    assert _stopped(key) is None
    heard(0, window)  # a refusal is believed whatever window it names
    assert _stopped(key) == window


def test_a_spent_budget_stops_requests_until_a_second_past_its_reset(store):
    key, reset = store, _at(600)
    budget.record_limit(key=key, resource=budget.GRAPHQL, remaining=0, reset_at=reset)
    assert _stopped(key) == reset

    other = budget.budget_key(token=uuid.uuid4().hex, api_url="http://github.test")
    budget.record_limit(key=other, resource=budget.GRAPHQL, remaining=0, reset_at=_at(0))
    assert _stopped(other) is not None  # GitHub rounds the reset down to the second
    budget.record_limit(key=other, resource=budget.CORE, remaining=0, reset_at=_at(-2))
    assert _stopped(other, budget.CORE) is None  # its window has reset


def test_a_shared_pause_stops_every_resource_until_it_ends_unless_sat_out(store):
    key, until = store, _at(30)
    budget.record_pause(key=key, until=until)
    budget.record_pause(key=key, until=_at(5))  # never shortened

    for resource in (budget.GRAPHQL, budget.CORE):
        with pytest.raises(budget.SharedPause) as exc_info:
            budget.check_budget(key=key, resource=resource)
        assert exc_info.value.until == until and 28 < exc_info.value.retry_after_seconds <= 30
    budget.check_budget(key=key, resource=budget.GRAPHQL, waited_until=until)


def test_without_an_answering_redis_the_budget_stays_in_the_process(settings, caplog):
    settings.GITHUB_BUDGET_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    key = budget.budget_key(token=uuid.uuid4().hex, api_url="http://github.test")
    caplog.set_level(logging.WARNING, logger="tformance.github.budget")

    budget.record_limit(key=key, resource=budget.GRAPHQL, remaining=0, reset_at=_at(600))

    with pytest.raises(errors.RateLimited):
        budget.check_budget(key=key, resource=budget.GRAPHQL)
    assert "Redis failed" in caplog.text


def test_onboarding_calls_share_the_rest_budget_too(make_client, github_sandbox):
    github_sandbox.faults.update(rest_budget=2, window_seconds=600)
    first = make_client()
    first.get_viewer()
    first.get_organization(DEFAULT_ORG)
    asked = github_sandbox.stats.rest_requests

    with pytest.raises(errors.RateLimited):
        make_client().list_org_repositories(DEFAULT_ORG)

    assert github_sandbox.stats.rest_requests == asked
    assert github_sandbox.stats.primary_limited_rest == 0
