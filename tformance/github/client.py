"""The blocking GitHub client: REST via PyGithub, pull requests via GraphQL over requests.

    client = GitHubClient(token=token)
    viewer = client.get_viewer()
    for page in client.iter_pull_request_pages("acme", "monolith"):
        ...
    client.usage  # requests, GraphQL points, retries, last-seen limits

Where GitHub is comes from settings ``GITHUB_URL`` / ``GITHUB_API_URL`` unless given.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from django.conf import settings

from tformance.core.secrets import token_fingerprint
from tformance.github import follow_ups, pull_requests
from tformance.github.budget import (
    CORE,
    GRAPHQL,
    SharedPause,
    budget_key,
    check_budget,
    record_limit,
    record_pause,
)
from tformance.github.errors import GitHubError, SecondaryRateLimit
from tformance.github.graphql import GraphQLTransport, graphql_url_for
from tformance.github.pull_requests import check_page_size
from tformance.github.rest import RestApi, build_pygithub
from tformance.github.retry import (
    AdaptivePageSize,
    RetryPolicy,
    UsageCounter,
    call_with_retries,
)
from tformance.github.types import (
    Organization,
    OrgMember,
    PullRequestPage,
    PullRequestRecord,
    Repository,
    Usage,
    Viewer,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")
# A page's first 100 of each PR's files, commits and reviews cost no more points than 50:
# GitHub's cost counts the connections of a query, not their size, and 25 PRs x 3 lists of
# 100 are 7,500 nodes, far below the 500,000 limit. At 100, only the PRs with more than
# 100 of a list (about 1 in 60 in a real history) need follow-up queries.
# Reference: https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#calculating-points-for-the-primary-rate-limit
NESTED_PAGE_SIZE = 100
# While the client waits (backoff, Retry-After), its keep-alive runs at least this often.
KEEP_ALIVE_SLICE_SECONDS = 1.0


class GitHubClient:
    """One token's view of GitHub; not thread-safe (one client per worker thread)."""

    def __init__(
        self,
        *,
        token: str,
        api_url: str | None = None,
        web_url: str | None = None,
        timeout_seconds: float | None = None,
        max_retries: int = 4,
        backoff_base_seconds: float = 1.0,
        backoff_max_seconds: float = 30.0,
        max_retry_after_seconds: float = 120.0,
        page_size: int = 25,
        nested_page_size: int = NESTED_PAGE_SIZE,
        shrink_after_failures: int = 2,
        grow_after_successes: int = 3,
        rest_seconds_between_requests: float | None = 0.0,
        rest_seconds_between_writes: float | None = 1.0,
        user_agent: str = "Tformance",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not token:
            raise ValueError("a GitHub token is required")
        self.api_url = (api_url or settings.GITHUB_API_URL).rstrip("/")
        self.web_url = (web_url or settings.GITHUB_URL).rstrip("/")
        self.graphql_url = graphql_url_for(self.api_url)
        self.timeout_seconds = float(timeout_seconds or settings.GITHUB_TIMEOUT_SECONDS)
        self.page_size = check_page_size(page_size)
        self.nested_page_size = check_page_size(nested_page_size)
        self.shrink_after_failures = shrink_after_failures
        self.grow_after_successes = grow_after_successes
        self._fingerprint = token_fingerprint(token)
        self._budget_key = budget_key(token=token, api_url=self.api_url)
        self._waited_until: dt.datetime | None = None  # the last secondary limit sat out
        self._usage = UsageCounter()
        self._sleep = sleep
        self._keep_alive: Callable[[], None] | None = None
        self._policy = RetryPolicy(
            max_retries=max_retries,
            backoff_base_seconds=backoff_base_seconds,
            backoff_max_seconds=backoff_max_seconds,
            max_retry_after_seconds=max_retry_after_seconds,
            sleep=self._wait,
            on_failure=self._note_failure,
        )
        self._graphql = GraphQLTransport(
            url=self.graphql_url,
            token=token,
            timeout=self.timeout_seconds,
            usage=self._usage,
            user_agent=user_agent,
            on_request=self._before_graphql_request,
            on_response=self._after_graphql_response,
        )
        gh = build_pygithub(
            token=token,
            api_url=self.api_url,
            timeout=self.timeout_seconds,
            user_agent=user_agent,
            on_request=self._count_rest_request,
            seconds_between_requests=rest_seconds_between_requests,
            seconds_between_writes=rest_seconds_between_writes,
        )
        self._rest = RestApi(
            gh, policy=self._policy, usage=self._usage, on_response=self._after_rest_response
        )
        logger.debug("GitHub client for %s with token %s", self.api_url, self._fingerprint)

    def __repr__(self) -> str:
        return f"<GitHubClient {self.api_url} token={self._fingerprint}>"

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the HTTP connections."""
        self._graphql.close()
        self._rest.gh.close()

    def keep_alive(self, callback: Callable[[], None] | None) -> None:
        """Call `callback` before every request and every few seconds of every wait.

        A sync uses it to keep its heartbeat fresh while GitHub makes it wait (backoff,
        a secondary limit's Retry-After of up to two minutes), so it never looks dead.
        """
        self._keep_alive = callback

    def _before_request(self) -> None:
        if self._keep_alive is not None:
            self._keep_alive()

    def _wait(self, seconds: float) -> None:
        if self._keep_alive is None:
            self._sleep(seconds)
            return
        left = seconds
        while left > 0:
            self._keep_alive()
            step = min(left, KEEP_ALIVE_SLICE_SECONDS)
            self._sleep(step)
            left -= step
        self._keep_alive()

    # Every client of the token shares its rate limit (tformance.github.budget): a request
    # is sent only while the shared budget allows, and every answer's limits are shared.

    def _count_rest_request(self) -> None:
        check_budget(key=self._budget_key, resource=CORE, waited_until=self._waited_until)
        self._usage.rest_requests += 1
        self._before_request()

    def _before_graphql_request(self) -> None:
        check_budget(key=self._budget_key, resource=GRAPHQL, waited_until=self._waited_until)
        self._before_request()

    def _after_graphql_response(self) -> None:
        u = self._usage
        record_limit(
            key=self._budget_key,
            resource=GRAPHQL,
            remaining=u.graphql_remaining,
            reset_at=u.graphql_reset_at,
        )

    def _after_rest_response(self) -> None:
        u = self._usage
        record_limit(
            key=self._budget_key,
            resource=CORE,
            remaining=u.rest_remaining,
            reset_at=u.rest_reset_at,
        )

    def _note_failure(self, exc: GitHubError) -> None:
        """A secondary limit: every client of the token waits; this one in its retry loop."""
        if isinstance(exc, SharedPause):
            self._waited_until = exc.until
        elif isinstance(exc, SecondaryRateLimit):
            until = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=exc.retry_after_seconds)
            record_pause(key=self._budget_key, until=until)
            self._waited_until = until

    @property
    def usage(self) -> Usage:
        """Requests, GraphQL points and retries so far, and the last-seen rate limits."""
        return self._usage.snapshot()

    # --- REST -------------------------------------------------------------------------------

    def get_viewer(self) -> Viewer:
        """The user the token belongs to, with its OAuth scopes."""
        # Reference: https://docs.github.com/en/rest/users/users#get-the-authenticated-user
        return self._rest.get_viewer()

    def list_organizations(self) -> list[Organization]:
        """The organizations of the token's user."""
        # Reference: https://docs.github.com/en/rest/orgs/orgs#list-organizations-for-the-authenticated-user
        return self._rest.list_organizations()

    def get_organization(self, login: str) -> Organization:
        """One organization by login."""
        # Reference: https://docs.github.com/en/rest/orgs/orgs#get-an-organization
        return self._rest.get_organization(login)

    def list_org_members(self, org: str) -> list[OrgMember]:
        """Every member of an organization that the token can see."""
        # Reference: https://docs.github.com/en/rest/orgs/members#list-organization-members
        return self._rest.list_org_members(org)

    def list_org_repositories(self, org: str) -> list[Repository]:
        """An organization's repositories without archived ones, most recently pushed first."""
        # Reference: https://docs.github.com/en/rest/repos/repos#list-organization-repositories
        return self._rest.list_org_repositories(org)

    def get_repository(self, full_name: str) -> Repository:
        """One repository by ``owner/name``."""
        # Reference: https://docs.github.com/en/rest/repos/repos#get-a-repository
        return self._rest.get_repository(full_name)

    # --- GraphQL ----------------------------------------------------------------------------

    def _query(
        self, query_name: str, variables: dict[str, Any], *, document: str | None = None
    ) -> dict[str, Any]:
        return call_with_retries(
            lambda: self._graphql.execute(query_name, variables, document=document),
            policy=self._policy,
            usage=self._usage,
            what=f"GraphQL {query_name}",
        )

    def iter_pull_request_pages(
        self, owner: str, name: str, *, after: str | None = None, page_size: int | None = None
    ) -> Iterator[PullRequestPage]:
        """Pages of a repository's pull requests, most recently updated first."""
        # Reference: https://docs.github.com/en/graphql/reference/objects#repository
        return pull_requests.iter_pages(self._page_fetcher(page_size), owner, name, after=after)

    def _page_fetcher(self, page_size: int | None = None) -> pull_requests.PageFetcher:
        size = AdaptivePageSize(
            check_page_size(page_size or self.page_size),
            shrink_after=self.shrink_after_failures,
            grow_after=self.grow_after_successes,
        )
        return pull_requests.PageFetcher(
            execute=self._graphql.execute,
            page=size,
            nested_page_size=self.nested_page_size,
            policy=self._policy,
            usage=self._usage,
        )

    def iter_whole_pull_request_pages(
        self,
        owner: str,
        name: str,
        *,
        after: str | None = None,
        wanted: Callable[[PullRequestRecord], bool] = lambda record: True,
        goes_on: Callable[[PullRequestPage], bool] = lambda page: True,
    ) -> Iterator[tuple[PullRequestPage, list[PullRequestRecord]]]:
        """Pages of a repository's pull requests, most recently updated first, each with
        its `wanted` PRs whole (as `complete_pull_requests` gives them); the long lists'
        next pages ride along in the queries of pages ahead, fetched only past a page that
        `goes_on` (`follow_ups.iter_whole_pages`)."""
        # Reference: https://docs.github.com/en/graphql/guides/using-pagination-in-the-graphql-api
        pages = follow_ups.iter_whole_pages(
            self._page_fetcher(),
            self._query,
            owner,
            name,
            after=after,
            wanted=wanted,
            goes_on=goes_on,
        )
        for page, whole in pages:
            yield page, [self._previous_paths_add(owner, name, record) for record in whole]

    def complete_pull_requests(
        self, owner: str, name: str, records: Sequence[PullRequestRecord]
    ) -> list[PullRequestRecord]:
        """The same pull requests (e.g. of a page) whole: files, commits and reviews to the
        end, several PRs' next pages in each query, and each renamed file's previous path."""
        # Reference: https://docs.github.com/en/graphql/guides/using-pagination-in-the-graphql-api
        whole = follow_ups.complete_all(self._query, owner, name, records)
        return [self._previous_paths_add(owner, name, record) for record in whole]

    def complete_pull_request(
        self, owner: str, name: str, pull_request: PullRequestRecord
    ) -> PullRequestRecord:
        """One pull request whole, as `complete_pull_requests` gives it."""
        (record,) = self.complete_pull_requests(owner, name, [pull_request])
        return record

    def get_pull_request(self, owner: str, name: str, number: int) -> PullRequestRecord:
        """One pull request whole, as `complete_pull_request` gives it."""
        # Reference: https://docs.github.com/en/graphql/reference/objects#pullrequest
        record = follow_ups.get_one(
            self._query, owner, name, number, nested_page_size=self.nested_page_size
        )
        return self._previous_paths_add(owner, name, record)

    def _previous_paths_add(
        self, owner: str, name: str, record: PullRequestRecord
    ) -> PullRequestRecord:
        """GraphQL has no previous path: REST's ``previous_filename``, asked only for renames."""
        # PullRequestChangedFile has path, additions, deletions, changeType and
        # viewerViewedState only, so one REST call per PR with a rename it is.
        # Reference: https://docs.github.com/en/graphql/reference/objects#pullrequestchangedfile
        # Reference: https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files
        if not any(f.change_type == "RENAMED" for f in record.files.items):
            return record
        renames = self._rest.list_pull_request_renames(owner, name, record.number)
        files = tuple(
            dataclasses.replace(f, previous_path=renames.get(f.path, ""))
            for f in record.files.items
        )
        return dataclasses.replace(record, files=dataclasses.replace(record.files, items=files))
