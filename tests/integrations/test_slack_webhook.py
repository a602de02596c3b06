"""Posting Block Kit messages through a webhook, over real HTTP to the sandbox's Slack."""

import pytest

from tests.helpers.factories import SlackIntegrationFactory
from tformance.integrations.clients import (
    IntegrationProblem,
    SlackWebhookGone,
    slack_webhook_post,
)
from tformance.integrations.models import SlackIntegration
from tformance.integrations.services import slack_integration_connect


def test_blocks_are_posted_with_their_text_fallback(slack):
    url = slack.webhook_url()
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Hi*"}}]

    slack_webhook_post(url=url, text="Hi", blocks=blocks)

    (message,) = slack.messages(url)
    assert (message.text, message.blocks) == ("Hi", blocks)


@pytest.mark.parametrize("error", ["no_service", "channel_is_archived", "team_disabled"])
def test_a_removed_or_archived_webhook_is_gone_for_good(slack, error):
    url = slack.webhook_url()
    slack.revoke(url, error=error)

    with pytest.raises(SlackWebhookGone):
        slack_webhook_post(url=url, text="Hi")


def test_blocks_slack_refuses_are_a_problem_but_not_a_gone_webhook(slack):
    too_many = [{"type": "divider"}] * 51

    with pytest.raises(IntegrationProblem, match="layout") as refused:
        slack_webhook_post(url=slack.webhook_url(), text="Hi", blocks=too_many)

    assert not isinstance(refused.value, SlackWebhookGone)


def test_connecting_again_repairs_a_broken_integration(team, owner, slack):
    SlackIntegrationFactory(
        team=team, status=SlackIntegration.Status.BROKEN, error="Slack says this webhook is gone"
    )

    integration = slack_integration_connect(team=team, webhook_url=slack.webhook_url(), user=owner)

    integration.refresh_from_db()
    assert integration.status == SlackIntegration.Status.ACTIVE
    assert (integration.error, integration.broken_at) == ("", None)
    (test_post,) = slack.messages()
    assert test_post.text.startswith("Tformance is connected")
