"""The one way to enqueue background work: after the surrounding transaction commits."""

from functools import partial

import dramatiq
from django.db import transaction


def send_on_commit(actor: dramatiq.Actor, **kwargs) -> None:
    """Send `actor` with keyword arguments once the current transaction commits.

    A worker that picks the message up must see the rows the caller just wrote; sending
    before commit races it, and a rolled-back transaction would leave a message that
    points at nothing. Outside a transaction Django runs the callback at once.
    """
    transaction.on_commit(partial(actor.send, **kwargs))
