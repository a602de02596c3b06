"""Jira's JSON for accounts, projects, fields, issues and changelogs."""

from __future__ import annotations

from .models import (
    CATEGORIES,
    ISSUE_TYPES,
    SPRINT_FIELD,
    STATUSES,
    STORY_POINTS_FIELD,
    Issue,
    JiraAccount,
    Project,
    Sprint,
    jira_time,
    sprint_time,
)

API = "/rest/api/3"


def avatars(base: str, seed: str) -> dict:
    return {f"{n}x{n}": f"{base}/avatars/{seed}?s={n}" for n in (48, 24, 16, 32)}


def account(base: str, acct: JiraAccount, *, full: bool = False) -> dict:
    data = {
        "self": f"{base}{API}/user?accountId={acct.account_id}",
        "accountId": acct.account_id,
        "accountType": "atlassian",
        "emailAddress": acct.email,
        "avatarUrls": avatars(base, acct.account_id),
        "displayName": acct.display_name,
        "active": True,
        "timeZone": "Etc/UTC",
    }
    if full:
        data |= {
            "locale": "en_US",
            "groups": {"size": 0, "items": []},
            "applicationRoles": {"size": 0, "items": []},
            "expand": "groups,applicationRoles",
        }
    return data


def project(base: str, proj: Project, *, full: bool = True) -> dict:
    data = {
        "self": f"{base}{API}/project/{proj.id}",
        "id": proj.id,
        "key": proj.key,
        "name": proj.name,
        "avatarUrls": avatars(base, f"project-{proj.id}"),
        "projectTypeKey": proj.project_type,
        "simplified": proj.simplified,
    }
    if full:
        data |= {
            "expand": "description,lead,issueTypes,url,projectKeys,permissions,insight",
            "style": "next-gen" if proj.simplified else "classic",
            "isPrivate": False,
            "properties": {},
        }
    return data


def status(base: str, name: str) -> dict:
    status_id, category = STATUSES[name]
    cat_id, cat_name, color = CATEGORIES[category]
    return {
        "self": f"{base}{API}/status/{status_id}",
        "description": "",
        "iconUrl": f"{base}/images/icons/statuses/generic.png",
        "name": name,
        "untranslatedName": name,
        "id": status_id,
        "statusCategory": {
            "self": f"{base}{API}/statuscategory/{cat_id}",
            "id": cat_id,
            "key": category,
            "colorName": color,
            "name": cat_name,
        },
    }


def issue_type(base: str, name: str) -> dict:
    type_id, subtask, level = ISSUE_TYPES[name]
    return {
        "self": f"{base}{API}/issuetype/{type_id}",
        "id": type_id,
        "description": "",
        "iconUrl": f"{base}/images/icons/issuetypes/{name.lower()}.svg",
        "name": name,
        "subtask": subtask,
        "avatarId": 10300 + int(type_id) % 100,
        "hierarchyLevel": level,
    }


def sprint(item: Sprint) -> dict:
    data = {
        "id": item.id,
        "name": item.name,
        "state": item.state,
        "boardId": item.board_id,
        "goal": "",
        "startDate": sprint_time(item.start),
        "endDate": sprint_time(item.end),
    }
    if item.complete is not None:
        data["completeDate"] = sprint_time(item.complete)
    return data


def issue_fields(base: str, issue: Issue) -> dict:
    """Every field the sandbox knows for an issue, in Jira's shapes."""
    fields = {
        "summary": issue.summary,
        "issuetype": issue_type(base, issue.issue_type),
        "status": status(base, issue.status),
        "statuscategorychangedate": jira_time(status_since(issue)),
        "assignee": account(base, issue.assignee) if issue.assignee else None,
        "reporter": account(base, issue.reporter),
        "creator": account(base, issue.reporter),
        "created": jira_time(issue.created),
        "updated": jira_time(issue.updated),
        "resolutiondate": jira_time(issue.resolutiondate),
        "resolution": resolution(base) if issue.resolutiondate else None,
        "project": project(base, issue.project, full=False),
        "labels": [],
        STORY_POINTS_FIELD: issue.story_points,
        SPRINT_FIELD: [sprint(s) for s in issue.sprints] or None,
    }
    if issue.parent is not None:
        fields["parent"] = {
            "id": issue.parent.id,
            "key": issue.parent.key,
            "self": f"{base}{API}/issue/{issue.parent.id}",
            "fields": {
                "summary": issue.parent.summary,
                "status": status(base, issue.parent.status),
                "issuetype": issue_type(base, issue.parent.issue_type),
            },
        }
    return fields


def status_since(issue: Issue):
    moves = [h.created for h in issue.history if any(i["field"] == "status" for i in h.items)]
    return moves[-1] if moves else issue.created


def resolution(base: str) -> dict:
    return {
        "self": f"{base}{API}/resolution/10000",
        "id": "10000",
        "description": "Work has been completed on this issue.",
        "name": "Done",
    }


def issue(base: str, item: Issue, wanted: set[str] | None) -> dict:
    """`wanted` None means every field; an empty set means none (only id, key, self)."""
    data = {
        "expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
        "id": item.id,
        "self": f"{base}{API}/issue/{item.id}",
        "key": item.key,
    }
    if wanted is None or wanted:
        everything = issue_fields(base, item)
        data["fields"] = {k: v for k, v in everything.items() if wanted is None or k in wanted}
    return data


def history(base: str, entry) -> dict:
    return {
        "id": entry.id,
        "author": account(base, entry.author),
        "created": jira_time(entry.created),
        "items": [dict(item) for item in entry.items],
    }
