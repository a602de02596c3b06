"""One token's GitHub rate limit, shared by every client that holds the token: every worker
thread and process, so that they pause together at GitHub's reset instead of each spending
what is left and retrying.

    check_budget(key=key, resource=GRAPHQL)           # before a request; raises, or returns
    record_limit(key=key, resource=GRAPHQL, remaining=12, reset_at=reset)  # after an answer
    record_pause(key=key, until=moment)               # a secondary limit's Retry-After

The state lives in Redis (``GITHUB_BUDGET_REDIS_URL``, which is ``REDIS_URL``) under a key
derived from the GitHub host and the token (an HMAC: never the token itself). Without Redis
(the demo on SQLite, the unit tests) it lives in this process, with the same behaviour for
the threads of this process. A Redis that does not answer is not a sync failure: the client
falls back to this process's state until Redis answers again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

import redis
from django.conf import settings
from django.utils.crypto import salted_hmac

from tformance.github.errors import RateLimited, SecondaryRateLimit

logger = logging.getLogger(__name__)

# GitHub's primary limits are kept per resource: GraphQL points and REST ("core") requests.
# Reference: https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#checking-the-status-of-your-rate-limit
# ("x-ratelimit-resource: The rate limit resource that the request counted against")
GRAPHQL = "graphql"
CORE = "core"
PREFIX = "tformance:github:budget"
# GitHub's reset is rounded down to the second: a window lasts up to a second past it.
RESET_GRACE_SECONDS = 1.0
# After Redis failed, this process keeps its budgets to itself for this long.
REDIS_RETRY_SECONDS = 30.0

# Moments go back as they were stored (strings): a Lua number would lose digits.
_CHECK_LUA = """
local now = tonumber(ARGV[1])
local pause = redis.call('GET', KEYS[2]) or '0'
if tonumber(pause) > now and tonumber(pause) > tonumber(ARGV[3]) then
  return {'pause', pause}
end
local reset = redis.call('HGET', KEYS[1], 'reset') or '0'
if tonumber(reset) + tonumber(ARGV[4]) <= now then return {'ok', ''} end
local remaining = tonumber(redis.call('HGET', KEYS[1], 'remaining') or '0')
if remaining < tonumber(ARGV[2]) then return {'limited', reset} end
return {'ok', ''}
"""
# The newest window wins; within one window remaining only falls, so answers that arrive
# out of order (four threads, one token) never raise it again. "Nothing left" always wins:
# it is what GitHub refuses with, whatever window an earlier answer spoke of.
_RECORD_LUA = """
local remaining, reset = tonumber(ARGV[1]), tonumber(ARGV[2])
local known = tonumber(redis.call('HGET', KEYS[1], 'reset') or '0')
if reset < known and remaining > 0 then return 0 end
if reset == known then
  local left = tonumber(redis.call('HGET', KEYS[1], 'remaining') or '')
  if left ~= nil and left <= remaining then return 0 end
end
redis.call('HSET', KEYS[1], 'remaining', ARGV[1], 'reset', ARGV[2])
redis.call('EXPIREAT', KEYS[1], math.floor(reset) + 60)
return 1
"""
_PAUSE_LUA = """
local until_ = tonumber(ARGV[1])
if until_ <= tonumber(redis.call('GET', KEYS[1]) or '0') then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('PEXPIREAT', KEYS[1], math.ceil(until_ * 1000) + 1000)
return 1
"""


class SharedPause(SecondaryRateLimit):
    """Another client of the token was told to wait until `until`; this one was not sent."""

    def __init__(self, *, until: dt.datetime, now: dt.datetime) -> None:
        super().__init__(
            f"GitHub asked a client of this token to wait until {until.isoformat()} "
            "(secondary rate limit)",
            retry_after_seconds=max(0.0, (until - now).total_seconds()),
            status=None,
        )
        self.until = until


def budget_key(*, token: str, api_url: str) -> str:
    """Where one token's budget is kept: an HMAC of the GitHub host and the token, so the
    store never holds the token and two GitHubs (or two sandboxes) never share a budget."""
    digest = salted_hmac(PREFIX, f"{api_url.rstrip('/')} {token}", algorithm="sha256")
    return digest.hexdigest()[:32]


def check_budget(*, key: str, resource: str, waited_until: dt.datetime | None = None) -> None:
    """Return when a request may be sent; raise instead of sending while the token waits.

    RateLimited while the resource's remaining budget is below GITHUB_RATE_LIMIT_RESERVE
    and its window has not reset (the caller re-enqueues itself for the reset);
    SharedPause while a client of the token was told to wait (Retry-After) past
    `waited_until`, the end of the last wait this client has sat out itself.
    """
    now = time.time()
    waited = waited_until.timestamp() if waited_until else 0.0
    verdict, moment = _store().check(key, resource, now=now, reserve=_reserve(), waited=waited)
    if verdict == "pause":
        raise SharedPause(
            until=dt.datetime.fromtimestamp(moment, dt.UTC),
            now=dt.datetime.fromtimestamp(now, dt.UTC),
        )
    if verdict == "limited":
        reset_at = dt.datetime.fromtimestamp(moment, dt.UTC)
        raise RateLimited(
            f"GitHub {resource} budget of this token spent until {reset_at.isoformat()}; "
            "waiting for the reset",
            reset_at=reset_at,
            status=None,
        )


def record_limit(
    *, key: str, resource: str, remaining: int | None, reset_at: dt.datetime | None
) -> None:
    """Share what an answer said of the resource's primary limit."""
    # Reference: https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#checking-the-status-of-your-rate-limit
    # Reference: https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#checking-the-status-of-your-primary-rate-limit
    if remaining is None or reset_at is None:
        return
    _store().record(key, resource, remaining=int(remaining), reset=reset_at.timestamp())


