"""Jira records, its fixed catalogues (statuses, issue types, fields) and its time format."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

# name -> (status id, category key); category ids and names as Jira has them.
STATUSES = {
    "To Do": ("10000", "new"),
    "In Progress": ("3", "indeterminate"),
    "In Review": ("10001", "indeterminate"),
    "Done": ("10002", "done"),
}
CATEGORIES = {
    "new": (2, "To Do", "blue-gray"),
    "indeterminate": (4, "In Progress", "yellow"),
    "done": (3, "Done", "green"),
}
# name -> (id, subtask, hierarchyLevel)
ISSUE_TYPES = {
    "Story": ("10001", False, 0),
    "Task": ("10002", False, 0),
    "Bug": ("10004", False, 0),
    "Sub-task": ("10003", True, -1),
}
STORY_POINTS_FIELD = "customfield_10016"
SPRINT_FIELD = "customfield_10020"


def jira_time(value: datetime | None) -> str | None:
    """Jira's datetime: `2026-11-30T10:15:00.000+0000` (milliseconds, offset without colon)."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def sprint_time(value: datetime | None) -> str | None:
    """The Sprint field's dates are ISO instants in UTC: `2026-11-30T10:15:00.000Z`."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass(eq=False)
class JiraAccount:
    account_id: str
    display_name: str
    email: str
    login: str = ""  # the GitHub login of the same person, for tests


@dataclass(eq=False)
class Project:
    id: str
    key: str
    name: str
    lead: JiraAccount
    project_type: str = "software"
    simplified: bool = False
    deleted: bool = False


@dataclass(eq=False)
class Sprint:
    id: int
    name: str
    board_id: int
    start: datetime
    end: datetime
    state: str  # closed | active | future
    complete: datetime | None = None


@dataclass(eq=False)
class ChangelogEntry:
    id: str
    author: JiraAccount
    created: datetime
    items: list[dict]


@dataclass(eq=False)
class Issue:
    id: str
    key: str
    project: Project
    issue_type: str
    summary: str
    status: str
    assignee: JiraAccount | None
    reporter: JiraAccount
    created: datetime
    updated: datetime
    resolutiondate: datetime | None = None
    story_points: float | None = None
    sprints: list[Sprint] = field(default_factory=list)
    parent: Issue | None = None
    history: list[ChangelogEntry] = field(default_factory=list)

    @property
    def visible(self) -> bool:
        return not self.project.deleted
