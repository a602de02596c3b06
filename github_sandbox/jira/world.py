"""The in-memory Jira site: accounts, projects, sprints, issues with their status histories.

Same seed + same `now` -> identical data. Changes (`update_issue`, `delete_project`) stamp
times strictly after everything already in the site, like the GitHub world's.
"""

from __future__ import annotations

import hashlib
import random
import threading
from datetime import UTC, datetime, timedelta

from .models import (
    STATUSES,
    ChangelogEntry,
    Issue,
    JiraAccount,
    Project,
    Sprint,
)

VIEWER_EMAIL = "maya@acme.test"
# key, name, simplified (team-managed)
PROJECT_SPECS = [
    ("CORE", "Core Platform", False),
    ("WEB", "Web App", False),
    ("OPS", "Operations", True),
]
FLOW = ["To Do", "In Progress", "In Review", "Done"]
SUMMARIES = {
    "Story": ["Add {x} to {d}", "Let admins export {d} {x}", "Show {x} on the {d} page"],
    "Task": ["Upgrade {d} {x}", "Clean up {d} {x}", "Document {d} {x}"],
    "Bug": ["{d} {x} crashes on empty input", "Wrong totals in {d} {x}", "Fix {x} timeout in {d}"],
    "Sub-task": ["Tests for {d} {x}", "Migrate {d} {x}", "Review {d} {x} copy"],
}
WORDS_X = ["filters", "exports", "webhooks", "search", "billing", "alerts", "reports", "tokens"]
WORDS_D = ["dashboard", "settings", "onboarding", "sync", "teams", "invoices", "api", "admin"]
POINTS = [1, 2, 3, 5, 8, 13]
SPRINT_DAYS = 14


def account_id(seed_text: str) -> str:
    digest = hashlib.sha256(seed_text.encode()).hexdigest()
    return f"712020:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


class JiraWorld:
    """All Jira data plus a lock; the server holds `lock` while it reads."""

    def __init__(self, *, seed: int = 1, now: datetime | None = None):
        self.seed = seed
        now = now or datetime.now(UTC).replace(second=0, microsecond=0)
        self.now = now.astimezone(UTC).replace(microsecond=0)
        self.lock = threading.RLock()
        self.accounts: dict[str, JiraAccount] = {}  # accountId -> account
        self.projects: dict[str, Project] = {}  # key -> project
        self.sprints: list[Sprint] = []
        self.issues: list[Issue] = []
        self.by_key: dict[str, Issue] = {}
        self.by_id: dict[str, Issue] = {}
        self.pr_keys: dict[tuple[str, int], list[str]] = {}  # (repo, number) -> keys it carries
        self.viewer: JiraAccount | None = None
        self._next_id = {"issue": 10_000, "history": 20_000}
        self._last_tick = self.now

    def next_id(self, kind: str) -> str:
        self._next_id[kind] += 1
        return str(self._next_id[kind])

    # -- lookups ---------------------------------------------------------------------------
    def visible_projects(self) -> list[Project]:
        return sorted((p for p in self.projects.values() if not p.deleted), key=lambda p: p.key)

    def issue(self, id_or_key: str) -> Issue | None:
        found = self.by_id.get(id_or_key) or self.by_key.get(id_or_key.upper())
        return found if found is not None and found.visible else None

    def visible_issues(self) -> list[Issue]:
        return [i for i in self.issues if i.visible]

    def keys_of(self, project_key: str) -> list[str]:
        return [i.key for i in self.issues if i.project.key == project_key]

    # -- changes for incremental-sync tests ------------------------------------------------
    def tick(self) -> datetime:
        now = datetime.now(UTC).replace(microsecond=0)
        self._last_tick = max(now, self._last_tick + timedelta(seconds=1))
        return self._last_tick

    def settle(self) -> None:
        self._last_tick = max([self.now] + [i.updated for i in self.issues])

    def update_issue(
        self,
        key: str,
        *,
        status: str | None = None,
        summary: str | None = None,
        assignee: str | None = None,
        author: str | None = None,
    ) -> Issue:
        """A status transition and/or summary/assignee change, with its changelog entry."""
        with self.lock:
            issue = self.issue(key)
            if issue is None:
                raise KeyError(key)
            if status is not None and status not in STATUSES:
                raise KeyError(f"unknown status {status!r}")
            when = self.tick()
            who = self.accounts.get(author or "") or self.viewer
            items = []
            if summary is not None and summary != issue.summary:
                items.append(change("summary", "summary", None, issue.summary, None, summary))
                issue.summary = summary
            if assignee is not None:
                new = self.accounts[assignee]
                old = issue.assignee
                items.append(assignee_change(old, new))
                issue.assignee = new
            if status is not None and status != issue.status:
                items.append(status_change(issue.status, status))
                issue.status = status
                issue.resolutiondate = when if STATUSES[status][1] == "done" else None
            if items:
                issue.history.append(ChangelogEntry(self.next_id("history"), who, when, items))
            issue.updated = when
            return issue

    def delete_project(self, key: str) -> Project:
        with self.lock:
            project = self.projects.get(key.upper())
            if project is None or project.deleted:
                raise KeyError(key)
            project.deleted = True
            return project


def change(field, field_id, frm, frm_string, to, to_string, fieldtype="jira") -> dict:
    return {
        "field": field,
        "fieldtype": fieldtype,
        "fieldId": field_id,
        "from": frm,
        "fromString": frm_string,
        "to": to,
        "toString": to_string,
    }


def status_change(old: str, new: str) -> dict:
    return change("status", "status", STATUSES[old][0], old, STATUSES[new][0], new)


