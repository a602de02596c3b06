"""Reads of the team's optional integrations (Jira, Slack)."""

from tformance.integrations.models import JiraIntegration, SlackIntegration
from tformance.teams.models import Team


def jira_integration_get(*, team: Team) -> JiraIntegration | None:
    return JiraIntegration.objects.filter(team=team).first()


def slack_integration_get(*, team: Team) -> SlackIntegration | None:
    return SlackIntegration.objects.filter(team=team).first()
