"""Shared fixtures: the personas (owner, member, outsider) and their teams.

The owner is an admin of `team`, the member an ordinary member of it; the outsider is the
admin of `other_team` and must never see anything of `team`.
"""

import socket
from pathlib import Path

import pytest

from tests.helpers.ci import skip_or_fail
from tests.helpers.factories import MembershipFactory, TeamFactory, UserFactory
from tformance.teams.models import Membership

pytest_plugins = ["tests.helpers.sandbox"]


@pytest.fixture(autouse=True)
def no_internet(monkeypatch):
    """Fail any connection to a host outside this machine: GitHub is the sandbox here."""
    real_connect = socket.socket.connect

    def guarded_connect(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and sock.family in (socket.AF_INET, socket.AF_INET6):
            if host not in ("localhost", "::1") and not host.startswith("127."):
                raise OSError(f"Tests may not reach the internet (tried {host}).")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture(autouse=True)
def no_rate_limit_carried_over():
    """Each test starts with no GitHub rate-limit budget known (tformance.github.budget)."""
    from tformance.github.budget import forget_budgets

    forget_budgets()
    yield
    forget_budgets()


@pytest.fixture
def team(db):
    return TeamFactory(name="Acme", slug="acme")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Globex", slug="globex")


@pytest.fixture
def owner(team):
    return MembershipFactory(
        team=team, user__username="owner@example.com", role=Membership.Role.ADMIN
    ).user


@pytest.fixture
def member(team):
    return MembershipFactory(team=team, user__username="member@example.com").user


@pytest.fixture
def outsider(other_team):
    return MembershipFactory(
        team=other_team, user__username="outsider@example.com", role=Membership.Role.ADMIN
    ).user


@pytest.fixture
def lonely_user(db):
    """Signed up, but in no team yet."""
    return UserFactory(username="lonely@example.com")


@pytest.fixture
def broker():
    """The in-memory test broker, emptied before and after the test."""
    import dramatiq

    stub = dramatiq.get_broker()
    stub.flush_all()
    yield stub
    stub.flush_all()


@pytest.fixture
def redis_broker():
    """Actors send to Redis for this test (the default test broker is in memory)."""
    from tests.helpers.workers import REDIS_URL, RedisBrokerSwap, redis_available

    if not redis_available():
        skip_or_fail(f"Redis is not reachable at {REDIS_URL}")
    with RedisBrokerSwap() as broker:
        yield broker


@pytest.fixture
def worker_factory(transactional_db, redis_broker, tmp_path, settings):
    """Start real `manage.py rundramatiq` processes on Redis and this test's database."""
    from django.db import connection

    from tests.helpers.workers import WorkerProcess, production_env

    if connection.vendor != "postgresql":
        skip_or_fail("worker processes share the test database, which needs PostgreSQL")
    workers = []

    def start(*, threads: int = 2, **env) -> WorkerProcess:
        worker_env = production_env(settings, **env)
        log_path = tmp_path / f"worker-{len(workers)}.log"
        worker = WorkerProcess(env=worker_env, log_path=log_path, threads=threads)
        workers.append(worker.start())
        return worker

    yield start
    for worker in workers:
        worker.stop()


CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture
def browser_page(monkeypatch):
    """A headless Debian Chromium page driven by Playwright (screenshots: `artifacts`)."""
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API drives its browser from an event loop in this thread; the test
    # body's ORM calls are still synchronous, so Django's async-safety guard must stand down.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        yield context.new_page()
        # The test body's queries ran while Playwright's event loop was active, which gives
        # them connections of their own; close those while the loop still is.
        from django.db import connections

        connections.close_all()
        context.close()
        browser.close()


@pytest.fixture
def artifacts() -> Path:
    """Where browser tests save screenshots (kept by CI as test artifacts)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
