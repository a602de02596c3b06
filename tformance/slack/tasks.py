"""Dramatiq actors of the Slack notifications: ids in, load, call one service.

They run on the `metrics` queue with the insights, never in the way of a sync. Neither
needs Dramatiq's retries to be sure of a post: what was not sent is still due (the digest's
`digest_sent_at`, the alerts without an `AlertSent` row), so the next hourly check or the
next sync posts it. A gone webhook marks the integration broken and is not tried again.
"""

import logging

import dramatiq
from dramatiq_crontab import cron

from tformance.integrations.models import SlackIntegration
from tformance.slack.services import alerts_send, digest_send_due
from tformance.teams.models import Team

logger = logging.getLogger(__name__)

OPTIONS = {"queue_name": "metrics", "max_retries": 0, "time_limit": 2 * 60_000}


@dramatiq.actor(**OPTIONS)
def slack_alerts_send_team(*, team_id: int) -> None:
    """After a sync: the team's new working-agreement alerts, in one message."""
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        logger.info("[slack] team %s is gone; nothing to do", team_id)
        return
    alerts_send(team=team)


@dramatiq.actor(**OPTIONS)
def slack_digest_send_team(*, team_id: int) -> None:
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        logger.info("[slack] team %s is gone; nothing to do", team_id)
        return
    digest_send_due(team=team)


@cron("5 * * * *")
@dramatiq.actor(queue_name="metrics", max_retries=0, time_limit=60_000)
def slack_digests_send() -> None:
    """Every hour: each team with a working webhook checks whether its digest is due (its
    hour is on the team's clock, so any hour of the day may be one)."""
    active = SlackIntegration.objects.filter(status=SlackIntegration.Status.ACTIVE)
    for team_id in active.values_list("team_id", flat=True):
        slack_digest_send_team.send(team_id=team_id)
