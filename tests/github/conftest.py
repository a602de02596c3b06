"""GitHub client tests run over real HTTP against the GitHub sandbox (github_sandbox/)."""

from __future__ import annotations

import logging

import pytest

from tests.helpers.github import SleepRecorder
from tformance.github.client import GitHubClient


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
