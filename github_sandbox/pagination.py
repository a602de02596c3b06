"""Cursor connections (GraphQL) and page/Link pagination (REST), both by list slicing."""

from __future__ import annotations

import base64
import bisect
import functools
import json
from dataclasses import dataclass
from urllib.parse import urlencode


class GitHubGraphQLError(Exception):
    """An error GitHub reports with a top-level `type` (NOT_FOUND, EXCESSIVE_PAGINATION...)."""

    def __init__(self, type_: str, message: str):
        super().__init__(message)
        self.type = type_
        self.message = message


# Reference: https://docs.github.com/graphql/guides/using-pagination-in-the-graphql-api
def encode_cursor(key) -> str:
    return base64.b64encode(f"cursor:v2:{json.dumps(key)}".encode()).decode()


def decode_cursor(cursor: str):
    try:
        raw = base64.b64decode(cursor.encode(), validate=True).decode()
        if not raw.startswith("cursor:v2:"):
            raise ValueError(raw)
        key = json.loads(raw[len("cursor:v2:") :])
    except ValueError:
        raise GitHubGraphQLError(
            "INVALID_CURSOR_ARGUMENTS", f"`{cursor}` does not appear to be a valid cursor."
        ) from None
    return tuple(key) if isinstance(key, list) else key


def check_boundaries(name: str, first: int | None, last: int | None) -> None:
    # Reference: https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api#node-limit
    if first is None and last is None:
        raise GitHubGraphQLError(
            "MISSING_PAGINATION_BOUNDARIES",
            f"You must provide a `first` or `last` value to properly paginate the `{name}` "
            "connection.",
        )
    for arg, value in (("first", first), ("last", last)):
        if value is None:
            continue
        if value > 100:
            raise GitHubGraphQLError(
                "EXCESSIVE_PAGINATION",
                f"Requesting {value} records on the `{name}` connection exceeds the `{arg}` "
                "limit of 100 records.",
            )
        if value < 0:
            raise GitHubGraphQLError(
                "INVALID_PAGINATION",
                f"`{arg}` on the `{name}` connection cannot be less than zero.",
            )


@dataclass
class Edge:
    cursor: str
    node: object
    role: str | None = None  # OrganizationMemberEdge.role


@dataclass
class PageInfo:
    startCursor: str | None
    endCursor: str | None
    hasNextPage: bool
    hasPreviousPage: bool


class Connection:
    """A Relay connection's page: `nodes` at once, `edges` (each with its cursor) only when
    a query asks for them."""

    def __init__(self, keys, items, start: int, end: int, info: PageInfo, total: int, role):
        self._keys, self._items, self._start, self._end = keys, items, start, end
        self._role = role
        self.pageInfo = info
        self.totalCount = total
        self.nodes = list(items[start:end])

    @functools.cached_property
    def edges(self) -> list[Edge]:
        keys, items, role = self._keys, self._items, self._role
        return [
            Edge(encode_cursor(keys[i]), items[i], role(items[i]) if role else None)
            for i in range(self._start, self._end)
        ]


def connect(name: str, items, args: dict, keys=None, role=None) -> Connection:
    """Relay slicing of `items` (sorted by `keys`, ascending; default: list positions)."""
    first, last = args.get("first"), args.get("last")
    check_boundaries(name, first, last)
    keys = range(len(items)) if keys is None else keys
    start, end = 0, len(items)
    if args.get("after") is not None:
        start = bisect.bisect_right(keys, decode_cursor(args["after"]))
    if args.get("before") is not None:
        end = max(start, bisect.bisect_left(keys, decode_cursor(args["before"])))
    has_next, has_prev = end < len(items), start > 0
    if first is not None and end - start > first:
        end, has_next = start + first, True
    if last is not None and end - start > last:
        start, has_prev = end - last, True
    empty = start >= end
    info = PageInfo(
        None if empty else encode_cursor(keys[start]),
        None if empty else encode_cursor(keys[end - 1]),
        has_next,
        has_prev,
    )
    return Connection(keys, items, start, end, info, len(items), role)


# Reference: https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api
def rest_page(items: list, query: dict, url: str, *, default: int = 30, cap: int | None = None):
    """Returns (page items, Link header or None); `cap` models GitHub's hard list limits."""
    try:
        per_page = min(max(int(query.get("per_page", default)), 1), 100)
    except ValueError:
        per_page = default
    try:
        page = max(int(query.get("page", 1)), 1)
    except ValueError:
        page = 1
    visible = items[:cap] if cap is not None else items
    last_page = max(1, -(-len(visible) // per_page))
    chunk = visible[(page - 1) * per_page : page * per_page]

    def link(n: int) -> str:
        params = {**query, "per_page": per_page, "page": n}
        return f"<{url}?{urlencode(params)}>"

    rels = []
    if page > 1:
        rels.append(f'{link(min(page - 1, last_page))}; rel="prev"')
    if page < last_page:
        rels += [f'{link(page + 1)}; rel="next"', f'{link(last_page)}; rel="last"']
    if page > 1:
        rels.append(f'{link(1)}; rel="first"')
    return chunk, (", ".join(rels) or None)
