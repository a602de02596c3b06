"""Pull requests whole: their long nested lists paged to the end in as few queries as GitHub allows.

A page query asks for the first 100 of each PR's files, commits and reviews; a PR with more
needs follow-ups, one connection per list and page, several PRs' in one query through
aliases. While a sync walks a repository, the follow-ups ride along in the queries of the
pages after it (fetched a few ahead) for no extra point, and go in queries of their own
only when there is no page left to fetch. Pages still come out in order, each with its PRs
whole, so a sync's checkpoint after a page still means every PR up to it is written.
"""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from tformance.github import parsing
from tformance.github.errors import NotFound
from tformance.github.graphql import query_text
from tformance.github.pull_requests import MAX_PAGE_SIZE, NESTED_KINDS, PageFetcher, Query
from tformance.github.types import Connection, PullRequestPage, PullRequestRecord

# A follow-up query asks for the next page of up to this many connections: each is one
# "request" of GitHub's cost formula and its first: 100 nodes count towards the node limit,
# so 40 of them cost 1 point (40 / 100 rounds to 0, and the minimum is 1) and 4,000 nodes,
# about half a page of 25 PRs with 100 of each nested list (7,500), which GitHub answers
# within its 10-second timeout.
# Reference: https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#calculating-points-for-the-primary-rate-limit
# Reference: https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#node-limit
# Reference: https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#timeouts
FOLLOW_UP_CONNECTIONS = 40
# GitHub divides the requests a query's connections need by 100 and rounds to the nearest
# whole number: up to 149 cost 1 point. A page of 25 PRs needs 101 (the page, and each PR's
# timelineItems, files, commits and reviews); follow-ups ride along up to this total, kept
# a margin below 149 so that a page never costs 2.
ONE_POINT_CONNECTIONS = 140
PAGE_CONNECTIONS_PER_PR = 1 + len(NESTED_KINDS)  # timelineItems and the nested lists
# Pages fetched ahead of the one a sync waits for, while its long lists ride along. The
# longest list of a real history (1,146 files) needs 11 follow-up pages.
MAX_PAGES_AHEAD = 12
PAGE_FRAGMENTS = {"files": "FilesPage", "commits": "CommitsPage", "reviews": "ReviewsPage"}

Key = tuple[int, str]  # (PR number, kind of list)


def riders_for(page_size: int) -> int:
    """How many follow-up connections ride along in a page query of `page_size` PRs for
    no extra point."""
    room = ONE_POINT_CONNECTIONS - 1 - PAGE_CONNECTIONS_PER_PR * page_size
    return max(0, min(FOLLOW_UP_CONNECTIONS, room))


def _aliases(connections: Sequence[Key], *, size: str) -> tuple[list[str], str]:
    """(cursor variable definitions, selections) for the next page of each connection: each PR is
    an alias ``pr<number>`` of ``repository.pullRequest``, each connection's cursor the
    variable ``$pr<number>_<kind>``, its page size the variable `size`. Only integers and
    known kinds reach the text: cursors, owner and name travel as variables."""
    # Reference: https://docs.github.com/en/graphql/guides/forming-calls-with-graphql#about-queries
    by_number: dict[int, list[str]] = {}
    for number, kind in connections:
        if kind not in PAGE_FRAGMENTS:
            raise ValueError(f"unknown nested connection {kind!r}")
        by_number.setdefault(int(number), []).append(kind)
    cursors = [f"${_cursor(n, kind)}: String!" for n, kinds in by_number.items() for kind in kinds]
    pulls = "\n".join(
        f"    pr{n}: pullRequest(number: {n}) {{\n"
        + "".join(
            f"      {kind}(first: ${size}, after: ${_cursor(n, kind)}) "
            f"{{ ...{PAGE_FRAGMENTS[kind]} }}\n"
            for kind in kinds
        )
        + "    }"
        for n, kinds in by_number.items()
    )
    return cursors, pulls


