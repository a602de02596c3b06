"""`/healthz`: a platform's probe learns which check failed, and only the log learns why."""

import logging

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler
from dramatiq.brokers.redis import RedisBroker

from tformance.core import health

SECRET_ROLE = "tformance_secret_role"


@pytest.fixture
def unreachable_broker(monkeypatch):
    nowhere = RedisBroker(url="redis://:broker-password@127.0.0.1:1/0")  # nothing listens there
    monkeypatch.setattr(health.dramatiq, "get_broker", lambda: nowhere)
    yield
    nowhere.close()


@pytest.fixture
def unreachable_database(monkeypatch, tmp_path):
    """A connection configured like the real one, to a server that is not there."""
    if connection.vendor == "postgresql":
        dead = {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": "1", "USER": SECRET_ROLE}
    else:
        dead = {**connection.settings_dict, "NAME": str(tmp_path / "missing" / "db.sqlite3")}
    dead["OPTIONS"] = {k: v for k, v in dead["OPTIONS"].items() if k != "init_command"}
    handler = ConnectionHandler({"default": {**dead, "CONN_MAX_AGE": 0}})
    monkeypatch.setattr(health, "connection", handler["default"])
    yield
    handler.close_all()


@pytest.mark.django_db
def test_the_health_check_is_ok_when_the_database_and_broker_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failed": []}


@pytest.mark.django_db
def test_the_health_check_names_an_unreachable_broker(client, unreachable_broker):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unhealthy", "failed": ["broker"]}


@pytest.mark.django_db
def test_the_health_check_names_the_failed_checks_and_tells_their_reasons_only_to_the_log(
    client, unreachable_broker, unreachable_database, caplog
):
    with caplog.at_level(logging.WARNING, logger="tformance.core.health"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unhealthy", "failed": ["database", "broker"]}
    body = response.content.decode()
    for detail in ("127.0.0.1", "6379", SECRET_ROLE, "password", "Error", "refused", "missing"):
        assert detail not in body
    logged = {r.getMessage(): r for r in caplog.records if r.name == "tformance.core.health"}
    assert set(logged) == {
        "[health] the database check failed",
        "[health] the broker check failed",
    }
    assert all(r.levelno == logging.WARNING and r.exc_info for r in logged.values())
