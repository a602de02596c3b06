"""Jira Cloud's REST API v3, the part Tformance reads: one small client of verb-first
methods returning plain data.

Basic auth with the connected account's email and API token; every request goes through the
outbound guard (the site is typed by a user). Failures are the typed `JiraError`s; no
token is ever logged or put in a message.
Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/
Reference: https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

import requests
from django.conf import settings
from django.utils import timezone

from tformance.core.outbound import OutboundProblem, outbound_request
from tformance.jira.errors import (
    JiraCredentialsRejected,
    JiraError,
    JiraForbidden,
    JiraProjectGone,
    JiraRateLimited,
    JiraUnavailable,
)

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 30
USER_AGENT = "Tformance"
# Issues per search page: settings.JIRA_PAGE_SIZE. Jira caps a page of issues with fields
# at 100, whatever maxResults asks.
# Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
PROJECTS_PAGE_SIZE = 50
CHANGELOG_PAGE_SIZE = 100
# When Jira gives no Retry-After with a 429 or a 503 (it may not), wait this long.
# Reference: https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
DEFAULT_RETRY_SECONDS = 60
STORY_POINT_FIELD_NAMES = ("story points", "story point estimate")
SPRINT_FIELD_SCHEMA = "com.pyxis.greenhopper.jira:gh-sprint"


@dataclasses.dataclass(frozen=True)
class JiraProjectInfo:
    jira_id: str
    key: str
    name: str


@dataclasses.dataclass(frozen=True)
class JiraFields:
    """The site's own ids of the custom fields Tformance reads ("" where it has none)."""

    story_points: str = ""
    sprint: str = ""


@dataclasses.dataclass(frozen=True)
class StatusChange:
    at: dt.datetime
    to_status_id: str
    to_status: str


@dataclasses.dataclass(frozen=True)
class JiraIssueRecord:
    jira_id: str
    key: str
    project_key: str
    summary: str
    issue_type: str
    is_subtask: bool
    status: str
    status_category: str  # "new", "indeterminate" or "done"
    assignee_account_id: str
    assignee_name: str
    story_points: float | None
    sprint: str
    created_at: dt.datetime
    updated_at: dt.datetime
    resolved_at: dt.datetime | None
    status_changes: tuple[StatusChange, ...]  # oldest first, every one


@dataclasses.dataclass(frozen=True)
class JiraIssuePage:
    issues: list[JiraIssueRecord]
    next_page_token: str  # "" after the last page


def jira_datetime(value: str | None) -> dt.datetime | None:
    """Jira's `2026-11-30T10:15:00.000+0000` as an aware datetime."""
    if not value:
        return None
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%f%z")


