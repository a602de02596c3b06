"""Faults on demand: 502s, latency, secondary limits, primary budgets."""

import time

from github_sandbox.faults import Faults


def test_a_502_rate_serves_roughly_that_fraction_deterministically(
    github_sandbox_factory, make_client
):
    gh = github_sandbox_factory(faults={"error_rate_502": 0.3, "seed": 4})
    client = make_client(gh)
    statuses = [client.get("/user").status_code for _ in range(200)]
    assert 40 <= statuses.count(502) <= 80
    assert gh.stats.served_502 == statuses.count(502) == gh.stats.by_status[502]
    assert gh.stats.retries_after_502 > 0  # the same request succeeding after a 502


def test_a_graphql_502_has_githubs_timeout_body(github_sandbox, make_client):
    github_sandbox.faults.update(error_rate_502=1.0)
    response = make_client(github_sandbox).graphql("{ viewer { login } }")
    assert response.status_code == 502
    assert response.json()["errors"][0]["message"].startswith(
        "Something went wrong while executing your query."
    )


def test_heavy_graphql_queries_get_502_above_a_node_count(github_sandbox, make_client):
    github_sandbox.faults.update(graphql_502_above_nodes=1000)
    client = make_client(github_sandbox)
    light = client.graphql(
        '{ repository(owner: "acme", name: "monolith") { '
        "pullRequests(first: 10) { nodes { number } } } }"
    )
    heavy = client.graphql(
        '{ repository(owner: "acme", name: "monolith") { pullRequests(first: '
        "100) { nodes { files(first: 100) { totalCount } } } } }"
    )
    assert (light.status_code, heavy.status_code) == (200, 502)


def test_every_kth_request_hits_the_secondary_limit_with_retry_after(github_sandbox, make_client):
    github_sandbox.faults.update(secondary_limit_every=3, secondary_retry_after=7)
    client = make_client(github_sandbox)
    responses = [client.get("/user") for _ in range(6)]
    assert [r.status_code for r in responses] == [200, 200, 403, 200, 200, 403]
    limited = responses[2]
    assert limited.headers["Retry-After"] == "7"
    assert limited.json()["message"].startswith("You have exceeded a secondary rate limit.")
    assert github_sandbox.stats.secondary_limited == 2


def test_an_exhausted_rest_budget_answers_403_with_remaining_zero(github_sandbox, make_client):
    github_sandbox.faults.update(rest_budget=3)
    client = make_client(github_sandbox)
    assert [client.get("/user").status_code for _ in range(3)] == [200, 200, 200]
    blocked = client.get("/user")
    assert blocked.status_code == 403
    assert blocked.headers["X-RateLimit-Remaining"] == "0"
    assert int(blocked.headers["X-RateLimit-Reset"]) > time.time()
    assert blocked.json()["message"].startswith("API rate limit exceeded for user ID")
    assert client.get("/rate_limit").status_code == 200  # free, as on GitHub


def test_an_exhausted_graphql_budget_answers_a_rate_limit_error(github_sandbox, make_client):
    github_sandbox.faults.update(graphql_budget=2)
    client = make_client(github_sandbox)
    assert client.graphql("{ viewer { login } }").json()["data"]
    assert client.graphql("{ viewer { login } }").json()["data"]
    blocked = client.graphql("{ viewer { login } }")
    assert blocked.status_code == 200
    assert blocked.headers["X-RateLimit-Remaining"] == "0"
    [error] = blocked.json()["errors"]
    assert error["type"] == "RATE_LIMIT" and error["code"] == "graphql_rate_limit"
    assert github_sandbox.stats.primary_limited_graphql == 1


def test_a_budget_window_resets(github_sandbox, make_client):
    github_sandbox.faults.update(rest_budget=1, window_seconds=1)
    client = make_client(github_sandbox)
    assert client.get("/user").status_code == 200
    assert client.get("/user").status_code == 403
    time.sleep(1.1)
    assert client.get("/user").status_code == 200


def test_a_window_from_exhaustion_lasts_until_the_budget_runs_out(github_sandbox, make_client):
    github_sandbox.faults.update(rest_budget=2, window_seconds=1, window_from_exhaustion=True)
    client = make_client(github_sandbox)
    assert client.get("/user").status_code == 200
    time.sleep(1.1)  # longer than the window, yet the budget is not renewed
    assert client.get("/user").status_code == 200
    blocked = client.get("/user")
    assert blocked.status_code == 403
    assert int(blocked.headers["X-RateLimit-Reset"]) >= int(time.time())
    time.sleep(1.1)
    assert client.get("/user").status_code == 200


def test_latency_is_added_to_each_request(github_sandbox, make_client):
    github_sandbox.faults.update(latency_ms=150)
    started = time.monotonic()
    make_client(github_sandbox).get("/user")
    assert time.monotonic() - started >= 0.15


def test_faults_reject_unknown_knobs():
    faults = Faults()
    try:
        faults.update(nope=1)
    except TypeError as exc:
        assert "nope" in str(exc)
    else:
        raise AssertionError("expected TypeError")


def test_stats_count_requests_by_kind_and_reset(github_sandbox, make_client):
    client = make_client(github_sandbox)
    client.get("/user")
    client.graphql("{ viewer { login } }")
    stats = github_sandbox.stats.snapshot()
    assert (stats["total_requests"], stats["rest_requests"], stats["graphql_requests"]) == (2, 1, 1)
    assert stats["by_endpoint"] == {"GET /user": 1, "POST /graphql": 1}
    github_sandbox.stats.reset()
    assert github_sandbox.stats.total_requests == 0
