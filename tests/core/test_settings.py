"""Settings come from the environment and a bad value stops the process at start."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLEAN = {
    k: v
    for k, v in os.environ.items()
    if k not in ("DEBUG", "SECRET_KEY", "CRYPTOGRAPHY_KEY", "DATABASE_URL", "REDIS_URL")
}


def load_settings(**env) -> subprocess.CompletedProcess:
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'], settings.DRAMATIQ_BROKER['BROKER'], settings.GITHUB_API_URL)"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
    )


def test_debug_mode_starts_with_sqlite_and_the_in_process_broker():
    result = load_settings(DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "dramatiq.brokers.stub.StubBroker",
        "https://api.github.com",
    ]


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings(DEBUG="0", CRYPTOGRAPHY_KEY="k")

    assert result.returncode != 0
    assert 'Environment variable "SECRET_KEY" must be set when DEBUG is off.' in result.stderr


def test_production_refuses_to_start_without_a_cryptography_key():
    result = load_settings(DEBUG="0", SECRET_KEY="s")

    assert 'Environment variable "CRYPTOGRAPHY_KEY" must be set when DEBUG is off.' in result.stderr


def test_a_bad_boolean_names_the_variable():
    result = load_settings(DEBUG="maybe")

    assert 'Environment variable "DEBUG" invalid' in result.stderr


def test_a_bad_github_url_names_the_variable():
    result = load_settings(DEBUG="1", GITHUB_API_URL="api.github.com")

    assert 'Environment variable "GITHUB_API_URL" must be an http(s) URL' in result.stderr


def test_database_and_redis_urls_select_postgres_and_the_redis_broker():
    result = load_settings(
        DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/tformance",
        REDIS_URL="redis://127.0.0.1:6379/0",
        GITHUB_API_URL="http://127.0.0.1:8765/api/v3/",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "dramatiq.brokers.redis.RedisBroker",
        "http://127.0.0.1:8765/api/v3",
    ]


def test_a_dead_workers_redelivered_sync_finds_its_repository_free_by_default():
    code = (
        "from django.conf import settings as s; "
        "print(s.SYNC_CLAIM_STALE_SECONDS * 1000, s.DRAMATIQ_BROKER['OPTIONS']['heartbeat_timeout'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **CLEAN,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "1",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
        capture_output=True,
        text=True,
    )

    stale_ms, redelivery_ms = map(int, result.stdout.split())
    assert stale_ms < redelivery_ms


def test_production_refuses_to_start_without_redis():
    result = load_settings(DEBUG="0", SECRET_KEY="s", CRYPTOGRAPHY_KEY="k")

    assert result.returncode != 0
    assert 'Environment variable "REDIS_URL" must be set when DEBUG is off.' in result.stderr


def test_production_with_redis_starts_with_the_redis_broker():
    result = load_settings(
        DEBUG="0", SECRET_KEY="s", CRYPTOGRAPHY_KEY="k", REDIS_URL="redis://127.0.0.1:6379/0"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "dramatiq.brokers.redis.RedisBroker"


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "s", "CRYPTOGRAPHY_KEY": "k", "REDIS_URL": "redis://r"}


def production_settings(*names: str, **env) -> dict:
    """The named settings as production (DEBUG off) loads them with `env`."""
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "config.settings", **PRODUCTION, **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_hsts_preload_and_subdomains_stay_off_unless_the_operator_opts_in():
    names = ("SECURE_HSTS_SECONDS", "SECURE_HSTS_PRELOAD", "SECURE_HSTS_INCLUDE_SUBDOMAINS")

    assert production_settings(*names) == {
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
    }
    opted_in = production_settings(
        *names, SECURE_HSTS_PRELOAD="1", SECURE_HSTS_INCLUDE_SUBDOMAINS="1"
    )
    assert opted_in["SECURE_HSTS_PRELOAD"] is opted_in["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True


def test_x_forwarded_proto_is_trusted_only_behind_a_proxy():
    assert production_settings("BEHIND_PROXY", "SECURE_PROXY_SSL_HEADER") == {
        "BEHIND_PROXY": False,
        "SECURE_PROXY_SSL_HEADER": None,
    }
    assert production_settings("SECURE_PROXY_SSL_HEADER", BEHIND_PROXY="1") == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]
    }


def test_a_bad_behind_proxy_value_names_the_variable():
    result = load_settings(**PRODUCTION, BEHIND_PROXY="sometimes")

    assert result.returncode != 0
    assert 'Environment variable "BEHIND_PROXY" invalid' in result.stderr
