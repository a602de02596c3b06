"""Pure parts of the GitHub client: error mapping, endpoints, queries, backoff, page size."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from github.GithubException import (
    BadCredentialsException,
    GithubException,
    RateLimitExceededException,
    UnknownObjectException,
)
from graphql import build_schema, parse, validate
from graphql.language import FragmentDefinitionNode, FragmentSpreadNode, Visitor, visit

from tformance.core.secrets import token_fingerprint
from tformance.github import errors
from tformance.github.follow_ups import (
    ONE_POINT_CONNECTIONS,
    PAGE_CONNECTIONS_PER_PR,
    follow_up_query,
    page_query,
    riders_for,
)
from tformance.github.graphql import QUERIES_DIR, graphql_url_for, load_query, with_fragments
from tformance.github.retry import AdaptivePageSize, RetryPolicy

QUERY_NAMES = sorted(p.stem for p in QUERIES_DIR.glob("*.graphql") if p.stem != "fragments")


@pytest.mark.parametrize(
    ("api_url", "expected"),
    [
        ("https://api.github.com", "https://api.github.com/graphql"),
        ("https://api.github.com/", "https://api.github.com/graphql"),
        ("https://ghe.example.com/api/v3", "https://ghe.example.com/api/graphql"),
        ("https://ghe.example.com/api/v3/", "https://ghe.example.com/api/graphql"),
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123/graphql"),
        ("http://127.0.0.1:8123/api/v3", "http://127.0.0.1:8123/api/graphql"),
    ],
)
def test_graphql_endpoint_is_derived_like_github(api_url, expected):
    assert graphql_url_for(api_url) == expected


def _fragments_defined_and_spread(document: str) -> tuple[set[str], set[str]]:
    defined: set[str] = set()
    spread: set[str] = set()

    class Collect(Visitor):
        def enter_fragment_definition(self, node: FragmentDefinitionNode, *_):
            defined.add(node.name.value)

        def enter_fragment_spread(self, node: FragmentSpreadNode, *_):
            spread.add(node.name.value)

    visit(parse(document), Collect())
    return defined, spread


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_query_parses_and_carries_exactly_the_fragments_it_uses(name):
    defined, spread = _fragments_defined_and_spread(load_query(name))
    assert defined == spread


SANDBOX_SCHEMA = Path(__file__).resolve().parents[2] / "github_sandbox" / "schema.graphql"


@pytest.mark.skipif(not SANDBOX_SCHEMA.exists(), reason="sandbox schema not present")
@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_query_validates_against_the_sandbox_schema(name):
    text = SANDBOX_SCHEMA.read_text(encoding="utf-8")
    # Until the sandbox has fullDatabaseId, check the variant the client falls back to.
    query = load_query(name, legacy_ids="fullDatabaseId" not in text)
    assert [e.message for e in validate(build_schema(text), parse(query))] == []


def test_expected_queries_exist():
    assert set(QUERY_NAMES) >= {"pull_requests", "pull_request"}


FOLLOW_UPS = [(7, "files"), (7, "reviews"), (12, "commits"), (31, "files")]


@pytest.mark.skipif(not SANDBOX_SCHEMA.exists(), reason="sandbox schema not present")
def test_a_follow_up_query_validates_against_the_sandbox_schema_with_its_fragments():
    text = SANDBOX_SCHEMA.read_text(encoding="utf-8")
    query = with_fragments(follow_up_query(FOLLOW_UPS), legacy_ids="fullDatabaseId" not in text)
    assert [e.message for e in validate(build_schema(text), parse(query))] == []
    defined, spread = _fragments_defined_and_spread(query)
    assert defined == spread >= {"FilesPage", "CommitsPage", "ReviewsPage"}


def test_a_follow_up_query_carries_cursors_as_variables_and_aliases_from_numbers_only():
    query = follow_up_query(FOLLOW_UPS)
    operation = parse(query).definitions[0]
    declared = {v.variable.name.value for v in operation.variable_definitions}
    assert declared == {"owner", "name", "pageSize", "pr7_files", "pr7_reviews"} | {
        "pr12_commits",
        "pr31_files",
    }
    repository = operation.selection_set.selections[1]
    aliases = [s.alias.value for s in repository.selection_set.selections]
    assert aliases == ["pr7", "pr12", "pr31"]
    with pytest.raises(ValueError):
        follow_up_query([(7, "files) { x } #")])


@pytest.mark.skipif(not SANDBOX_SCHEMA.exists(), reason="sandbox schema not present")
def test_a_page_query_with_follow_ups_riding_along_validates_with_its_fragments():
    text = SANDBOX_SCHEMA.read_text(encoding="utf-8")
    query = with_fragments(page_query(FOLLOW_UPS), legacy_ids="fullDatabaseId" not in text)
    assert [e.message for e in validate(build_schema(text), parse(query))] == []
    operation = parse(query).definitions[0]
    declared = {v.variable.name.value for v in operation.variable_definitions}
    assert declared >= {"pageSize", "after", "nestedPageSize", "pr7_files", "pr31_files"}
    repository = operation.selection_set.selections[1]
    names = [
        s.alias.value if s.alias else s.name.value for s in repository.selection_set.selections
    ]
    assert names == ["pullRequests", "pr7", "pr12", "pr31"]
    assert page_query([]) is None  # nothing rides along: the stored query as it is


def test_follow_ups_ride_along_only_as_far_as_a_page_still_costs_one_point():
    # GitHub: the connections' requests / 100, rounded to the nearest whole number.
    for size in (1, 10, 25, 30, 34, 37, 50, 100):
        connections = 1 + PAGE_CONNECTIONS_PER_PR * size + riders_for(size)
        assert max(1, round(connections / 100)) == 1 or riders_for(size) == 0  # 1 at least
    assert ONE_POINT_CONNECTIONS < 150
    assert riders_for(25) == 39 and riders_for(35) == 0 and riders_for(100) == 0


def test_token_fingerprint_shows_prefix_and_length_only():
    token = "ghp_" + "x" * 36
    assert token_fingerprint(token) == "ghp_…(40)"
    assert "x" not in token_fingerprint(token)
    assert token_fingerprint("") == "<no token>"


# --- error mapping ---------------------------------------------------------------------------


def test_401_is_bad_credentials():
    exc = errors.error_from_response(401, {}, {"message": "Bad credentials"})
    assert isinstance(exc, errors.BadCredentials) and exc.permanent
    assert exc.message.startswith("GitHub rejected the token")


def test_403_with_sso_header_is_sso_required():
    headers = {
        "X-GitHub-SSO": "required; url=https://github.com/orgs/acme/sso?authorization_request=x"
    }
    exc = errors.error_from_response(403, headers, {"message": "Resource protected by SAML"})
    assert isinstance(exc, errors.SSORequired) and exc.permanent
    assert exc.sso_url == "https://github.com/orgs/acme/sso?authorization_request=x"


def test_403_with_remaining_zero_is_primary_rate_limit_with_reset_time():
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000000"}
    exc = errors.error_from_response(403, headers, {"message": "API rate limit exceeded for user"})
    assert isinstance(exc, errors.RateLimited) and not exc.permanent
    assert exc.reset_at == dt.datetime.fromtimestamp(1700000000, dt.UTC)


@pytest.mark.parametrize("status", [403, 429])
def test_retry_after_is_secondary_rate_limit(status):
    exc = errors.error_from_response(status, {"Retry-After": "7"}, {"message": "slow down"})
    assert isinstance(exc, errors.SecondaryRateLimit)
    assert exc.retry_after_seconds == 7.0


def test_secondary_limit_message_without_retry_after_waits_a_minute():
    body = {"message": "You have exceeded a secondary rate limit. Please wait a few minutes."}
    exc = errors.error_from_response(403, {}, body)
    assert isinstance(exc, errors.SecondaryRateLimit)
    assert exc.retry_after_seconds == 60.0


def test_plain_403_is_no_access():
    exc = errors.error_from_response(403, {}, {"message": "Must have admin rights"})
    assert type(exc) is errors.NoAccess and exc.permanent


@pytest.mark.parametrize("status", [502, 503, 504])
def test_5xx_is_transient_server_error(status):
    exc = errors.error_from_response(status, {}, {})
    assert isinstance(exc, errors.ServerError) and not exc.permanent and exc.status == status


def test_graphql_rate_limited_carries_reset_from_headers():
    errs = [{"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1."}]
    exc = errors.error_from_graphql(errs, headers={"x-ratelimit-reset": "1700000100"})
    assert isinstance(exc, errors.RateLimited)
    assert exc.reset_at == dt.datetime.fromtimestamp(1700000100, dt.UTC)


def test_graphql_not_found_keeps_every_error():
    errs = [
        {
            "type": "NOT_FOUND",
            "path": ["repository"],
            "message": "Could not resolve to a Repository",
        }
    ]
    exc = errors.error_from_graphql(errs, data={"repository": None})
    assert isinstance(exc, errors.NotFound) and isinstance(exc, errors.GraphQLError)
    assert exc.errors == errs and exc.permanent


def test_graphql_mixed_errors_keep_all_messages():
    errs = [
        {"type": "NOT_FOUND", "message": "first"},
        {"type": "FORBIDDEN", "message": "second"},
    ]
    exc = errors.error_from_graphql(errs, data={"x": 1})
    assert type(exc) is errors.GraphQLError
    assert "first" in str(exc) and "second" in str(exc)
    assert exc.data == {"x": 1}


def test_graphql_something_went_wrong_is_a_transient_timeout():
    errs = [{"message": "Something went wrong while executing your query. This may be a timeout."}]
    exc = errors.error_from_graphql(errs)
    assert isinstance(exc, errors.Timeout) and not exc.permanent


@pytest.mark.parametrize(
    ("pygithub_exc", "expected"),
    [
        (
            BadCredentialsException(401, {"message": "Bad credentials"}, {}),
            errors.BadCredentials,
        ),
        (
            UnknownObjectException(404, {"message": "Not Found"}, {}),
            errors.NotFound,
        ),
        (
            RateLimitExceededException(
                403,
                {"message": "API rate limit exceeded"},
                {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000000"},
            ),
            errors.RateLimited,
        ),
        (
            RateLimitExceededException(
                403, {"message": "You have exceeded a secondary rate limit"}, {"retry-after": "3"}
            ),
            errors.SecondaryRateLimit,
        ),
        (GithubException(502, {"message": "Server Error"}, {}), errors.ServerError),
        (
            GithubException(422, {"message": "Validation Failed"}, {}),
            errors.RequestRejected,
        ),
    ],
)
def test_pygithub_exceptions_are_mapped(pygithub_exc, expected):
    assert isinstance(errors.error_from_pygithub(pygithub_exc), expected)


# --- backoff and page size -------------------------------------------------------------------


def test_full_jitter_backoff_stays_under_the_exponential_ceiling():
    policy = RetryPolicy(backoff_base_seconds=0.5, backoff_max_seconds=4, rng=random.Random(1))
    for attempt in range(8):
        ceiling = min(4, 0.5 * 2**attempt)
        assert all(0 <= policy.backoff(attempt) <= ceiling for _ in range(50))


def test_retry_after_above_the_cap_is_not_waited_for():
    policy = RetryPolicy(max_retry_after_seconds=10)
    slow = errors.SecondaryRateLimit("x", retry_after_seconds=30, status=403)
    fast = errors.SecondaryRateLimit("x", retry_after_seconds=3, status=403)
    assert policy.delay_for(slow, 0) is None
    assert policy.delay_for(fast, 0) == 3


def test_primary_limit_and_permanent_errors_are_never_retried():
    policy = RetryPolicy()
    reset = dt.datetime.now(dt.UTC)
    assert policy.delay_for(errors.RateLimited("x", reset_at=reset, status=403), 0) is None
    assert policy.delay_for(errors.NotFound(), 0) is None
    assert policy.delay_for(errors.ServerError("x", status=502), policy.max_retries) is None


def test_page_size_halves_after_repeated_failures_and_grows_back():
    page = AdaptivePageSize(50, shrink_after=2, grow_after=3)
    sizes = []
    for _ in range(12):
        page.failed()
        sizes.append(page.current)
    assert sizes[:4] == [50, 25, 25, 12]
    assert sizes[-1] == 1
    for _ in range(3):
        page.succeeded()
    assert page.current == 2
    for _ in range(30):
        page.succeeded()
    assert page.current == 50
