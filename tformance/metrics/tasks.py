"""Dramatiq actors of the metrics: recompute a team's insights after a sync and nightly.

They run on their own `metrics` queue so that a burst of syncs never waits behind them
(and they never wait behind a long sync).
"""

import logging

import dramatiq
from dramatiq_crontab import cron

from tformance.metrics.insights.services import insights_refresh
from tformance.teams.models import Team

logger = logging.getLogger(__name__)


@dramatiq.actor(
    queue_name="metrics",
    max_retries=3,
    min_backoff=60_000,
    max_backoff=600_000,
    time_limit=5 * 60_000,
)
def insights_refresh_team(*, team_id: int) -> None:
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        logger.info("[insights] team %s is gone; nothing to do", team_id)
        return
    insights_refresh(team=team)


@cron("30 5 * * *")
@dramatiq.actor(queue_name="metrics", max_retries=3, time_limit=5 * 60_000)
def insights_refresh_all() -> None:
    """Every night at 05:30 UTC (after the 04:00 sync): trends move even without new PRs."""
    for team_id in Team.objects.values_list("pk", flat=True):
        insights_refresh_team.send(team_id=team_id)
