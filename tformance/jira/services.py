"""Writes of the Jira integration: the projects a team tracks, and their issues' sync.

A project's sync reads the issues updated since its watermark, oldest update first, a page
at a time; each issue is written whole (its fields and when work on it started), and after
each page the run checkpoints Jira's token for the next one, so an interrupted run goes on
where it stopped. A run that ends moves the watermark to when it began (less an overlap:
JQL compares to the minute). Every failure is on the project for the user to see.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.utils import timezone

from tformance.core.queue import actor_named, send_on_commit
from tformance.integrations.models import JiraIntegration
from tformance.jira.client import JiraClient, JiraIssueRecord, JiraProjectInfo, issues_iter
from tformance.jira.errors import JiraError, JiraRateLimited
from tformance.jira.models import JiraIssue, JiraProject, JiraSyncStatus, StatusCategory
from tformance.teams.models import Team

logger = logging.getLogger(__name__)

# JQL's dates have minutes only, in the account's time zone: read a little before.
OVERLAP = dt.timedelta(minutes=5)


def jira_client_for_team(*, team: Team) -> JiraClient | None:
    integration = JiraIntegration.objects.filter(team=team).first()
    if integration is None:
        return None
    return JiraClient(
        site_url=integration.site_url, email=integration.email, api_token=integration.api_token
    )


def jira_projects_refresh(*, team: Team, projects: list[JiraProjectInfo]) -> list[JiraProject]:
    """The team's known projects as Jira lists them now (tracked ones stay tracked)."""
    rows = []
    for info in projects:
        row, _ = JiraProject.objects.update_or_create(
            team=team, key=info.key, defaults={"jira_id": info.jira_id, "name": info.name}
        )
        rows.append(row)
    return rows


def jira_projects_load(*, team: Team) -> list[JiraProject]:
    """The projects the connected account can browse, as Jira lists them now."""
    client = jira_client_for_team(team=team)
    if client is None:
        return []
    return jira_projects_refresh(team=team, projects=client.list_projects())


def jira_projects_track(*, team: Team, keys: list[str]) -> list[JiraProject]:
    """Track exactly these of the team's projects; the rest stop (their issues stay)."""
    projects = JiraProject.objects.filter(team=team)
    projects.exclude(key__in=keys).update(is_tracked=False)
    projects.filter(key__in=keys).update(is_tracked=True)
    return list(projects.filter(is_tracked=True))


def jira_projects_sync_enqueue(*, team_id: int) -> int:
    """Queue a sync of each of the team's tracked projects, once the caller commits."""
    projects = JiraProject.objects.filter(team_id=team_id, is_tracked=True)
    ids = list(projects.values_list("pk", flat=True))
    projects.exclude(status=JiraSyncStatus.SYNCING).update(status=JiraSyncStatus.QUEUED)
    for project_id in ids:
        send_on_commit(actor_named("sync_jira_project"), project_id=project_id)
    return len(ids)


@dataclasses.dataclass
class JiraSyncResult:
    issues: int = 0
    pages: int = 0
    requests: int = 0
    status: str = JiraSyncStatus.NEVER


def jira_project_sync(*, project: JiraProject, client: JiraClient | None = None) -> JiraSyncResult:
    """Sync the project's issues from its checkpoint to the end (see the module's doc).

    Raises `JiraError` after recording it on the project (permanent: FAILED; a rate limit
    or a transient failure: RETRYING, resumed from the checkpoint by the next call).
    """
    result = JiraSyncResult()
    client = client or jira_client_for_team(team=project.team)
    if client is None:
        _project_state(project, status=JiraSyncStatus.FAILED, error="Jira is not connected.")
        result.status = project.status
        return result
    before = client.requests
    try:
        _run(project=project, client=client, result=result)
    except JiraError as exc:
        status = JiraSyncStatus.FAILED if exc.permanent else JiraSyncStatus.RETRYING
        retry_at = exc.retry_at if isinstance(exc, JiraRateLimited) else None
        _project_state(project, status=status, error=exc.message, retry_at=retry_at)
        raise
    finally:
        result.requests = client.requests - before
    result.status = project.status
    return result


def _run(*, project: JiraProject, client: JiraClient, result: JiraSyncResult) -> None:
    if not project.page_token or project.run_started_at is None:
        project.run_started_at = timezone.now()
        project.issues_done = 0
    _project_state(project, status=JiraSyncStatus.SYNCING, error="")
    account = client.get_myself()
    fields = client.get_fields()
    categories = client.list_status_categories()
    jql = _jql(project=project, account_time_zone=account.get("timeZone") or "UTC")
    pages = issues_iter(
        client, jql=jql, fields=fields, project_key=project.key, page_token=project.page_token
    )
    for page in pages:
        for record in page.issues:
            jira_issue_write(project=project, record=record, categories=categories)
        result.pages += 1
        result.issues += len(page.issues)
        project.issues_done += len(page.issues)
        project.page_token = page.next_page_token
        project.save(update_fields=["page_token", "issues_done"])
    project.watermark = project.run_started_at - OVERLAP
    project.page_token = ""
    project.last_synced_at = timezone.now()
    project.save(update_fields=["watermark", "page_token", "last_synced_at"])
    _project_state(project, status=JiraSyncStatus.COMPLETE, error="")


def _jql(*, project: JiraProject, account_time_zone: str) -> str:
    """The run's JQL: the project's issues updated since the watermark, oldest first.

    JQL reads a date as in the account's own time zone (`/myself`'s timeZone).
    Reference: https://support.atlassian.com/jira-software-cloud/docs/jql-fields/#Updated
    """
    key = project.key.replace('"', "")
    jql = f'project = "{key}"'
    if project.watermark is not None:
        try:
            zone = ZoneInfo(account_time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        since = project.watermark.astimezone(zone)
        jql += f' AND updated >= "{since:%Y-%m-%d %H:%M}"'
    return jql + " ORDER BY updated ASC"


def jira_issue_write(
    *, project: JiraProject, record: JiraIssueRecord, categories: dict[str, str]
) -> JiraIssue:
    """Upsert one issue whole: its fields and when work on it started."""
    started = next(
        (
            change.at
            for change in record.status_changes
            if categories.get(change.to_status_id) == StatusCategory.IN_PROGRESS
        ),
        None,
    )
    category = record.status_category
    if category not in StatusCategory.values:
        category = StatusCategory.UNKNOWN
    with transaction.atomic():
        issue, _ = JiraIssue.objects.update_or_create(
            team=project.team,
            key=record.key,
            defaults={
                "project": project,
                "jira_id": record.jira_id,
                "summary": record.summary,
                "issue_type": record.issue_type,
                "is_subtask": record.is_subtask,
                "status": record.status,
                "status_category": category,
                "assignee_account_id": record.assignee_account_id,
                "assignee_name": record.assignee_name,
                "story_points": record.story_points,
                "sprint": record.sprint,
                "created_at": record.created_at,
                "updated_at": record.updated_at,
                "resolved_at": record.resolved_at,
                "started_at": started,
                "synced_at": timezone.now(),
            },
        )
    return issue


def _project_state(
    project: JiraProject, *, status: str, error: str, retry_at: dt.datetime | None = None
) -> None:
    project.status, project.error, project.retry_at = status, error, retry_at
    project.save(update_fields=["status", "error", "retry_at"])
