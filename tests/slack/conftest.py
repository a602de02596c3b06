import pytest

from tests.helpers.factories import SlackIntegrationFactory, TrackedRepositoryFactory


@pytest.fixture
def connected(team, slack):
    """The team's webhook in the sandbox."""
    return SlackIntegrationFactory(team=team, webhook_url=slack.webhook_url())


@pytest.fixture
def repository(team):
    return TrackedRepositoryFactory(team=team, full_name="acme/api")
