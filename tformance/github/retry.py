"""Bounded retries with exponential backoff and full jitter, an adaptive page size, and the
per-client usage counters.

PyGithub's own retries are switched off (``retry=None`` in :mod:`tformance.github.rest`) so
that the only retry loop is this one.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from tformance.github.errors import (
    GitHubError,
    RateLimited,
    SecondaryRateLimit,
    ServerError,
    Timeout,
)
from tformance.github.types import Usage

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Failures that mean "this answer was too big/slow for GitHub": worth a smaller page.
SHRINKABLE_STATUSES = frozenset({502, 504})


def is_shrinkable(exc: GitHubError) -> bool:
    """True for 502/504 and timeouts: the failures a smaller GraphQL page may avoid."""
    if isinstance(exc, Timeout):
        return True
    return isinstance(exc, ServerError) and exc.status in SHRINKABLE_STATUSES


@dataclass
class RetryPolicy:
    """How many times, and how long, to retry transient failures."""

    max_retries: int = 4
    backoff_base_seconds: float = 1.0
    backoff_max_seconds: float = 30.0
    max_retry_after_seconds: float = 120.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)
    # Told of every failure before it is retried or raised: the client shares a secondary
    # limit's wait with every other client of its token (tformance.github.budget).
    on_failure: Callable[[GitHubError], None] = lambda exc: None

    def backoff(self, attempt: int) -> float:
        """Full-jitter delay before retry number ``attempt`` (0-based)."""
        # Reference: https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
        ceiling = min(self.backoff_max_seconds, self.backoff_base_seconds * (2**attempt))
        return self.rng.uniform(0, max(0.0, ceiling))

    def delay_for(self, exc: GitHubError, attempt: int) -> float | None:
        """Seconds to wait before retrying after ``exc``, or None to give up and raise."""
        if exc.permanent or isinstance(exc, RateLimited) or attempt >= self.max_retries:
            return None
        if isinstance(exc, SecondaryRateLimit):
            # Reference: https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
            if exc.retry_after_seconds > self.max_retry_after_seconds:
                return None
            return exc.retry_after_seconds
        return self.backoff(attempt)


class UsageCounter:
    """Mutable counters behind ``GitHubClient.usage``."""

    def __init__(self) -> None:
        self.rest_requests = 0
        self.graphql_requests = 0
        self.graphql_points = 0
        self.retries = 0
        self.page_size_reductions = 0
        self.rest_remaining: int | None = None
        self.rest_reset_at: dt.datetime | None = None
        self.graphql_remaining: int | None = None
        self.graphql_reset_at: dt.datetime | None = None

    def snapshot(self) -> Usage:
        """Freeze the counters into a :class:`Usage`."""
        return Usage(
            requests=self.rest_requests + self.graphql_requests,
            rest_requests=self.rest_requests,
            graphql_requests=self.graphql_requests,
            graphql_points=self.graphql_points,
            retries=self.retries,
            page_size_reductions=self.page_size_reductions,
            rest_remaining=self.rest_remaining,
            rest_reset_at=self.rest_reset_at,
            graphql_remaining=self.graphql_remaining,
            graphql_reset_at=self.graphql_reset_at,
        )


def _wait_before_retry(
    exc: GitHubError, attempt: int, *, policy: RetryPolicy, usage: UsageCounter, what: str
) -> bool:
    """Sleep before retry number ``attempt + 1``; False when the error is not to be retried."""
    policy.on_failure(exc)
    delay = policy.delay_for(exc, attempt)
    if delay is None:
        return False
    logger.warning(
        "GitHub %s failed (%s: %s); retry %d/%d in %.2fs",
        what,
        type(exc).__name__,
        exc.message,
        attempt + 1,
        policy.max_retries,
        delay,
    )
    usage.retries += 1
    policy.sleep(delay)
    return True


def call_with_retries(
    fn: Callable[[], T], *, policy: RetryPolicy, usage: UsageCounter, what: str
) -> T:
    """Call ``fn`` until it succeeds, a permanent error, or the retry budget is spent."""
    attempt = 0
    while True:
        try:
            return fn()
        except GitHubError as exc:
            if not _wait_before_retry(exc, attempt, policy=policy, usage=usage, what=what):
                raise
            attempt += 1


class AdaptivePageSize:
    """A page size that halves after repeated GitHub timeouts and grows back after successes."""

    def __init__(self, size: int, *, shrink_after: int = 2, grow_after: int = 3) -> None:
        if size < 1:
            raise ValueError("page size must be at least 1")
        self.configured = size
        self.current = size
        self.shrink_after = max(1, shrink_after)
        self.grow_after = max(1, grow_after)
        self._failures = 0
        self._successes = 0

    def failed(self) -> bool:
        """Record a shrinkable failure; return True when the size was just halved."""
        self._successes = 0
        self._failures += 1
        if self._failures >= self.shrink_after and self.current > 1:
            self.current = max(1, self.current // 2)
            self._failures = 0
            return True
        return False

    def succeeded(self) -> bool:
        """Record a success; return True when the size was just doubled back."""
        self._failures = 0
        if self.current >= self.configured:
            return False
        self._successes += 1
        if self._successes >= self.grow_after:
            self.current = min(self.configured, self.current * 2)
            self._successes = 0
            return True
        return False


def call_with_shrinking_page(
    fn: Callable[[int], T],
    *,
    page: AdaptivePageSize,
    policy: RetryPolicy,
    usage: UsageCounter,
    what: str,
) -> T:
    """Call ``fn(page_size)``; 502/504/timeouts shrink the page, other failures retry as usual.

    Shrinkable failures at a size above 1 are bounded by ``shrink_after`` per size; once the
    page size is 1 (or for other transient failures) the policy's ``max_retries`` applies.
    """
    attempt = 0
    while True:
        try:
            result = fn(page.current)
        except GitHubError as exc:
            if is_shrinkable(exc) and page.current > 1:
                before = page.current
                if page.failed():
                    usage.page_size_reductions += 1
                    logger.warning(
                        "GitHub %s failed (%s); page size %d -> %d",
                        what,
                        type(exc).__name__,
                        before,
                        page.current,
                    )
                usage.retries += 1
                policy.sleep(policy.backoff(0))
                continue
            if not _wait_before_retry(exc, attempt, policy=policy, usage=usage, what=what):
                raise
            attempt += 1
        else:
            page.succeeded()
            return result
