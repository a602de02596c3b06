"""Fault injection knobs and request counters; both are read on every request."""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass, field, fields


@dataclass
class Faults:
    """Mutable knobs; a change takes effect on the next request.

    `rest_budget`/`graphql_budget` are the primary rate-limit budgets (requests / points) per
    user per `window_seconds`, like GitHub's 5,000 per hour. With `window_from_exhaustion`
    a window instead lasts until its budget runs out and resets `window_seconds` after that,
    so tests hit the limit at the same point of a sync however fast the machine is.

    `outage_after_requests` lets that many more API requests through, then answers every
    one with a 502 (GitHub down) until it is cleared. `review_races` makes GitHub change a
    PR while a client pages its reviews: {number: times} adds a review to that PR just
    before it serves a page of its reviews after the first, `times` times.

    Jira: `jira_rate_limit_every` answers every Nth authenticated Jira request 429 and
    `jira_rate_limit_next` the next N (both with `Retry-After: jira_retry_after`);
    `jira_server_error_next` answers the next N Jira requests `jira_server_error_status`.
    """

    latency_ms: int = 0
    error_rate_502: float = 0.0
    graphql_502_above_nodes: int | None = None
    secondary_limit_every: int | None = None
    secondary_retry_after: int = 60
    rest_budget: int = 5000
    graphql_budget: int = 5000
    window_seconds: int = 3600
    window_from_exhaustion: bool = False
    outage_after_requests: int | None = None
    review_races: dict = field(default_factory=dict)
    jira_rate_limit_every: int | None = None
    jira_rate_limit_next: int = 0
    jira_retry_after: int = 5
    jira_server_error_next: int = 0
    jira_server_error_status: int = 503
    seed: int = 0
    _rng: random.Random = field(default=None, init=False, repr=False, compare=False)
    _count: int = field(default=0, init=False, repr=False, compare=False)
    _outage_count: int = field(default=0, init=False, repr=False, compare=False)
    _jira_count: int = field(default=0, init=False, repr=False, compare=False)
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    def __post_init__(self):
        self._rng = random.Random(self.seed)

    def update(self, **changes) -> Faults:
        names = {f.name for f in fields(self) if not f.name.startswith("_")}
        unknown = set(changes) - names
        if unknown:
            raise TypeError(f"unknown fault(s): {', '.join(sorted(unknown))}")
        for name, value in changes.items():
            setattr(self, name, value)
        if "seed" in changes:
            self._rng = random.Random(self.seed)
        if "outage_after_requests" in changes:
            self._outage_count = 0
        if "secondary_limit_every" in changes:
            self._count = 0  # every K-th request from now on
        if "jira_rate_limit_every" in changes:
            self._jira_count = 0
        if "review_races" in changes:
            # JSON (the control endpoint) has only string keys.
            self.review_races = {int(k): int(v) for k, v in (self.review_races or {}).items()}
        return self

    def clear(self) -> Faults:
        defaults = Faults()
        return self.update(
            **{
                f.name: getattr(defaults, f.name)
                for f in fields(self)
                if not f.name.startswith("_") and f.name != "seed"
            }
        )

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}

    def roll_502(self) -> bool:
        with self._lock:
            if self.outage_after_requests is not None:
                self._outage_count += 1
                if self._outage_count > self.outage_after_requests:
                    return True
            return self.error_rate_502 > 0 and self._rng.random() < self.error_rate_502

    def take_review_race(self, number: int) -> bool:
        """True (once per remaining time) when a review should land on PR `number` now."""
        with self._lock:
            left = self.review_races.get(number, 0)
            if left <= 0:
                return False
            self.review_races[number] = left - 1
            return True

    def next_is_secondary_limited(self) -> bool:
        """Counts API requests; every K-th one trips the secondary limit."""
        with self._lock:
            self._count += 1
            every = self.secondary_limit_every
            return bool(every) and self._count % every == 0

    def next_jira_rate_limited(self) -> bool:
        with self._lock:
            self._jira_count += 1
            if self.jira_rate_limit_next > 0:
                self.jira_rate_limit_next -= 1
                return True
            every = self.jira_rate_limit_every
            return bool(every) and self._jira_count % every == 0

    def next_jira_server_error(self) -> int | None:
        """The status to fail this Jira request with, or None."""
        with self._lock:
            if self.jira_server_error_next > 0:
                self.jira_server_error_next -= 1
                return self.jira_server_error_status
            return None


class Stats:
    """Request counters for tests and the control endpoint."""

    COUNTERS = (
        "total_requests",
        "rest_requests",
        "graphql_requests",
        "oauth_requests",
        "graphql_points",
        "served_502",
        "retries_after_502",
        "secondary_limited",
        "primary_limited_rest",
        "primary_limited_graphql",
        "jira_requests",
        "jira_rate_limited",
        "jira_server_errors",
    )

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            for name in self.COUNTERS:
                setattr(self, name, 0)
            self.by_status: Counter = Counter()
            self.by_endpoint: Counter = Counter()
            self.by_operation: Counter = Counter()  # GraphQL operations answered
            self._failed: set = set()

    def add(self, **amounts: int) -> None:
        with self._lock:
            for name, amount in amounts.items():
                setattr(self, name, getattr(self, name) + amount)

    def record(self, status: int, endpoint: str | None, fingerprint: object) -> None:
        with self._lock:
            self.by_status[status] += 1
            if endpoint:
                self.by_endpoint[endpoint] += 1
            if fingerprint in self._failed and status != 502:
                self.retries_after_502 += 1
                self._failed.discard(fingerprint)

    def operation(self, name: str) -> None:
        with self._lock:
            self.by_operation[name] += 1

    def mark_failed(self, fingerprint: object) -> None:
        with self._lock:
            if fingerprint in self._failed:
                self.retries_after_502 += 1
            self._failed.add(fingerprint)

    def snapshot(self) -> dict:
        with self._lock:
            data = {name: getattr(self, name) for name in self.COUNTERS}
            data["by_status"] = dict(self.by_status)
            data["by_endpoint"] = dict(self.by_endpoint)
            data["by_operation"] = dict(self.by_operation)
            return data
