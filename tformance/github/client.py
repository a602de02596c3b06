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
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.conf import settings

from tformance.github import parsing
from tformance.github.errors import NotFound
from tformance.github.graphql import GraphQLTransport, graphql_url_for
from tformance.github.rest import RestApi, build_pygithub
from tformance.github.retry import (
    AdaptivePageSize,
    RetryPolicy,
    UsageCounter,
    call_with_retries,
    call_with_shrinking_page,
)
from tformance.github.security import token_fingerprint
from tformance.github.types import (
    CommitRecord,
    Connection,
    FileRecord,
    Organization,
    OrgMember,
    PullRequestPage,
    PullRequestRecord,
    Repository,
    ReviewRecord,
    Usage,
    Viewer,
)

logger = logging.getLogger("tformance.github")
T = TypeVar("T")

MAX_PAGE_SIZE = 100  # GitHub: "Values of first and last must be within 1-100."
NESTED_KINDS: dict[str, Callable[[Any], Any]] = {
    "files": parsing.file_record,
    "commits": parsing.commit_record,
    "reviews": parsing.review_record,
}


def _check_page_size(size: int) -> int:
    # Reference: https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#node-limit
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValueError(f"page size must be within 1-{MAX_PAGE_SIZE}, got {size}")
    return size


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
        nested_page_size: int = 50,
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
        self.page_size = _check_page_size(page_size)
        self.nested_page_size = _check_page_size(nested_page_size)
        self.shrink_after_failures = shrink_after_failures
        self.grow_after_successes = grow_after_successes
        self._fingerprint = token_fingerprint(token)
        self._usage = UsageCounter()
        self._policy = RetryPolicy(
            max_retries=max_retries,
            backoff_base_seconds=backoff_base_seconds,
            backoff_max_seconds=backoff_max_seconds,
            max_retry_after_seconds=max_retry_after_seconds,
            sleep=sleep,
        )
        self._graphql = GraphQLTransport(
            url=self.graphql_url,
            token=token,
            timeout=self.timeout_seconds,
            usage=self._usage,
            user_agent=user_agent,
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
        self._rest = RestApi(gh, policy=self._policy, usage=self._usage)
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

    def _count_rest_request(self) -> None:
        self._usage.rest_requests += 1

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

    def list_pull_request_renames(self, owner: str, name: str, number: int) -> dict[str, str]:
        """``{path: previous_path}`` of renamed files (``previous_filename`` is REST-only)."""
        # Reference: https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files
        return self._rest.list_pull_request_renames(owner, name, number)

    # --- GraphQL ----------------------------------------------------------------------------

    def _query(self, query_name: str, variables: dict[str, Any]) -> dict[str, Any]:
        return call_with_retries(
            lambda: self._graphql.execute(query_name, variables),
            policy=self._policy,
            usage=self._usage,
            what=f"GraphQL {query_name}",
        )

    def iter_pull_request_pages(
        self, owner: str, name: str, *, after: str | None = None, page_size: int | None = None
    ) -> Iterator[PullRequestPage]:
        """Pages of a repository's pull requests, most recently updated first."""
        # Reference: https://docs.github.com/en/graphql/reference/objects#repository
        size = AdaptivePageSize(
            _check_page_size(page_size or self.page_size),
            shrink_after=self.shrink_after_failures,
            grow_after=self.grow_after_successes,
        )
        cursor = after
        while True:

            def fetch(current: int, cursor: str | None = cursor) -> tuple[dict[str, Any], int]:
                variables = {
                    "owner": owner,
                    "name": name,
                    "pageSize": current,
                    "after": cursor,
                    "nestedPageSize": self.nested_page_size,
                }
                return self._graphql.execute("pull_requests", variables), current

            data, used = call_with_shrinking_page(
                fetch,
                page=size,
                policy=self._policy,
                usage=self._usage,
                what="GraphQL pull_requests",
            )
            repository = data.get("repository")
            if repository is None:
                raise NotFound(f"Repository {owner}/{name} not found")
            connection = repository["pullRequests"]
            page_info = connection.get("pageInfo") or {}
            page = PullRequestPage(
                pull_requests=tuple(parsing.pull_request(n) for n in connection["nodes"] if n),
                end_cursor=page_info.get("endCursor"),
                has_next_page=bool(page_info.get("hasNextPage")),
                total_count=int(connection.get("totalCount") or 0),
                rate_limit=parsing.rate_limit(data.get("rateLimit")),
                page_size=used,
            )
            yield page
            if not page.has_next_page or not page.end_cursor:
                return
            cursor = page.end_cursor

    def _list_nested(
        self, kind: str, owner: str, name: str, number: int, after: str | None
    ) -> list[Any]:
        items: list[Any] = []
        cursor = after
        while True:
            variables = {
                "owner": owner,
                "name": name,
                "number": number,
                "pageSize": MAX_PAGE_SIZE,
                "after": cursor,
            }
            data = self._query(f"pull_request_{kind}", variables)
            pull = (data.get("repository") or {}).get("pullRequest")
            if pull is None:
                raise NotFound(f"Pull request {owner}/{name}#{number} not found")
            page = parsing.connection(pull[kind], NESTED_KINDS[kind])
            items.extend(page.items)
            if not page.has_next_page or not page.end_cursor:
                return items
            cursor = page.end_cursor

    def list_pull_request_files(
        self, owner: str, name: str, number: int, *, after: str | None = None
    ) -> list[FileRecord]:
        """Every file of a pull request after ``after``, fetched 100 at a time."""
        # Reference: https://docs.github.com/en/graphql/reference/objects#pullrequestchangedfile
        return self._list_nested("files", owner, name, number, after)

    def list_pull_request_commits(
        self, owner: str, name: str, number: int, *, after: str | None = None
    ) -> list[CommitRecord]:
        """Every commit of a pull request after ``after``, fetched 100 at a time."""
        # Reference: https://docs.github.com/en/graphql/reference/objects#pullrequestcommit
        return self._list_nested("commits", owner, name, number, after)

    def list_pull_request_reviews(
        self, owner: str, name: str, number: int, *, after: str | None = None
    ) -> list[ReviewRecord]:
        """Every review of a pull request after ``after``, fetched 100 at a time."""
        # Reference: https://docs.github.com/en/graphql/reference/objects#pullrequestreview
        return self._list_nested("reviews", owner, name, number, after)

    def complete_pull_request(
        self, owner: str, name: str, pull_request: PullRequestRecord
    ) -> PullRequestRecord:
        """The same pull request with its files, commits and reviews fetched to the end."""
        # Reference: https://docs.github.com/en/graphql/guides/using-pagination-in-the-graphql-api
        changes: dict[str, Connection[Any]] = {}
        for kind in NESTED_KINDS:
            current: Connection[Any] = getattr(pull_request, kind)
            if not current.has_next_page:
                continue
            rest = self._list_nested(kind, owner, name, pull_request.number, current.end_cursor)
            changes[kind] = Connection(
                items=current.items + tuple(rest),
                total_count=current.total_count,
                end_cursor=None,
                has_next_page=False,
            )
        return dataclasses.replace(pull_request, **changes) if changes else pull_request

    def get_pull_request(self, owner: str, name: str, number: int) -> PullRequestRecord:
        """One pull request with every file, commit and review."""
        # Reference: https://docs.github.com/en/graphql/reference/objects#pullrequest
        variables = {
            "owner": owner,
            "name": name,
            "number": number,
            "nestedPageSize": self.nested_page_size,
        }
        data = self._query("pull_request", variables)
        node = (data.get("repository") or {}).get("pullRequest")
        if node is None:
            raise NotFound(f"Pull request {owner}/{name}#{number} not found")
        return self.complete_pull_request(owner, name, parsing.pull_request(node))
