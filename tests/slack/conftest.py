import pytest

from tests.helpers.factories import SlackIntegrationFactory, TrackedRepositoryFactory


@pytest.fixture
def slack(github_sandbox, settings):
    """The sandbox's Slack webhooks; outbound posts may reach it on loopback."""
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    settings.SLACK_WEBHOOK_URL_PREFIX = github_sandbox.slack.webhook_url_prefix
    settings.SITE_URL = "https://app.tformance.test"
    return github_sandbox.slack


@pytest.fixture
def connected(team, slack):
    """The team's webhook in the sandbox."""
    return SlackIntegrationFactory(team=team, webhook_url=slack.webhook_url())


@pytest.fixture
def repository(team):
    return TrackedRepositoryFactory(team=team, full_name="acme/api")
