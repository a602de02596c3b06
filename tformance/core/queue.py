"""The one way to enqueue background work: after the surrounding transaction commits.

Without Redis (a fresh machine, the demo) the broker is in-memory, and the first message
starts a small pool of worker threads inside this process, so the product still runs end
to end in one process. With `REDIS_URL` set, separate `rundramatiq` workers do the work.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import dramatiq
import redis
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)
# What a broker that is down or unreachable raises on send.
BROKER_ERRORS = (dramatiq.errors.BrokerError, redis.exceptions.RedisError, OSError)

_worker: dramatiq.Worker | None = None
_worker_lock = threading.Lock()
_stopped = False  # once stopped (process exit), sends no longer start workers


def send_on_commit(actor: dramatiq.Actor, **kwargs) -> None:
    """Send `actor` with keyword arguments once the current transaction commits.

    A worker that picks the message up must see the rows the caller just wrote; sending
    before commit races it, and a rolled-back transaction would leave a message that
    points at nothing. Outside a transaction Django runs the callback at once.
    """

    def send() -> None:
        if settings.DRAMATIQ_IN_PROCESS_WORKER:
            in_process_worker_start()
        try:
            actor.send(**kwargs)
        except BROKER_ERRORS as exc:
            # The rows say what was asked for; the sweeper sends it again once the broker
            # answers. Whoever watches the sends tells the user.
            logger.error("[queue] %s(%s) not sent: %s", actor.actor_name, kwargs, exc)
            for report in _watching():
                report.unsent.append(actor.actor_name)

    transaction.on_commit(send)


def actor_named(name: str) -> dramatiq.Actor:
    """The actor declared under `name`, for a sender that the actor's own module imports
    (the sync services its actors call), where importing the actor back would be a loop.
    Every `tasks` module is loaded when Django starts (CoreConfig.ready)."""
    return dramatiq.get_broker().get_actor(name)


@dataclass
class SendReport:
    """Which messages could not be sent while it was watched."""

    unsent: list[str] = field(default_factory=list)


_local = threading.local()


def _watching() -> list[SendReport]:
    if not hasattr(_local, "reports"):
        _local.reports = []
    return _local.reports


@contextmanager
def sends_watched() -> Iterator[SendReport]:
    """Report the messages that `send_on_commit` could not send inside the block."""
    report = SendReport()
    _watching().append(report)
    try:
        yield report
    finally:
        _watching().remove(report)


def in_process_worker_start() -> dramatiq.Worker | None:
    """Start (once) worker threads in this process that consume the in-memory broker."""
    global _worker
    with _worker_lock:
        if _worker is None and not _stopped:
            _worker = dramatiq.Worker(
                dramatiq.get_broker(),
                worker_threads=settings.DRAMATIQ_IN_PROCESS_THREADS,
                worker_timeout=100,
            )
            _worker.start()
            logger.info(
                "[queue] no REDIS_URL: started %d in-process worker threads",
                settings.DRAMATIQ_IN_PROCESS_THREADS,
            )
        return _worker


def in_process_worker_stop(*, final: bool = False) -> None:
    """Stop the worker threads; with `final` (process exit) none start again."""
    global _worker, _stopped
    with _worker_lock:
        worker, _worker = _worker, None
        _stopped = _stopped or final
    # Outside the lock: a worker thread finishing its message may be sending another.
    if worker is not None:
        worker.stop(timeout=10_000)
