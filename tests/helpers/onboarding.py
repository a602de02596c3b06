"""The wizard's test setup: the OAuth app's credentials, a team at a step, queued messages."""

import dramatiq

from github_sandbox.world import DEFAULT_ORG
from tests.helpers.factories import GitHubIntegrationFactory
from tformance.onboarding.models import OnboardingProgress
from tformance.teams.services import team_create

CLIENT_ID, CLIENT_SECRET = "Iv1.tformance-test", "s3cret-for-tests"


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


def queued(broker, actor) -> list[dict]:
    """The keyword arguments of every message queued for `actor`."""
    queue = broker.queues[actor.queue_name]
    messages = [dramatiq.Message.decode(queue.get()) for _ in range(queue.qsize())]
    return [m.kwargs for m in messages if m.actor_name == actor.actor_name]
