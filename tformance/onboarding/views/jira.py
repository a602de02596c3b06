"""Picking the Jira projects to track: in the wizard after connecting, and in settings."""

import dataclasses

from tformance.jira.errors import JiraError
from tformance.jira.models import JiraProject
from tformance.jira.services import (
    jira_projects_load,
    jira_projects_sync_enqueue,
    jira_projects_track,
)


@dataclasses.dataclass
class ProjectPick:
    projects: list[JiraProject] = dataclasses.field(default_factory=list)
    error: str = ""  # what is wrong with the choice
    problem: str = ""  # Jira could not list the projects
    saved: bool = False

    @property
    def status(self) -> int:
        return 502 if self.problem else 400 if self.error else 200


def jira_projects_pick(*, team, chosen: list[str] | None) -> ProjectPick:
    """The projects as Jira lists them now; with `chosen` keys, track those and queue them."""
    try:
        pick = ProjectPick(projects=jira_projects_load(team=team))
    except JiraError as exc:
        return ProjectPick(problem=exc.message)
    if chosen is None:
        return pick
    keys = chosen
    if not keys:
        pick.error = "Pick at least one project, or skip Jira for now."
    elif not set(keys) <= {project.key for project in pick.projects}:
        pick.error = "Some of those projects are not on your Jira site any more; pick again."
    else:
        jira_projects_track(team=team, keys=keys)
        jira_projects_sync_enqueue(team_id=team.pk)
        pick.saved = True
    return pick