def record_pause(*, key: str, until: dt.datetime) -> None:
    """Share a secondary limit: no client of the token sends before `until`."""
    # Reference: https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
    # ("If the retry-after response header is present, you should not retry your request
    # until after that many seconds has elapsed.")
    _store().pause(key, until=until.timestamp())


def forget_budgets() -> None:
    """Drop every budget of this process (tests start from nothing)."""
    _memory.clear()


def _reserve() -> int:
    return max(1, int(settings.GITHUB_RATE_LIMIT_RESERVE))


class _MemoryStore:
    """The budgets of this process only (no Redis): the same rules as the Lua scripts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._limits: dict[tuple[str, str], tuple[int, float]] = {}
        self._pauses: dict[str, float] = {}

    def check(
        self, key: str, resource: str, *, now: float, reserve: int, waited: float
    ) -> tuple[str, float]:
        with self._lock:
            pause = self._pauses.get(key, 0.0)
            if pause > now and pause > waited:
                return "pause", pause
            remaining, reset = self._limits.get((key, resource), (0, 0.0))
            if reset + RESET_GRACE_SECONDS > now and remaining < reserve:
                return "limited", reset
            return "ok", 0.0

    def record(self, key: str, resource: str, *, remaining: int, reset: float) -> None:
        with self._lock:
            left, known = self._limits.get((key, resource), (None, 0.0))
            older = reset < known and remaining > 0
            if older or (reset == known and left is not None and left <= remaining):
                return
            self._limits[(key, resource)] = (remaining, reset)

    def pause(self, key: str, *, until: float) -> None:
        with self._lock:
            self._pauses[key] = max(until, self._pauses.get(key, 0.0))

    def clear(self) -> None:
        with self._lock:
            self._limits.clear()
            self._pauses.clear()


class _RedisStore:
    """The budgets every worker shares; each call is one atomic script."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        self._check = self.client.register_script(_CHECK_LUA)
        self._record = self.client.register_script(_RECORD_LUA)
        self._pause = self.client.register_script(_PAUSE_LUA)

    def check(
        self, key: str, resource: str, *, now: float, reserve: int, waited: float
    ) -> tuple[str, float]:
        args = [repr(now), reserve, repr(waited), RESET_GRACE_SECONDS]
        verdict, moment = self._check(keys=_keys(key, resource), args=args)
        return verdict.decode(), float(moment or 0)

    def record(self, key: str, resource: str, *, remaining: int, reset: float) -> None:
        self._record(keys=_keys(key, resource)[:1], args=[remaining, repr(reset)])

    def pause(self, key: str, *, until: float) -> None:
        self._pause(keys=[f"{PREFIX}:{key}:pause"], args=[repr(until)])


def _keys(key: str, resource: str) -> list[str]:
    return [f"{PREFIX}:{key}:{resource}", f"{PREFIX}:{key}:pause"]


_memory = _MemoryStore()
_shared: dict[str, _RedisStore] = {}
_shared_lock = threading.Lock()
_shared_down_until: dict[str, float] = {}  # url: time.monotonic()


def _store():
    """Redis when configured and answering, else this process's memory."""
    url = settings.GITHUB_BUDGET_REDIS_URL
    if not url or time.monotonic() < _shared_down_until.get(url, 0.0):
        return _memory
    with _shared_lock:
        if url not in _shared:
            _shared[url] = _RedisStore(url)
        return _FallingBack(url, _shared[url])


class _FallingBack:
    """A Redis store whose failures fall back to this process's memory for a while."""

    def __init__(self, url: str, shared: _RedisStore) -> None:
        self.url = url
        self.shared = shared

    def __getattr__(self, name: str):
        def call(*args, **kwargs):
            try:
                return getattr(self.shared, name)(*args, **kwargs)
            except redis.exceptions.RedisError as exc:
                _shared_down_until[self.url] = time.monotonic() + REDIS_RETRY_SECONDS
                logger.warning(
                    "[github] rate-limit budgets stay in this process for %.0f s: Redis failed (%s)",
                    REDIS_RETRY_SECONDS,
                    type(exc).__name__,
                )
                return getattr(_memory, name)(*args, **kwargs)

        return call