def follow_up_query(connections: Sequence[Key]) -> str:
    """One query for the next page of each (PR number, kind) connection."""
    cursors, pulls = _aliases(connections, size="pageSize")
    variables = ", ".join(["$owner: String!", "$name: String!", "$pageSize: Int!", *cursors])
    return (
        f"query PullRequestFollowUps({variables}) {{\n"
        "  rateLimit {\n    ...RateLimitFields\n  }\n"
        f"  repository(owner: $owner, name: $name) {{\n{pulls}\n  }}\n}}\n"
    )


# Where the stored page query takes the follow-ups that ride along.
_RIDERS_VARIABLES = "  # the cursors of follow-ups riding along\n"
_RIDERS_SELECTIONS = "    # follow-ups riding along\n"


def page_query(connections: Sequence[Key]) -> str | None:
    """The stored page query with the next page of each connection riding along (None: the
    stored query as it is); the transport appends its fragments."""
    if not connections:
        return None
    cursors, pulls = _aliases(connections, size="nestedPageSize")
    text = query_text("pull_requests")
    if _RIDERS_VARIABLES not in text or _RIDERS_SELECTIONS not in text:
        raise AssertionError("queries/pull_requests.graphql lost its follow-up markers")
    variables = "".join(f"  {cursor}\n" for cursor in cursors)
    return text.replace(_RIDERS_VARIABLES, variables).replace(_RIDERS_SELECTIONS, pulls + "\n")


def _cursor(number: int, kind: str) -> str:
    return f"pr{int(number)}_{kind}"


