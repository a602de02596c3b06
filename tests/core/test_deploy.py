"""What a Heroku-style platform needs: a health check and production settings that pass
Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_health_check_reports_database_and_broker_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "problems": {}}


@pytest.mark.django_db
def test_the_health_check_is_503_naming_an_unreachable_broker(client, monkeypatch):
    from dramatiq.brokers.redis import RedisBroker

    from tformance.core import health

    nowhere = RedisBroker(url="redis://127.0.0.1:1/0")  # nothing listens there
    monkeypatch.setattr(health.dramatiq, "get_broker", lambda: nowhere)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert set(response.json()["problems"]) == {"broker"}


def test_production_settings_pass_the_deployment_checklist():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "SECURE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-key-" + "x" * 40,
        CRYPTOGRAPHY_KEY="another-long-random-key-for-tokens-" + "y" * 40,
        ALLOWED_HOSTS="tformance.example.com",
        CSRF_TRUSTED_ORIGINS="https://tformance.example.com",
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
