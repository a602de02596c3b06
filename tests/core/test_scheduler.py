"""Exactly one scheduler runs: a second `manage.py crontab` waits for the lock, then exits."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.ci import skip_or_fail
from tests.helpers.workers import REDIS_URL, redis_available

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def start_scheduler(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "crontab", "--no-heartbeat"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_a_second_scheduler_waits_and_exits_cleanly_while_the_first_runs(tmp_path):
    if not redis_available():
        skip_or_fail(f"Redis is not reachable at {REDIS_URL}")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": REDIS_URL,
        "SCHEDULER_LOCK_WAIT_SECONDS": "2",
    }
    first = start_scheduler(env)
    try:
        deadline = time.monotonic() + 30
        line = ""
        while "Starting scheduler" not in line and time.monotonic() < deadline:
            line = first.stdout.readline()
        assert "Starting scheduler" in line

        second = start_scheduler(env)
        out, _ = second.communicate(timeout=30)

        assert second.returncode == 0
        assert "Another scheduler is already running." in out
        assert first.poll() is None  # the first one keeps the schedule
    finally:
        first.terminate()
        first.wait(10)
