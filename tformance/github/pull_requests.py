"""Pull requests over GraphQL: pages of a repository's PRs, each PR with the first page of
its nested lists (`tformance.github.follow_ups` pages them to the end).

Used by :class:`tformance.github.client.GitHubClient`; ``query`` runs a stored query (or a
``document`` built at run time) with retries, ``execute`` runs it once (the page loop
retries with a shrinking page size).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

from tformance.github import parsing
from tformance.github.errors import NotFound
from tformance.github.retry import (
    AdaptivePageSize,
    RetryPolicy,
    UsageCounter,
    call_with_shrinking_page,
)
from tformance.github.types import PullRequestPage

Query = Callable[..., dict[str, Any]]

# Reference: https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#node-limit
# "Values of first and last must be within 1-100."
MAX_PAGE_SIZE = 100
NESTED_KINDS: dict[str, Callable[[Any], Any]] = {
    "files": parsing.file_record,
    "commits": parsing.commit_record,
    "reviews": parsing.review_record,
}


def check_page_size(size: int) -> int:
    """``size`` if GitHub accepts it as ``first:``, else ValueError."""
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValueError(f"page size must be within 1-{MAX_PAGE_SIZE}, got {size}")
    return size


@dataclasses.dataclass(frozen=True)
class PageFetcher:
    """How a client fetches pages of pull requests: one request each (`execute`), at a page
    size that shrinks on GitHub's timeouts (`page`), the first `nested_page_size` of each
    PR's lists, with the client's retries and counters."""

    execute: Query
    page: AdaptivePageSize
    nested_page_size: int
    policy: RetryPolicy
    usage: UsageCounter

    def fetch(
        self,
        owner: str,
        name: str,
        *,
        after: str | None,
        riders: dict[str, str] | None = None,
        document: str | None = None,
    ) -> tuple[PullRequestPage, dict[str, Any]]:
        """One page of ``repository.pullRequests`` ordered by UPDATED_AT DESC after
        `after`, and the query's data (with what rode along in `document`, whose cursors
        are `riders`)."""
        # Reference: https://docs.github.com/en/graphql/reference/objects#repository

        def fetch(size: int) -> tuple[dict[str, Any], int]:
            variables = {
                "owner": owner,
                "name": name,
                "pageSize": size,
                "after": after,
                "nestedPageSize": self.nested_page_size,
                **(riders or {}),
            }
            return self.execute("pull_requests", variables, document=document), size

        data, used = call_with_shrinking_page(
            fetch,
            page=self.page,
            policy=self.policy,
            usage=self.usage,
            what="GraphQL pull_requests",
        )
        repository = data.get("repository")
        if repository is None:
            raise NotFound(f"Repository {owner}/{name} not found")
        connection = repository["pullRequests"]
        page_info = connection.get("pageInfo") or {}
        result = PullRequestPage(
            pull_requests=tuple(parsing.pull_request(n) for n in connection["nodes"] if n),
            end_cursor=page_info.get("endCursor"),
            has_next_page=bool(page_info.get("hasNextPage")),
            total_count=int(connection.get("totalCount") or 0),
            rate_limit=parsing.rate_limit(data.get("rateLimit")),
            page_size=used,
        )
        return result, data


def iter_pages(
    fetcher: PageFetcher, owner: str, name: str, *, after: str | None
) -> Iterator[PullRequestPage]:
    """Pages of ``repository.pullRequests`` ordered by UPDATED_AT DESC."""
    cursor = after
    while True:
        result, _ = fetcher.fetch(owner, name, after=cursor)
        yield result
        if not result.has_next_page or not result.end_cursor:
            return
        cursor = result.end_cursor
