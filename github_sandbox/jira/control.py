"""/_sandbox/jira/… endpoints: what the site holds, tokens and changes."""

from __future__ import annotations

from ..responses import Response
from .models import jira_time


def describe(jira) -> dict:
    return {
        "email": jira.viewer.email,
        "account_id": jira.viewer.account_id,
        "now": jira_time(jira.now),
        "projects": {
            p.key: {
                "id": p.id,
                "name": p.name,
                "deleted": p.deleted,
                "issues": len(jira.keys_of(p.key)),
            }
            for p in jira.projects.values()
        },
        "linked_pull_requests": len(jira.pr_keys),
    }


def handle(app, method: str, action: str, query: dict, data: dict) -> Response:
    jira = app.world.jira
    if jira is None:
        return Response(404, {"message": "Jira is not set up in this sandbox"})
    if action == "world":
        with jira.lock:
            return Response(200, describe(jira))
    if action == "token":
        email = query.get("email", jira.viewer.email)
        return Response(200, {"email": email, "api_token": app.jira_auth.issue_token(email)})
    if action == "revoke" and method == "POST":
        return Response(200, {"revoked": app.jira_auth.revoke(data.get("token"))})
    if action == "changes" and method == "POST":
        return change(jira, dict(data))
    return Response(404, {"message": "Not Found"})


def change(jira, data: dict) -> Response:
    name, key = data.pop("action", None), data.pop("key", "")
    try:
        if name == "update_issue":
            issue = jira.update_issue(key, **data)
            return Response(
                200, {"ok": True, "key": issue.key, "updated": jira_time(issue.updated)}
            )
        if name == "delete_project":
            jira.delete_project(key)
            return Response(200, {"ok": True, "key": key.upper()})
    except (KeyError, TypeError) as exc:
        return Response(422, {"message": str(exc)})
    return Response(422, {"message": "action must be one of update_issue, delete_project"})
