"""Dramatiq actors of the Jira sync: ids in, load, call one service.

A rate limit is not a failure: the message is sent again at Jira's Retry-After. A transient
failure (5xx, a lost connection) is retried 3 times, 60 s x 2^n apart; a permanent one
(credentials rejected, project gone) stops at once, and the project shows why.
"""

import logging

import dramatiq
from django.utils import timezone
from dramatiq_crontab import cron

from tformance.jira.errors import JiraError, JiraRateLimited
from tformance.jira.models import JiraProject
from tformance.jira.services import jira_project_sync, jira_projects_sync_enqueue

logger = logging.getLogger(__name__)

RETRIES = {"max_retries": 3, "min_backoff": 60_000, "max_backoff": 3_600_000}


class PermanentJiraFailure(Exception):
    """Retrying cannot help; the project already shows the reason."""


@dramatiq.actor(**RETRIES, time_limit=30 * 60_000, throws=(PermanentJiraFailure,))
def sync_jira_project(*, project_id: int) -> None:
    project = JiraProject.objects.filter(pk=project_id, is_tracked=True).first()
    if project is None:
        logger.info("[jira] project %s is gone or not tracked; nothing to do", project_id)
        return
    try:
        jira_project_sync(project=project)
    except JiraRateLimited as exc:
        delay = max(1_000, int((exc.retry_at - timezone.now()).total_seconds() * 1000))
        sync_jira_project.send_with_options(kwargs={"project_id": project_id}, delay=delay)
    except JiraError as exc:
        if exc.permanent:
            raise PermanentJiraFailure(str(exc)) from exc
        raise


@cron("30 4 * * *")
@dramatiq.actor(max_retries=3, time_limit=5 * 60_000)
def sync_all_jira_projects() -> None:
    """Every night at 04:30 UTC, after the GitHub sync begins: every tracked project."""
    for team_id in (
        JiraProject.objects.filter(is_tracked=True).values_list("team_id", flat=True).distinct()
    ):
        jira_projects_sync_enqueue(team_id=team_id)
