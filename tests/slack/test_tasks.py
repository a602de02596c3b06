"""The Slack actors: called directly for their logic, and the hourly sweep's messages."""

import datetime as dt

import dramatiq
from django.utils import timezone

from tests.helpers.factories import PullRequestFactory, SlackIntegrationFactory, TeamFactory
from tformance.integrations.models import SlackIntegration
from tformance.slack.models import AlertSent
from tformance.slack.tasks import slack_alerts_send_team, slack_digest_send_team, slack_digests_send


def test_the_alerts_actor_posts_the_teams_new_alerts(team, connected, slack, repository):
    PullRequestFactory(
        repository=repository,
        state="open",
        opened_at=timezone.now() - dt.timedelta(hours=30),
        merged_at=None,
    )

    slack_alerts_send_team.fn(team_id=team.pk)

    assert len(slack.messages()) == 1
    assert AlertSent.objects.filter(team=team).count() == 1


def test_the_actors_return_quietly_when_the_team_is_gone(db):
    slack_alerts_send_team.fn(team_id=999_999)
    slack_digest_send_team.fn(team_id=999_999)


def test_the_hourly_sweep_asks_only_teams_with_a_working_webhook(db, broker):
    working = SlackIntegrationFactory(team=TeamFactory())
    SlackIntegrationFactory(team=TeamFactory(), status=SlackIntegration.Status.BROKEN)

    slack_digests_send.fn()

    queue = broker.queues["metrics"]
    messages = [dramatiq.Message.decode(queue.get()) for _ in range(queue.qsize())]
    assert [(m.actor_name, m.kwargs) for m in messages] == [
        ("slack_digest_send_team", {"team_id": working.team_id})
    ]