def assignee_change(old: JiraAccount | None, new: JiraAccount | None) -> dict:
    return change(
        "assignee",
        "assignee",
        old.account_id if old else None,
        old.display_name if old else None,
        new.account_id if new else None,
        new.display_name if new else None,
    )


def jira_world_build(
    *, seed: int, now: datetime, months: int, people: list[tuple[str, str]], per_project: int
) -> JiraWorld:
    """`people` are (GitHub login, name); the first is the viewer (maya@acme.test)."""
    world = JiraWorld(seed=seed, now=now)
    rng = random.Random(f"{seed}:jira")
    for i, (login, name) in enumerate(people):
        email = VIEWER_EMAIL if i == 0 else f"{name.split()[0].lower()}@acme.test"
        acct = JiraAccount(account_id(f"{seed}:{login}"), name, email, login)
        world.accounts[acct.account_id] = acct
    members = list(world.accounts.values())
    world.viewer = members[0]
    start = world.now - timedelta(days=30 * months)
    for n, (key, name, simplified) in enumerate(PROJECT_SPECS):
        lead = members[n % len(members)]
        project = Project(str(10_000 + n), key, name, lead, simplified=simplified)
        world.projects[key] = project
        sprints, stories = make_sprints(world, n, start), []
        span = (world.now - start).total_seconds() * 0.98
        times = sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(per_project))
        for number, created in enumerate(times, 1):
            created = created.replace(microsecond=0)
            add_issue(world, rng, project, number, created, members, sprints, stories)
    world.issues.sort(key=lambda i: int(i.id))
    world.settle()
    return world


def make_sprints(world: JiraWorld, n: int, start: datetime) -> list[Sprint]:
    board = n + 1
    sprints, begin, number = [], start.replace(hour=9, minute=0, second=0), 1
    while begin < world.now + timedelta(days=SPRINT_DAYS):
        end = begin + timedelta(days=SPRINT_DAYS)
        state = "closed" if end <= world.now else "active" if begin <= world.now else "future"
        sprint = Sprint(
            len(world.sprints) + 1,
            f"{PROJECT_SPECS[n][0]} Sprint {number}",
            board,
            begin,
            end,
            state,
            end if state == "closed" else None,
        )
        world.sprints.append(sprint)
        sprints.append(sprint)
        begin, number = end, number + 1
    return sprints


def add_issue(world, rng, project, number, created, members, sprints, stories) -> None:
    kind = rng.choices(["Story", "Task", "Bug", "Sub-task"], [40, 25, 25, 10])[0]
    parent = None
    if kind == "Sub-task":
        earlier = [p for p in stories[-30:] if p.created < created]
        if not earlier:
            kind = "Task"
        else:
            parent = rng.choice(earlier[-10:])
    summary = rng.choice(SUMMARIES[kind]).format(x=rng.choice(WORDS_X), d=rng.choice(WORDS_D))
    reporter = rng.choice(members)
    issue = Issue(
        world.next_id("issue"),
        f"{project.key}-{number}",
        project,
        kind,
        summary[0].upper() + summary[1:],
        "To Do",
        None,
        reporter,
        created,
        created,
        parent=parent,
    )
    if kind != "Sub-task" and rng.random() < 0.8:
        issue.story_points = float(rng.choice(POINTS))
    if rng.random() < 0.3:
        issue.assignee = rng.choice(members)  # assigned while still To Do
    walk_status(world, rng, issue, members)
    backlog = issue.issue_type == "Sub-task" or (issue.status == "To Do" and not issue.assignee)
    if not backlog:  # the sprints it was worked in, the last two at most
        issue.sprints = [s for s in sprints if s.start <= issue_end(issue) and s.end >= created]
        issue.sprints = issue.sprints[-2:]
    world.issues.append(issue)
    if kind == "Story":
        stories.append(issue)
    world.by_key[issue.key] = issue
    world.by_id[issue.id] = issue


def issue_end(issue: Issue) -> datetime:
    return issue.resolutiondate or issue.updated


def walk_status(world, rng, issue: Issue, members) -> None:
    """Moves the issue along To Do -> In Progress -> In Review -> Done while time allows,
    now and then back from review to In Progress once."""
    age_days = (world.now - issue.created).days
    weights = (
        [4, 4, 2, 90] if age_days > 30 else [10, 15, 10, 65] if age_days > 10 else [35, 30, 20, 15]
    )
    goal = rng.choices(FLOW, weights)[0]
    path = FLOW[1 : FLOW.index(goal) + 1]
    if "In Review" in path and rng.random() < 0.15:  # review sends it back once
        at = path.index("In Review") + 1
        path[at:at] = ["In Progress", "In Review"]
    when = issue.created
    for step in path:
        hours = rng.expovariate(1 / 30) if step == "In Progress" else rng.expovariate(1 / 20)
        when = (when + timedelta(hours=1 + hours)).replace(microsecond=0)
        if when >= world.now:
            break
        items = []
        if step == "In Progress" and issue.assignee is None:
            new = rng.choice(members)
            items.append(assignee_change(None, new))
            issue.assignee = new
        items.append(status_change(issue.status, step))
        author = issue.assignee or issue.reporter
        issue.history.append(ChangelogEntry(world.next_id("history"), author, when, items))
        issue.status = step
        if step == "Done":
            issue.resolutiondate = when
        issue.updated = when
    if issue.updated == issue.created and rng.random() < 0.5:
        issue.updated = min(world.now, issue.created + timedelta(minutes=rng.randint(2, 600)))
