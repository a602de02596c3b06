"""What the platform's health check asks: can this process reach its database and broker?

Anyone can call `/healthz`, so it learns only which check failed. Why it failed (hosts,
role names, the driver's message) goes to the log, for the operator.
"""

import logging

import dramatiq
from django.db import connection
from dramatiq.brokers.redis import RedisBroker

logger = logging.getLogger(__name__)


def _database_ping() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _broker_ping() -> None:
    broker = dramatiq.get_broker()
    if isinstance(broker, RedisBroker):  # the in-process broker always answers
        broker.client.ping()


CHECKS = (("database", _database_ping), ("broker", _broker_ping))


def health_failures() -> list[str]:
    """The names of the checks that fail, in a fixed order; each reason is logged."""
    failed = []
    for name, ping in CHECKS:
        try:
            ping()
        except Exception:  # any failure means "not healthy"; the log gets the traceback
            logger.warning("[health] the %s check failed", name, exc_info=True)
            failed.append(name)
    return failed
