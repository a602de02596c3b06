"""GitHub client tests run over real HTTP against the GitHub sandbox (tformance/sandbox)."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import pytest

from tformance.github.client import GitHubClient

if importlib.util.find_spec("tformance.sandbox.pytest_plugin") is not None:
    pytest_plugins = ["tformance.sandbox.pytest_plugin"]
else:  # the sandbox is being written concurrently; until it lands these tests skip

    @pytest.fixture
    def github_sandbox():
        pytest.skip("tformance.sandbox.pytest_plugin is not available yet")

    @pytest.fixture
    def github_sandbox_factory():
        pytest.skip("tformance.sandbox.pytest_plugin is not available yet")


SANDBOX_SCHEMA = Path(__file__).resolve().parents[2] / "tformance" / "sandbox" / "schema.graphql"
SANDBOX_HAS_FULL_DATABASE_ID = (
    SANDBOX_SCHEMA.exists() and "fullDatabaseId" in SANDBOX_SCHEMA.read_text(encoding="utf-8")
)
# GitHub deprecated PullRequest/PullRequestReview.databaseId on 2024-03-01 ("does not support
# 64-bit signed integer identifiers. Use `fullDatabaseId` instead."). The sandbox gives reviews
# ids above 2^31 (faithfully) but has no fullDatabaseId yet, so review ids cannot be read.
# Strict: these must pass as soon as the sandbox schema gains the field.
needs_full_database_id = pytest.mark.xfail(
    not SANDBOX_HAS_FULL_DATABASE_ID,
    reason="sandbox schema lacks fullDatabaseId on PullRequest/PullRequestReview",
    strict=True,
)


class SleepRecorder:
    """Stands in for time.sleep: records the waits instead of waiting."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def make_client(github_sandbox, sleeps):
    """GitHubClient factory for the sandbox: fast backoff, recorded sleeps."""
    clients: list[GitHubClient] = []

    def make(**kwargs) -> GitHubClient:
        kwargs.setdefault("token", github_sandbox.token)
        kwargs.setdefault("backoff_base_seconds", 0.001)
        kwargs.setdefault("backoff_max_seconds", 0.01)
        kwargs.setdefault("sleep", sleeps)
        client = GitHubClient(**kwargs)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client) -> GitHubClient:
    return make_client()


@pytest.fixture
def all_logs(caplog):
    """Capture every logger at DEBUG (including urllib3 and PyGithub's "github")."""
    caplog.set_level(logging.DEBUG)
    for name in ("urllib3", "github", "tformance.github"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog
