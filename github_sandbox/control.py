"""/_sandbox/ endpoints so another process can drive a running sandbox."""

from __future__ import annotations

import json

from .jira import control as jira_control
from .models import iso
from .responses import Response
from .slack import api as slack_api

CHANGES = (
    "add_pull_requests",
    "add_review",
    "add_commit",
    "merge_pull_request",
    "close_pull_request",
)


def describe(world) -> dict:
    return {
        "default_org": world.default_org,
        "second_org": world.second_org,
        "viewer_login": world.viewer_login,
        "now": iso(world.now),
        "repos": {
            r.full_name: {"pulls": len(r.pulls), "private": r.private, "archived": r.archived}
            for r in world.repos.values()
        },
        "hard_cases": {name: pr.number for name, pr in world.hard_cases.items()},
    }


def handle(app, method: str, path: str, query: dict, body: bytes) -> Response:
    try:
        data = json.loads(body) if body else {}
    except ValueError:
        return Response(400, {"message": "Problems parsing JSON"})
    action = path.removeprefix("/_sandbox/").strip("/")
    if action.startswith("jira/"):
        return jira_control.handle(app, method, action.removeprefix("jira/"), query, data)
    if action == "slack" or action.startswith("slack/"):
        if not isinstance(data, dict):
            return Response(400, {"message": "Problems parsing JSON"})
        return slack_api.control(app.slack, method, action, data)
    if action == "stats":
        return Response(200, app.stats.snapshot())
    if action == "stats/reset" and method == "POST":
        app.stats.reset()
        return Response(200, app.stats.snapshot())
    if action == "faults":
        if method == "POST":
            try:
                app.faults.update(**data)
            except TypeError as exc:
                return Response(422, {"message": str(exc)})
        return Response(200, app.faults.as_dict())
    if action == "world":
        with app.world.lock:
            return Response(200, describe(app.world))
    if action == "token":
        login = query.get("login", app.world.viewer_login)
        scopes = [
            s for s in query.get("scopes", "repo,read:org,read:user,user:email").split(",") if s
        ]
        return Response(
            200, {"token": app.auth.issue_token(login, scopes), "login": login, "scopes": scopes}
        )
    if action == "revoke" and method == "POST":
        app.auth.revoke(data.get("token", ""))
        return Response(200, {"revoked": True})
    if action == "changes" and method == "POST":
        return apply_change(app.world, data)
    return Response(404, {"message": "Not Found"})


def apply_change(world, data: dict) -> Response:
    data = dict(data)
    name = data.pop("action", None)
    if name not in CHANGES:
        return Response(422, {"message": f"action must be one of {', '.join(CHANGES)}"})
    repo = data.pop("repo", None)
    args = [repo] if name == "add_pull_requests" else [repo, data.pop("number", None)]
    try:
        result = getattr(world, name)(*args, **data)
    except (KeyError, TypeError) as exc:
        return Response(422, {"message": str(exc)})
    numbers = [pr.number for pr in result] if isinstance(result, list) else [int(args[1])]
    return Response(200, {"ok": True, "repo": repo, "numbers": numbers})
