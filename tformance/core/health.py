"""What the platform's health check asks: can this process reach its database and broker?"""

import dramatiq
from django.db import connection
from dramatiq.brokers.redis import RedisBroker


def database_check() -> str | None:
    """None when the database answers, else the reason."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not healthy"; the reason is reported
        return f"{type(exc).__name__}: {exc}"
    return None


def broker_check() -> str | None:
    """None when the broker answers (the in-process broker always does), else the reason."""
    broker = dramatiq.get_broker()
    if not isinstance(broker, RedisBroker):
        return None
    try:
        broker.client.ping()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None
