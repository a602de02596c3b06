"""Connecting the optional integrations: validate first, then store the encrypted settings."""

import logging

from django.contrib.auth.models import AbstractBaseUser

from tformance.core.secrets import token_fingerprint
from tformance.integrations.clients import (
    jira_myself,
    jira_site_normalize,
    slack_webhook_check_shape,
    slack_webhook_post,
)
from tformance.integrations.models import JiraIntegration, SlackIntegration
from tformance.teams.models import Team

logger = logging.getLogger(__name__)


def jira_integration_connect(
    *, team: Team, site_url: str, email: str, api_token: str, user: AbstractBaseUser
) -> JiraIntegration:
    """Check the credentials against the Jira site, then save them (raises IntegrationProblem)."""
    site = jira_site_normalize(site_url)
    account = jira_myself(site_url=site, email=email, api_token=api_token)
    integration, _ = JiraIntegration.objects.update_or_create(
        team=team,
        defaults={
            "site_url": site,
            "email": email,
            "api_token": api_token,
            "account_id": account.account_id,
            "display_name": account.display_name,
            "connected_by": user,
        },
    )
    return integration


def slack_integration_connect(
    *, team: Team, webhook_url: str, user: AbstractBaseUser
) -> SlackIntegration:
    """Check the webhook's shape, post a test message through it, then save it."""
    url = slack_webhook_check_shape(webhook_url)
    slack_webhook_post(
        url=url,
        text=f"Tformance is connected: {team.name}'s delivery updates will be posted here.",
    )
    integration, _ = SlackIntegration.objects.update_or_create(
        team=team,
        defaults={
            "webhook_url": url,
            "connected_by": user,
            "status": SlackIntegration.Status.ACTIVE,
            "error": "",
            "broken_at": None,
        },
    )
    # The URL is the secret: only its last part's fingerprint is logged.
    logger.info(
        "[slack] team %s: webhook connected (%s)",
        team.slug,
        token_fingerprint(url.rsplit("/", 1)[-1]),
    )
    return integration
