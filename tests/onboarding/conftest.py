"""Wizard fixtures: the sandbox's GitHub (with an OAuth app), and a user at each step."""

import pytest

from github_sandbox.world import DEFAULT_ORG
from tests.factories import GitHubIntegrationFactory, TrackedRepositoryFactory
from tests.integrations.stub_http import http_stub  # noqa: F401
from tformance.onboarding.models import OnboardingProgress, PendingGitHubConnection
from tformance.teams.services import team_create

CLIENT_ID, CLIENT_SECRET = "Iv1.tformance-test", "s3cret-for-tests"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def sandbox(github_sandbox, settings):
    settings.GITHUB_BACKOFF_BASE_SECONDS = 0.01
    return github_sandbox


@pytest.fixture
def oauth_app(sandbox, settings):
    settings.GITHUB_OAUTH_CLIENT_ID = CLIENT_ID
    settings.GITHUB_OAUTH_CLIENT_SECRET = CLIENT_SECRET
    settings.SITE_URL = "http://testserver"
    sandbox.register_oauth_app(CLIENT_ID, CLIENT_SECRET)
    return sandbox


@pytest.fixture
def newcomer(client, lonely_user):
    """A signed-up user in no team yet, logged in."""
    client.force_login(lonely_user)
    return lonely_user


@pytest.fixture
def pending(newcomer, sandbox):
    """The newcomer connected GitHub with OAuth; the token waits for the team."""
    return PendingGitHubConnection.objects.create(
        user=newcomer,
        access_token=sandbox.token,
        token_scopes="repo, read:org",
        method=PendingGitHubConnection.Method.OAUTH,
        viewer_login="maya-chen",
    )


def make_wizard_team(user, sandbox, *, step=OnboardingProgress.Step.REPOS):
    team = team_create(name="Acme Corp", owner=user)
    GitHubIntegrationFactory(
        team=team,
        org_login=DEFAULT_ORG,
        org_id=sandbox.world.org(DEFAULT_ORG).id,
        access_token=sandbox.token,
    )
    OnboardingProgress.objects.create(team=team, furthest_step=step)
    return team


@pytest.fixture
def wizard_team(newcomer, sandbox):
    """The newcomer's team for the sandbox's `acme`, at the repositories step."""
    return make_wizard_team(newcomer, sandbox)


@pytest.fixture
def at_step(wizard_team):
    def move(step, repositories=()):
        OnboardingProgress.objects.filter(team=wizard_team).update(furthest_step=step)
        return [TrackedRepositoryFactory(team=wizard_team, full_name=name) for name in repositories]

    return move


def queued(broker, actor) -> list[dict]:
    """The keyword arguments of every message queued for `actor`."""
    import dramatiq

    queue = broker.queues[actor.queue_name]
    messages = [dramatiq.Message.decode(queue.get()) for _ in range(queue.qsize())]
    return [m.kwargs for m in messages if m.actor_name == actor.actor_name]
