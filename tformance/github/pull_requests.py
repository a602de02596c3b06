"""Pull requests over GraphQL: pages of a repository's PRs and nested connections to the end.

Used by :class:`tformance.github.client.GitHubClient`; ``query`` runs a stored query with
retries, ``execute`` runs it once (the page loop retries with a shrinking page size).
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
from tformance.github.types import Connection, PullRequestPage, PullRequestRecord

Query = Callable[[str, dict[str, Any]], dict[str, Any]]

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


def list_nested(
    query: Query, kind: str, owner: str, name: str, number: int, after: str | None
) -> list[Any]:
    """Every item of one nested connection (files/commits/reviews) after ``after``."""
    # Reference: https://docs.github.com/en/graphql/guides/using-pagination-in-the-graphql-api
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
        data = query(f"pull_request_{kind}", variables)
        pull = (data.get("repository") or {}).get("pullRequest")
        if pull is None:
            raise NotFound(f"Pull request {owner}/{name}#{number} not found")
        page = parsing.connection(pull[kind], NESTED_KINDS[kind])
        items.extend(page.items)
        if not page.has_next_page or not page.end_cursor:
            return items
        cursor = page.end_cursor


def complete(query: Query, owner: str, name: str, pr: PullRequestRecord) -> PullRequestRecord:
    """The same pull request with files, commits and reviews fetched to the end."""
    # Reference: https://docs.github.com/en/graphql/guides/using-pagination-in-the-graphql-api
    changes: dict[str, Connection[Any]] = {}
    for kind in NESTED_KINDS:
        current: Connection[Any] = getattr(pr, kind)
        if not current.has_next_page:
            continue
        rest = list_nested(query, kind, owner, name, pr.number, current.end_cursor)
        changes[kind] = Connection(
            items=current.items + tuple(rest),
            total_count=current.total_count,
            end_cursor=None,
            has_next_page=False,
        )
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
    return complete(query, owner, name, parsing.pull_request(node))
