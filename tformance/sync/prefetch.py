"""Fetch the next pages while the current one is written: one plain thread, HTTP only.

The walk in `sync.repository` asks for the next page with `fetch()` as soon as it knows it
will want it, writes the page it holds, then takes the next one with `take()`. The thread
runs the page iterator (GraphQL pages, their follow-ups, rename look-ups) and never touches
the ORM. It does not wait for the walk to ask again: after a page the walk will go on past
(`wants_next`, the walk's own test) it fetches the one after it, up to `PAGES_AHEAD` pages
not yet taken, so a page that is slow to write (a PR with a thousand files) and one slow to
fetch (its follow-ups) no longer wait for each other. The heartbeat stays on the main thread: while this runs, the client's keep-alive
(called before every request and during every wait) beats only when the main thread calls
it; on the fetch thread it checks whether the walk has stopped, so a stopped walk's thread
ends at its next request or within a second of its wait. The main thread waits for a page
in slices and beats between them.

The client is not thread-safe: the fetch thread is its only user while a fetch is under way;
a main thread that needs the client itself (reading a PR again) waits with `idle()` first.
So a sync still sends GitHub one request at a time, as GitHub asks.
Reference: https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#avoid-concurrent-requests
"""

from __future__ import annotations

import collections
import concurrent.futures
import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Generic, TypeVar

from tformance.github.client import KEEP_ALIVE_SLICE_SECONDS, GitHubClient
from tformance.github.types import PullRequestPage, PullRequestRecord

T = TypeVar("T")
# Pages the fetch thread holds ready, at most, before the walk takes them: enough that the
# fetch thread does not wait while a slow page is written; each is a page of 25 PRs, and
# what a stop throws away (a time slice's end fetches no page past it).
PAGES_AHEAD = 4
# A page, and those of its PRs that the walk will write, fetched whole (by number).
Fetched = tuple[PullRequestPage, dict[int, PullRequestRecord]]


class FetchStopped(Exception):
    """Raised on the fetch thread once the walk it fetches for has stopped."""


class Prefetch(Generic[T]):
    """`next(items)` computed on a thread of its own, ahead of its caller: the next item
    when asked (`fetch`, `take`), and then, while the last one fetched `goes_on`, the ones
    after it, up to `ahead` items not yet taken."""

    def __init__(
        self,
        items: Iterator[T],
        *,
        beat: Callable[[], None],
        goes_on: Callable[[T], bool] = lambda item: False,
        ahead: int = 1,
    ) -> None:
        self._items = items
        self._beat = beat
        self._goes_on = goes_on
        self._ahead = max(1, ahead)
        self._owner = threading.get_ident()
        self._stopped = threading.Event()
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="sync-fetch"
        )
        # The items fetched and not taken yet, in order; only the last may be under way.
        self._futures: collections.deque[concurrent.futures.Future] = collections.deque()
        # Reentrant: a future's callbacks may run at once, on the thread that adds or
        # cancels it.
        self._lock = threading.RLock()
        self._paused = False  # by `idle()`, until the caller asks again

    def __enter__(self) -> Prefetch[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def keep_alive(self) -> None:
        """The client's keep-alive while this runs: the heartbeat on the caller's thread, a
        stop check on the fetch thread (the heartbeat writes to the database)."""
        if threading.get_ident() == self._owner:
            self._beat()
        elif self._stopped.is_set():
            raise FetchStopped("the sync stopped; this fetch is no longer wanted")

    def fetch(self) -> None:
        """Start fetching the next item on the thread, unless that is under way already."""
        with self._lock:
            self._paused = False
            self._submit(asked=True)

    def _submit(self, *, asked: bool = False) -> None:
        """Fetch one more item if it is wanted: asked for with nothing fetched and not
        taken, or after the last one fetched while that one goes on and there is room.
        Called with the lock held, by the caller or on the thread as an item is done."""
        if self._stopped.is_set() or self._paused:
            return
        if self._futures:
            last = self._futures[-1]
            if not last.done() or len(self._futures) >= self._ahead:
                return
            if last.cancelled() or last.exception() is not None:
                return  # raised where it is taken; nothing is fetched past it
            item = last.result()
            if item is None or not self._goes_on(item):
                return
        elif not asked:
            return  # the caller took them all: it asks for the next when it wants it
        future = self._executor.submit(next, self._items, None)
        self._futures.append(future)
        future.add_done_callback(self._done)

    def _done(self, future: concurrent.futures.Future) -> None:
        with self._lock:
            self._submit()

    def take(self) -> T | None:
        """The next item, None after the last; what the thread raised is raised here."""
        self.fetch()
        with self._lock:
            first = self._futures[0]
        self._wait(first)
        with self._lock:
            self._futures.popleft()
            self._submit()
        return first.result()

    def idle(self) -> None:
        """Wait, beating, until no fetch is under way, so the caller may use the client;
        none starts until the caller asks again (`fetch`, `take`)."""
        with self._lock:
            self._paused = True
            last = self._futures[-1] if self._futures else None
        if last is not None:
            self._wait(last)

    def _wait(self, future: concurrent.futures.Future) -> None:
        while True:
            done, _ = concurrent.futures.wait([future], timeout=KEEP_ALIVE_SLICE_SECONDS)
            if done:
                return
            self._beat()

    def close(self) -> None:
        """Stop: a fetch not begun is dropped, one under way ends at its next request or
        wait slice (the one in flight is waited for); the thread is joined."""
        self._stopped.set()
        with self._lock:
            for future in self._futures:
                future.cancel()
            self._futures.clear()
        self._executor.shutdown(wait=True)
        close = getattr(self._items, "close", None)
        if close is not None:
            close()


def pages_fetched(
    client: GitHubClient,
    owner: str,
    name: str,
    *,
    after: str | None,
    floor: dt.datetime | None,
    stored: Mapping[int, dt.datetime],
    deadline: float | None = None,
) -> Iterator[Fetched]:
    """The pages from `after`, each with the PRs the walk will write fetched whole: those
    updated at or after `floor` and not `stored` unchanged ({number: updatedAt}, read by the
    walk before it began). HTTP only: this runs on the fetch thread. The long lists of a
    page's PRs ride along in the queries of pages fetched ahead, never past the page where
    the walk stops at `floor` or pauses at `deadline` (`wants_next`). The walk decides what
    it writes and fetches itself any PR it writes that is missing here."""

    def wanted(record: PullRequestRecord) -> bool:
        return (floor is None or record.updated_at >= floor) and stored.get(
            record.number
        ) != record.updated_at

    pages = client.iter_whole_pull_request_pages(
        owner,
        name,
        after=after,
        wanted=wanted,
        goes_on=lambda page: wants_next(page, floor=floor, deadline=deadline),
    )
    for page, whole in pages:
        yield page, {r.number: r for r in whole}


def wants_next(
    page: PullRequestPage, *, floor: dt.datetime | None, deadline: float | None = None
) -> bool:
    """Whether the walk goes on past `page`, as far as it can tell before writing it."""
    if not page.has_next_page or not page.end_cursor:
        return False
    if floor is not None and any(r.updated_at < floor for r in page.pull_requests):
        return False  # the watermark is on this page
    # Past its time slice (`deadline`, time.monotonic()) the walk pauses after this page:
    # a page fetched for it would be thrown away (as is one whose slice ends while this
    # page is written).
    return deadline is None or time.monotonic() <= deadline