class JiraClient:
    def __init__(self, *, site_url: str, email: str, api_token: str) -> None:
        self.site_url = site_url.rstrip("/")
        self._auth = (email, api_token)
        self.requests = 0

    # --- reads -------------------------------------------------------------------------

    def get_myself(self) -> dict:
        # Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/#api-rest-api-3-myself-get
        return self._request("GET", "/rest/api/3/myself", what="the account")

    def list_projects(self) -> list[JiraProjectInfo]:
        """Every project the account can browse, paged to the end."""
        # Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-projects/#api-rest-api-3-project-search-get
        found, start = [], 0
        while True:
            page = self._request(
                "GET",
                "/rest/api/3/project/search",
                params={"startAt": start, "maxResults": PROJECTS_PAGE_SIZE, "orderBy": "key"},
                what="the projects",
            )
            values = page.get("values") or []
            found += [
                JiraProjectInfo(str(p["id"]), p["key"], p.get("name") or p["key"]) for p in values
            ]
            start += len(values)
            if page.get("isLast", True) or not values:
                return found

    def get_fields(self) -> JiraFields:
        """The site's story-point and sprint fields, found by name and type."""
        # Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-fields/#api-rest-api-3-field-get
        fields = self._request("GET", "/rest/api/3/field", what="the fields")
        story_points = sprint = ""
        for field in fields:
            name = (field.get("name") or "").strip().lower()
            custom = (field.get("schema") or {}).get("custom", "")
            if not story_points and name in STORY_POINT_FIELD_NAMES:
                story_points = field["id"]
            if not sprint and custom == SPRINT_FIELD_SCHEMA:
                sprint = field["id"]
        return JiraFields(story_points=story_points, sprint=sprint)

    def list_status_categories(self) -> dict[str, str]:
        """{status id: its category key} for every status of the site."""
        # Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-workflow-statuses/#api-rest-api-3-status-get
        statuses = self._request("GET", "/rest/api/3/status", what="the statuses")
        return {str(s["id"]): ((s.get("statusCategory") or {}).get("key") or "") for s in statuses}

    def get_issue_page(
        self, *, jql: str, fields: JiraFields, project_key: str, page_token: str = ""
    ) -> JiraIssuePage:
        """One page of the issues `jql` finds, each with every status change."""
        # Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
        wanted = [
            "summary",
            "issuetype",
            "status",
            "assignee",
            "created",
            "updated",
            "resolutiondate",
            "project",
            *(f for f in (fields.story_points, fields.sprint) if f),
        ]
        body: dict[str, Any] = {
            "jql": jql,
            "maxResults": settings.JIRA_PAGE_SIZE,
            "fields": wanted,
            "expand": "changelog",
        }
        if page_token:
            body["nextPageToken"] = page_token
        page = self._request(
            "POST", "/rest/api/3/search/jql", json=body, what="the issues", project_key=project_key
        )
        issues = [self._issue(raw, fields=fields) for raw in page.get("issues") or []]
        # The last page has no token (and may say isLast); a token is the only way on.
        token = "" if page.get("isLast") else (page.get("nextPageToken") or "")
        return JiraIssuePage(issues=issues, next_page_token=token)

    def list_status_changes(self, key: str) -> list[StatusChange]:
        """Every status change of an issue, oldest first, paged to the end."""
        # Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-changelog-get
        histories, start = [], 0
        while True:
            page = self._request(
                "GET",
                f"/rest/api/3/issue/{key}/changelog",
                params={"startAt": start, "maxResults": CHANGELOG_PAGE_SIZE},
                what=f"the history of {key}",
            )
            values = page.get("values") or []
            histories += values
            start += len(values)
            if page.get("isLast", True) or not values:
                return _status_changes(histories)

    # --- parsing -----------------------------------------------------------------------

    def _issue(self, raw: dict, *, fields: JiraFields) -> JiraIssueRecord:
        f = raw.get("fields") or {}
        status = f.get("status") or {}
        issue_type = f.get("issuetype") or {}
        assignee = f.get("assignee") or {}
        changelog = raw.get("changelog") or {}
        histories = changelog.get("histories") or []
        # The search gives at most the latest histories; the rest come page by page.
        if changelog.get("total", len(histories)) > len(histories):
            changes = tuple(self.list_status_changes(raw["key"]))
        else:
            changes = tuple(_status_changes(histories))
        return JiraIssueRecord(
            jira_id=str(raw["id"]),
            key=raw["key"],
            project_key=(f.get("project") or {}).get("key") or raw["key"].rsplit("-", 1)[0],
            summary=f.get("summary") or "",
            issue_type=issue_type.get("name") or "",
            is_subtask=bool(issue_type.get("subtask")),
            status=status.get("name") or "",
            status_category=(status.get("statusCategory") or {}).get("key") or "",
            assignee_account_id=assignee.get("accountId") or "",
            assignee_name=assignee.get("displayName") or "",
            story_points=_number(f.get(fields.story_points)) if fields.story_points else None,
            sprint=_sprint(f.get(fields.sprint)) if fields.sprint else "",
            created_at=jira_datetime(f.get("created")),
            updated_at=jira_datetime(f.get("updated")),
            resolved_at=jira_datetime(f.get("resolutiondate")),
            status_changes=changes,
        )

    # --- transport ---------------------------------------------------------------------

    def _request(self, method: str, path: str, *, what: str, project_key: str = "", **kwargs):
        url = f"{self.site_url}{path}"
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        self.requests += 1
        try:
            response = outbound_request(
                method, url, auth=self._auth, headers=headers, timeout=TIMEOUT_SECONDS, **kwargs
            )
        except OutboundProblem as exc:
            raise JiraError(str(exc), permanent=True) from exc
        except requests.RequestException as exc:
            raise JiraUnavailable(f"Could not reach Jira at {self.site_url}; retrying.") from exc
        status = response.status_code
        logger.info("[jira] %s %s answered %s", method, path.split("?")[0], status)
        if status == 200:
            try:
                return response.json()
            except ValueError as exc:
                raise JiraUnavailable(f"Jira at {self.site_url} answered with no JSON.") from exc
        if status == 401:
            raise JiraCredentialsRejected(self.site_url)
        if status == 403:
            raise JiraForbidden(what)
        if status == 429 or (status == 503 and response.headers.get("Retry-After")):
            raise JiraRateLimited(_retry_at(response))
        if status == 400 and project_key and _project_missing(response, project_key):
            raise JiraProjectGone(project_key)
        if status == 404 and project_key:
            raise JiraProjectGone(project_key)
        if status >= 500:
            raise JiraUnavailable(
                f"Jira had a problem (HTTP {status}) reading {what}; retrying.", status=status
            )
        raise JiraError(
            f"Jira refused to give {what} (HTTP {status}): {_messages(response)}",
            permanent=True,
            status=status,
        )


def _status_changes(histories: list[dict]) -> list[StatusChange]:
    changes = []
    for history in histories:
        at = jira_datetime(history.get("created"))
        for item in history.get("items") or []:
            if item.get("field") == "status" and at is not None:
                changes.append(
                    StatusChange(at, str(item.get("to") or ""), item.get("toString") or "")
                )
    return sorted(changes, key=lambda change: change.at)


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _sprint(value) -> str:
    """The latest of the issue's sprints (Jira lists every sprint it was in)."""
    if not isinstance(value, list) or not value:
        return ""
    sprints = [s for s in value if isinstance(s, dict)]
    active = [s for s in sprints if s.get("state") == "active"]
    chosen = (active or sprints or [{}])[-1]
    return str(chosen.get("name") or "")


def _retry_at(response: requests.Response) -> dt.datetime:
    try:
        seconds = float(response.headers.get("Retry-After", ""))
    except ValueError:
        seconds = DEFAULT_RETRY_SECONDS
    return timezone.now() + dt.timedelta(seconds=max(1.0, seconds))


def _messages(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    return "; ".join(str(m) for m in body.get("errorMessages") or [])[:300]


def _project_missing(response: requests.Response, key: str) -> bool:
    """Jira's 400 for a JQL naming a project that is gone (or hidden from the account)."""
    text = _messages(response).lower()
    return (
        "project" in text
        and key.lower() in text
        and ("does not exist" in text or "not exist" in text or "no permission" in text)
    )


def issues_iter(client: JiraClient, **kwargs) -> Iterator[JiraIssuePage]:
    """Every page of `get_issue_page`, from `page_token` to the last."""
    token = kwargs.pop("page_token", "")
    while True:
        page = client.get_issue_page(page_token=token, **kwargs)
        yield page
        if not page.next_page_token:
            return
        token = page.next_page_token
