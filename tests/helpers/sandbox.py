"""pytest fixtures: `github_sandbox` (fresh default world) and `github_sandbox_factory`."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from github_sandbox.testing import run_sandbox


@pytest.fixture
def github_sandbox_factory():
    """Call with run_sandbox() kwargs to start customised sandboxes; all close at teardown."""
    with ExitStack() as stack:

        def start(**kwargs):
            return stack.enter_context(run_sandbox(**kwargs))

        yield start


@pytest.fixture
def github_sandbox(github_sandbox_factory, request):
    """A fresh default world with no faults; Django's GITHUB_URL/GITHUB_API_URL point at it."""
    handle = github_sandbox_factory()
    try:
        settings = request.getfixturevalue("settings")  # pytest-django
    except pytest.FixtureLookupError:
        settings = None
    if settings is not None:
        settings.GITHUB_URL = handle.url
        settings.GITHUB_API_URL = handle.api_url
    return handle


@pytest.fixture
def slack(github_sandbox, settings):
    """The sandbox's Slack webhooks; outbound posts may reach it on loopback."""
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    settings.SLACK_WEBHOOK_URL_PREFIX = github_sandbox.slack.webhook_url_prefix
    settings.SITE_URL = "https://app.tformance.test"
    return github_sandbox.slack
