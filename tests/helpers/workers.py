"""Real worker processes for end-to-end tests: `manage.py rundramatiq` on Redis + PostgreSQL."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dramatiq
from django.db import connection
from dramatiq.brokers.redis import RedisBroker

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15")


def redis_available() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False


def database_url() -> str:
    """The URL of the test database this process is using (workers must share it)."""
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


def budgets_flush() -> None:
    """Forget the GitHub rate-limit budgets that worker processes shared in Redis."""
    import redis

    from tformance.github.budget import PREFIX

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{PREFIX}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def stub_with_every_actor() -> dramatiq.Broker:
    """The test broker, once every `tasks` module has declared its actors on it (an actor
    first imported during a swap would be declared on the swapped-in broker for good)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")
    return dramatiq.get_broker()


class RedisBrokerSwap:
    """Point every actor at a Redis broker, as the production settings would."""

    def __init__(self) -> None:
        self.stub = stub_with_every_actor()
        self.broker = RedisBroker(url=REDIS_URL)

    def __enter__(self) -> RedisBroker:
        self.broker.flush_all()
        budgets_flush()
        for name in self.stub.get_declared_actors():
            actor = self.stub.get_actor(name)
            actor.broker = self.broker
            self.broker.declare_actor(actor)
        dramatiq.set_broker(self.broker)
        return self.broker

    def __exit__(self, *exc) -> None:
        self.broker.flush_all()
        budgets_flush()
        for name in self.stub.get_declared_actors():
            self.stub.get_actor(name).broker = self.stub
        dramatiq.set_broker(self.stub)
        self.broker.close()


def production_env(settings, **extra: str) -> dict[str, str]:
    """The environment of a production-settings process on this test's database and sandbox."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        # From the environment: django-cryptography replaces the setting with the
        # derived key bytes once it is loaded.
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "CRYPTOGRAPHY_KEY": os.environ["CRYPTOGRAPHY_KEY"],
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "GITHUB_URL": settings.GITHUB_URL,
        "GITHUB_API_URL": settings.GITHUB_API_URL,
        "GITHUB_BACKOFF_BASE_SECONDS": "0.05",
        **extra,
    }


class DeadBrokerSwap(RedisBrokerSwap):
    """Point every actor at a Redis that does not answer: the broker is down."""

    URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    def __init__(self) -> None:
        self.stub = stub_with_every_actor()
        self.broker = RedisBroker(url=self.URL, socket_connect_timeout=0.2)

    def __enter__(self) -> RedisBroker:
        for name in self.stub.get_declared_actors():
            actor = self.stub.get_actor(name)
            actor.broker = self.broker
            self.broker.declare_actor(actor)  # as the settings would; no connection yet
        dramatiq.set_broker(self.broker)
        return self.broker

    def __exit__(self, *exc) -> None:
        for name in self.stub.get_declared_actors():
            self.stub.get_actor(name).broker = self.stub
        dramatiq.set_broker(self.stub)


class WorkerProcess:
    """`manage.py <command>` (a worker: rundramatiq) in its own process group, so SIGKILL
    takes all its children."""

    def __init__(
        self,
        *,
        env: dict[str, str],
        log_path: Path,
        threads: int = 2,
        command: tuple[str, ...] | None = None,
    ) -> None:
        self.env = env
        self.log_path = log_path
        self.command = command or (
            "rundramatiq",
            "--processes",
            "1",
            "--threads",
            str(threads),
            "--worker-shutdown-timeout",
            "5000",
        )
        self.process: subprocess.Popen | None = None

    def start(self) -> "WorkerProcess":
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", *self.command],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill(self) -> None:
        """Die the way an OOM kill or a lost machine does: no cleanup at all."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")


def wait_until(predicate, *, timeout: float, interval: float = 0.2, what="condition"):
    """Poll `predicate` until it is true; `what` may be a callable, evaluated on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(
        f"timed out after {timeout:.0f} s waiting for {what() if callable(what) else what}"
    )
