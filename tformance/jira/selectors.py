"""Reads of the Jira integration: which issues a PR links to, and delivery by issue.

A PR links to the issues of tracked projects whose keys it mentions (`issue_keys`, most
trusted first); a key of an issue Tformance has not synced (a typo, a deleted issue) links
nothing. Every number here reads the dashboard's filters (period, repositories, people,
bots) through the same PR querysets as the rest of the dashboard.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from collections import Counter, defaultdict

from django.db.models import Count

from tformance.integrations.models import JiraIntegration
from tformance.jira.models import JiraIssue, JiraProject
from tformance.metrics.filters import MetricFilters, pull_requests_scoped
from tformance.metrics.weeks import week_starts
from tformance.teams.models import Team

UNLINKED_SHOWN = 50


class WorkKind:
    """What an issue's type says the work was; the work mix's three rows."""

    BUG = "bug"
    FEATURE = "feature"
    CHORE = "chore"
    LABELS = {BUG: "Bugs", FEATURE: "Features", CHORE: "Chores"}


FEATURE_TYPES = {"story", "feature", "new feature", "improvement", "epic"}


def work_kind(issue_type: str) -> str:
    """Bug, feature or chore (tasks, sub-tasks and every other type) from Jira's type name."""
    name = issue_type.strip().lower()
    if name == "bug":
        return WorkKind.BUG
    return WorkKind.FEATURE if name in FEATURE_TYPES else WorkKind.CHORE


def tracked_project_keys(*, team: Team) -> set[str]:
    return set(JiraProject.objects.filter(team=team, is_tracked=True).values_list("key", flat=True))


def _integration(team: Team) -> JiraIntegration | None:
    # Through the relation: the dashboard's team comes with it (no query of its own).
    try:
        return team.jira_integration
    except JiraIntegration.DoesNotExist:
        return None


def jira_browse_base(*, team: Team) -> str:
    """Where an issue key opens in Jira: `<site>/browse/` ("" without Jira)."""
    integration = _integration(team)
    return f"{integration.site_url.rstrip('/')}/browse/" if integration else ""


def linked_keys(issue_keys: list[str], *, tracked: set[str], known: set[str] | None = None):
    """The keys a PR links by: of tracked projects (and synced, if `known` is given)."""
    return [
        key
        for key in issue_keys
        if key.rsplit("-", 1)[0] in tracked and (known is None or key in known)
    ]


def jira_issue_keys_linkable(*, team: Team) -> set[str] | None:
    """Every key a PR can link to (synced issues of tracked projects); None without Jira."""
    if _integration(team) is None:
        return None
    tracked = tracked_project_keys(team=team)
    keys = JiraIssue.objects.filter(team=team, project__is_tracked=True).values_list(
        "key", flat=True
    )
    return set(linked_keys(list(keys), tracked=tracked))


@dataclasses.dataclass
class JiraDelivery:
    tracked: list[str]
    merged: int = 0
    linked: int = 0
    issues: int = 0  # issues linked by the period's merged PRs
    lead_time_median: float | None = None  # seconds, "in progress" to the last linked merge
    lead_times: int = 0  # issues it is the median of
    prs_per_issue: float | None = None
    mix: list[dict] = dataclasses.field(default_factory=list)  # a row per week
    unlinked: list[dict] = dataclasses.field(default_factory=list)
    unlinked_count: int = 0
    browse: str = ""

    @property
    def linked_share(self) -> float | None:
        return self.linked / self.merged if self.merged else None


def jira_delivery(*, filters: MetricFilters) -> JiraDelivery:
    """The period's merged PRs by the Jira issues they link to."""
    team = filters.team
    tracked = tracked_project_keys(team=team)
    found = JiraDelivery(tracked=sorted(tracked), browse=jira_browse_base(team=team))
    if not tracked:
        return found
    # Every merge since the period's start: an issue's last linked merge may come after it.
    rows = list(
        pull_requests_scoped(filters=filters)
        .filter(merged_at__gte=filters.start)
        .order_by("-merged_at", "-id")
        .values("id", "number", "title", "url", "merged_at", "issue_keys", "repository__full_name")
    )
    candidates = {k for row in rows for k in linked_keys(row["issue_keys"], tracked=tracked)}
    issues = {
        i.key: i
        for i in JiraIssue.objects.filter(
            team=team, key__in=candidates, project__is_tracked=True
        ).only("key", "issue_type", "started_at")
    }
    known = set(issues)
    last_merge: dict[str, dt.datetime] = {}
    in_period = [row for row in rows if row["merged_at"] < filters.end]
    for row in rows:
        row["links"] = linked_keys(row["issue_keys"], tracked=tracked, known=known)
        for key in row["links"]:
            last_merge[key] = max(last_merge.get(key, row["merged_at"]), row["merged_at"])
    found.merged = len(in_period)
    linked_rows = [row for row in in_period if row["links"]]
    found.linked = len(linked_rows)
    per_issue = Counter(key for row in linked_rows for key in row["links"])
    found.issues = len(per_issue)
    if per_issue:
        found.prs_per_issue = sum(per_issue.values()) / len(per_issue)
    lead = [
        (last_merge[key] - issues[key].started_at).total_seconds()
        for key in per_issue
        if issues[key].started_at is not None
        and filters.start <= last_merge[key] < filters.end
        and last_merge[key] > issues[key].started_at
    ]
    found.lead_times = len(lead)
    found.lead_time_median = statistics.median(lead) if lead else None
    found.mix = _mix(filters=filters, rows=in_period, issues=issues)
    unlinked = [row for row in in_period if not row["links"]]
    found.unlinked_count = len(unlinked)
    found.unlinked = unlinked[:UNLINKED_SHOWN]
    return found


def _mix(*, filters: MetricFilters, rows: list[dict], issues: dict) -> list[dict]:
    """Per week (Monday, team time zone): merged PRs by the kind of their first linked issue."""
    weeks = {monday: Counter() for monday in week_starts(filters=filters)}
    for row in rows:
        day = row["merged_at"].astimezone(filters.tz).date()
        monday = day - dt.timedelta(days=day.weekday())
        kind = work_kind(issues[row["links"][0]].issue_type) if row["links"] else "unlinked"
        weeks.setdefault(monday, Counter())[kind] += 1
    return [
        {
            "monday": monday,
            **{kind: counts.get(kind, 0) for kind in (*WorkKind.LABELS, "unlinked")},
        }
        for monday, counts in sorted(weeks.items())
    ]


def pull_request_links(*, team: Team, issue_keys_by_pr: dict[int, list[str]]) -> dict:
    """{PR id: [(key, Jira URL)]} of the PRs' links, for PR rows and exports."""
    tracked = tracked_project_keys(team=team)
    if not tracked:
        return {}
    candidates = {
        k for keys in issue_keys_by_pr.values() for k in linked_keys(keys, tracked=tracked)
    }
    known = set(
        JiraIssue.objects.filter(team=team, key__in=candidates).values_list("key", flat=True)
    )
    browse = jira_browse_base(team=team)
    links = defaultdict(list)
    for pr_id, keys in issue_keys_by_pr.items():
        for key in linked_keys(keys, tracked=tracked, known=known):
            links[pr_id].append((key, f"{browse}{key}"))
    return dict(links)


def jira_projects_status(*, team: Team) -> list[JiraProject]:
    """The tracked projects with their sync state, for the status line and settings."""
    projects = JiraProject.objects.filter(team=team, is_tracked=True)
    return list(projects.annotate(issue_count=Count("issues")).order_by("key"))
