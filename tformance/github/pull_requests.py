"""Pull requests over GraphQL: pages of a repository's PRs and nested connections to the end.

Used by :class:`tformance.github.client.GitHubClient`; ``query`` runs a stored query (or a
``document`` built here) with retries, ``execute`` runs it once (the page loop retries with a
shrinking page size).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from tformance.github import parsing
from tformance.github.errors import NotFound
from tformance.github.retry import (
    AdaptivePageSize,
    RetryPolicy,
    UsageCounter,
    call_with_shrinking_page,
)
from tformance.github.types import Connection, PullRequestPage, PullRequestRecord

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


def iter_pages(
    execute: Query,
    owner: str,
    name: str,
    *,
    after: str | None,
    page: AdaptivePageSize,
    nested_page_size: int,
    policy: RetryPolicy,
    usage: UsageCounter,
) -> Iterator[PullRequestPage]:
    """Pages of ``repository.pullRequests`` ordered by UPDATED_AT DESC."""
    # Reference: https://docs.github.com/en/graphql/reference/objects#repository
    cursor = after
    while True:

        def fetch(size: int, cursor: str | None = cursor) -> tuple[dict[str, Any], int]:
            variables = {
                "owner": owner,
                "name": name,
                "pageSize": size,
                "after": cursor,
                "nestedPageSize": nested_page_size,
            }
            return execute("pull_requests", variables), size

        data, used = call_with_shrinking_page(
            fetch, page=page, policy=policy, usage=usage, what="GraphQL pull_requests"
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
        yield result
        if not result.has_next_page or not result.end_cursor:
            return
        cursor = result.end_cursor


# Follow-ups ask for the next page of several PRs' connections in one query, through
# aliases: each connection is one "request" of GitHub's cost formula and its first: 100
# nodes count towards the node limit, so 40 of them cost 1 point (40 / 100 rounds to 0,
# and the minimum is 1) and 4,000 nodes, about half a page of 25 PRs with 100 of each
# nested list (7,500), which GitHub answers within its 10-second timeout.
# Reference: https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#calculating-points-for-the-primary-rate-limit
# Reference: https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#node-limit
# Reference: https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#timeouts
FOLLOW_UP_CONNECTIONS = 40
PAGE_FRAGMENTS = {"files": "FilesPage", "commits": "CommitsPage", "reviews": "ReviewsPage"}


def follow_up_query(connections: Sequence[tuple[int, str]]) -> str:
    """One query for the next page of each (PR number, kind) connection.

    Each PR is an alias ``pr<number>`` of ``repository.pullRequest``; each connection's
    cursor is the variable ``$pr<number>_<kind>``. Only integers and known kinds reach the
    text: cursors, owner and name travel as variables.
    """
    # Reference: https://docs.github.com/en/graphql/guides/forming-calls-with-graphql#about-queries
    by_number: dict[int, list[str]] = {}
    for number, kind in connections:
        if kind not in PAGE_FRAGMENTS:
            raise ValueError(f"unknown nested connection {kind!r}")
        by_number.setdefault(int(number), []).append(kind)
    cursors = "".join(
        f", ${_cursor(n, kind)}: String!" for n, kinds in by_number.items() for kind in kinds
    )
    pulls = "\n".join(
        f"    pr{n}: pullRequest(number: {n}) {{\n"
        + "".join(
            f"      {kind}(first: $pageSize, after: ${_cursor(n, kind)}) "
            f"{{ ...{PAGE_FRAGMENTS[kind]} }}\n"
            for kind in kinds
        )
        + "    }"
        for n, kinds in by_number.items()
    )
    return (
        f"query PullRequestFollowUps($owner: String!, $name: String!, $pageSize: Int!{cursors}) {{\n"
        "  rateLimit {\n    ...RateLimitFields\n  }\n"
        f"  repository(owner: $owner, name: $name) {{\n{pulls}\n  }}\n}}\n"
    )


def _cursor(number: int, kind: str) -> str:
    return f"pr{int(number)}_{kind}"


def complete_all(
    query: Query, owner: str, name: str, prs: Sequence[PullRequestRecord]
) -> list[PullRequestRecord]:
    """The same pull requests with files, commits and reviews fetched to the end.

    Every round asks, in one query, for the next page of up to FOLLOW_UP_CONNECTIONS
    connections that have more, those with the most pages left first, until none has.
    """
    # Reference: https://docs.github.com/en/graphql/guides/using-pagination-in-the-graphql-api
    items: dict[tuple[int, str], list[Any]] = {}
    totals: dict[tuple[int, str], int] = {}
    cursors: dict[tuple[int, str], str] = {}  # the connections with more pages
    for pr in prs:
        for kind in NESTED_KINDS:
            current: Connection[Any] = getattr(pr, kind)
            if current.has_next_page and current.end_cursor:
                key = (pr.number, kind)
                items[key], totals[key] = list(current.items), current.total_count
                cursors[key] = current.end_cursor

    def pages_left(key: tuple[int, str]) -> int:
        return -(-(totals[key] - len(items[key])) // MAX_PAGE_SIZE)

    while cursors:
        batch = sorted(cursors, key=pages_left, reverse=True)[:FOLLOW_UP_CONNECTIONS]
        variables: dict[str, Any] = {"owner": owner, "name": name, "pageSize": MAX_PAGE_SIZE}
        variables.update({_cursor(*key): cursors[key] for key in batch})
        data = query("pull_request_follow_ups", variables, document=follow_up_query(batch))
        repository = data.get("repository") or {}
        for key in batch:
            number, kind = key
            pull = repository.get(f"pr{number}")
            if pull is None:
                raise NotFound(f"Pull request {owner}/{name}#{number} not found")
            page = parsing.connection(pull[kind], NESTED_KINDS[kind])
            items[key].extend(page.items)
            if page.has_next_page and page.end_cursor:
                cursors[key] = page.end_cursor
            else:
                del cursors[key]
    return [_with_items(pr, items) for pr in prs]


def _with_items(
    pr: PullRequestRecord, items: dict[tuple[int, str], list[Any]]
) -> PullRequestRecord:
    changes = {
        kind: Connection(
            items=tuple(items[pr.number, kind]),
            # The first page's count: the writer compares it with what it stored, so a
            # list that changed between two pages is read again whole.
            total_count=getattr(pr, kind).total_count,
            end_cursor=None,
            has_next_page=False,
        )
        for kind in NESTED_KINDS
        if (pr.number, kind) in items
    }
    return dataclasses.replace(pr, **changes) if changes else pr


def get_one(
    query: Query, owner: str, name: str, number: int, *, nested_page_size: int
) -> PullRequestRecord:
    """One pull request with every file, commit and review."""
    # Reference: https://docs.github.com/en/graphql/reference/objects#pullrequest
    variables = {
        "owner": owner,
        "name": name,
        "number": number,
        "nestedPageSize": nested_page_size,
    }
    data = query("pull_request", variables)
    node = (data.get("repository") or {}).get("pullRequest")
    if node is None:
        raise NotFound(f"Pull request {owner}/{name}#{number} not found")
    (whole,) = complete_all(query, owner, name, [parsing.pull_request(node)])
    return whole