class _Lists:
    """The nested lists of PRs being completed: what each holds so far, and the cursor of
    each that has more."""

    def __init__(self) -> None:
        self.items: dict[Key, list[Any]] = {}
        self.totals: dict[Key, int] = {}
        self.cursors: dict[Key, str] = {}

    def add(self, prs: Sequence[PullRequestRecord]) -> list[PullRequestRecord]:
        """Track the lists of `prs` that have more pages; the PRs it can complete (not one
        whose number is being completed already: a list that shifted can show a PR twice)."""
        added = []
        for pr in prs:
            if any((pr.number, kind) in self.items for kind in NESTED_KINDS):
                continue
            added.append(pr)
            for kind in NESTED_KINDS:
                current: Connection[Any] = getattr(pr, kind)
                if current.has_next_page and current.end_cursor:
                    key = (pr.number, kind)
                    self.items[key], self.totals[key] = list(current.items), current.total_count
                    self.cursors[key] = current.end_cursor
        return added

    def waiting(self, prs: Sequence[PullRequestRecord]) -> bool:
        return any((pr.number, kind) in self.cursors for pr in prs for kind in NESTED_KINDS)

    def batch(self, *, most: int, first: Sequence[PullRequestRecord] = ()) -> list[Key]:
        """Up to `most` connections with more pages: those of `first` before the others,
        and those with the most pages left first."""
        numbers = {pr.number for pr in first}

        def order(key: Key) -> tuple[bool, int]:
            left = -(-(self.totals[key] - len(self.items[key])) // MAX_PAGE_SIZE)
            return (key[0] not in numbers, -left)

        return sorted(self.cursors, key=order)[:most]

    def take(self, batch: Sequence[Key], data: dict[str, Any], owner: str, name: str) -> None:
        """Add the pages that answered `batch` (the query's `data`)."""
        repository = data.get("repository") or {}
        for key in batch:
            number, kind = key
            pull = repository.get(f"pr{number}")
            if pull is None:
                raise NotFound(f"Pull request {owner}/{name}#{number} not found")
            page = parsing.connection(pull[kind], NESTED_KINDS[kind])
            self.items[key].extend(page.items)
            if page.has_next_page and page.end_cursor:
                self.cursors[key] = page.end_cursor
            else:
                del self.cursors[key]

    def whole(self, pr: PullRequestRecord) -> PullRequestRecord:
        """`pr` with its lists as completed (and forgotten here)."""
        changes = {
            kind: Connection(
                items=tuple(self.items.pop((pr.number, kind))),
                # The first page's count: the writer compares it with what it stored, so a
                # list that changed between two pages is read again whole.
                total_count=getattr(pr, kind).total_count,
                end_cursor=None,
                has_next_page=False,
            )
            for kind in NESTED_KINDS
            if (pr.number, kind) in self.items
        }
        for kind in changes:
            self.totals.pop((pr.number, kind), None)
        return dataclasses.replace(pr, **changes) if changes else pr

    def follow_up(self, query: Query, owner: str, name: str, batch: Sequence[Key]) -> None:
        """One follow-up query for the next page of `batch`."""
        variables: dict[str, Any] = {"owner": owner, "name": name, "pageSize": MAX_PAGE_SIZE}
        variables.update({_cursor(*key): self.cursors[key] for key in batch})
        data = query("pull_request_follow_ups", variables, document=follow_up_query(batch))
        self.take(batch, data, owner, name)


def complete_all(
    query: Query, owner: str, name: str, prs: Sequence[PullRequestRecord]
) -> list[PullRequestRecord]:
    """The same pull requests with files, commits and reviews fetched to the end.

    Every round asks, in one query, for the next page of up to FOLLOW_UP_CONNECTIONS
    connections that have more, those with the most pages left first, until none has.
    """
    # Reference: https://docs.github.com/en/graphql/guides/using-pagination-in-the-graphql-api
    lists = _Lists()
    lists.add(prs)
    while lists.cursors:
        lists.follow_up(query, owner, name, lists.batch(most=FOLLOW_UP_CONNECTIONS))
    return [lists.whole(pr) for pr in prs]


def iter_whole_pages(
    fetcher: PageFetcher,
    query: Query,
    owner: str,
    name: str,
    *,
    after: str | None,
    wanted: Callable[[PullRequestRecord], bool],
    goes_on: Callable[[PullRequestPage], bool],
    max_ahead: int = MAX_PAGES_AHEAD,
) -> Iterator[tuple[PullRequestPage, list[PullRequestRecord]]]:
    """Pages of ``repository.pullRequests`` by UPDATED_AT DESC, each with those of its PRs
    that are `wanted` whole, in order.

    While the oldest page fetched waits for follow-ups, the next page is fetched with up to
    `riders_for(page size)` of them riding along (1 point still), up to `max_ahead` pages
    ahead and only past a page that `goes_on` (the sync would fetch the one after it);
    otherwise the follow-ups go in queries of their own. A PR that a shifted list shows
    twice is left out of the second page's whole ones (the caller reads it itself).
    """
    lists = _Lists()
    ahead: collections.deque[tuple[PullRequestPage, list[PullRequestRecord]]]
    ahead = collections.deque()
    cursor, more = after, True
    while True:
        while ahead and not lists.waiting(ahead[0][1]):
            done, prs = ahead.popleft()
            yield done, [lists.whole(pr) for pr in prs]
        if not ahead and not more:
            return
        if more and (not ahead or (len(ahead) < max_ahead and goes_on(ahead[-1][0]))):
            size = fetcher.page.current
            riders = lists.batch(most=riders_for(size), first=ahead[0][1]) if ahead else []
            fetched, data = fetcher.fetch(
                owner,
                name,
                after=cursor,
                riders={_cursor(*key): lists.cursors[key] for key in riders},
                document=page_query(riders),
            )
            lists.take(riders, data, owner, name)
            ahead.append((fetched, lists.add([r for r in fetched.pull_requests if wanted(r)])))
            more = fetched.has_next_page and bool(fetched.end_cursor)
            cursor = fetched.end_cursor
        else:
            lists.follow_up(
                query, owner, name, lists.batch(most=FOLLOW_UP_CONNECTIONS, first=ahead[0][1])
            )


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
