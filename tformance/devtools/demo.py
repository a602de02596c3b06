"""The offline demo: a GitHub sandbox, a demo user, and optionally a team synced through
the real pipeline (OAuth-style connection, member sync, repository syncs in workers)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from github_sandbox.world import DEFAULT_ORG
from tformance.github.client import GitHubClient
from tformance.github.models import GitHubIntegration
from tformance.github.selectors import organization_team_get
from tformance.github.services import team_github_connect, token_check
from tformance.integrations.services import jira_integration_connect, slack_integration_connect
from tformance.jira.services import (
    jira_projects_load,
    jira_projects_sync_enqueue,
    jira_projects_track,
)
from tformance.sync.services import team_sync_enqueue
from tformance.teams.models import Membership, Team

DEMO_EMAIL = "demo@tformance.local"
DEMO_PASSWORD = "tformance-demo"
# The demo's Slack webhook on the sandbox (its posts show at /_sandbox/slack).
DEMO_SLACK_SECRET = "tformancedemo000000000000"
DEMO_OAUTH_CLIENT_ID = "tformance-demo"
DEMO_OAUTH_CLIENT_SECRET = "tformance-demo-secret"


def demo_point_at_sandbox(*, sandbox) -> dict[str, str]:
    """Make this process use the sandbox as GitHub; return the same as env for workers."""
    sandbox.register_oauth_app(DEMO_OAUTH_CLIENT_ID, DEMO_OAUTH_CLIENT_SECRET)
    env = {
        "GITHUB_URL": sandbox.url,
        "GITHUB_API_URL": sandbox.api_url,
        "GITHUB_OAUTH_CLIENT_ID": DEMO_OAUTH_CLIENT_ID,
        "GITHUB_OAUTH_CLIENT_SECRET": DEMO_OAUTH_CLIENT_SECRET,
    }
    for name, value in env.items():
        setattr(settings, name, value)
    env["SLACK_WEBHOOK_URL_PREFIX"] = sandbox.slack.webhook_url_prefix
    settings.SLACK_WEBHOOK_URL_PREFIX = env["SLACK_WEBHOOK_URL_PREFIX"]
    # The sandbox's Jira site and Slack webhooks are on loopback, which the outbound guard
    # refuses otherwise.
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    return env | {"OUTBOUND_ALLOW_LOOPBACK": "1"}


def demo_slack_webhook_url(*, sandbox) -> str:
    return sandbox.slack.webhook_url(secret=DEMO_SLACK_SECRET)


def demo_user_ensure():
    """The demo user, with the documented password (reset on every start)."""
    user, _ = get_user_model().objects.get_or_create(
        username=DEMO_EMAIL, defaults={"email": DEMO_EMAIL, "first_name": "Demo"}
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


@transaction.atomic
def demo_team_onboard(
    *, user, token: str, days_back: int = 180, jira=None, slack_webhook_url: str = ""
) -> Team:
    """Connect the demo org exactly as the wizard does, then queue the team's first sync;
    with `jira` and `slack_webhook_url`, connect those too (the digest goes out once the
    history is in)."""
    client = GitHubClient(token=token)
    checked = token_check(client=client, org_login=DEFAULT_ORG)
    team = organization_team_get(org_id=checked.organization.database_id) or (
        Team.objects.filter(memberships__user=user, slug__startswith=DEFAULT_ORG).first()
    )
    if team is not None:  # the org's team, maybe made in the wizard by someone else
        Membership.objects.update_or_create(
            team=team, user=user, defaults={"role": Membership.Role.ADMIN}
        )
    team = team_github_connect(
        checked=checked,
        token=token,
        method=GitHubIntegration.Method.OAUTH,
        team=team,
        owner=user,
        repositories=client.list_org_repositories(DEFAULT_ORG),
    )
    team.days_back = days_back
    team.onboarding_completed_at = team.onboarding_completed_at or timezone.now()
    team.save(update_fields=["days_back", "onboarding_completed_at"])
    team_sync_enqueue(team=team)
    if jira is not None:
        demo_jira_connect(team=team, user=user, jira=jira)
    if slack_webhook_url:
        slack_integration_connect(team=team, webhook_url=slack_webhook_url, user=user)
    return team


def demo_jira_connect(*, team: Team, user, jira) -> None:
    """Connect the sandbox's Jira site as the wizard does, track every project, sync them."""
    jira_integration_connect(
        team=team, site_url=jira.url, email=jira.email, api_token=jira.api_token, user=user
    )
    projects = jira_projects_load(team=team)
    jira_projects_track(team=team, keys=[project.key for project in projects])
    jira_projects_sync_enqueue(team_id=team.pk)
