"""The one way to enqueue background work: after the surrounding transaction commits.

Without Redis (a fresh machine, the demo) the broker is in-memory, and the first message
starts a small pool of worker threads inside this process, so the product still runs end
to end in one process. With `REDIS_URL` set, separate `rundramatiq` workers do the work.
"""

import logging
import threading

import dramatiq
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

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
        actor.send(**kwargs)

    transaction.on_commit(send)


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
