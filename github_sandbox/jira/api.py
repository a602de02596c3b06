"""Jira Cloud REST v3 handlers: myself, project search, fields, JQL search, changelogs."""

from __future__ import annotations

import base64
import hashlib
import json
import re

from ..responses import Response
from . import jql
from . import serializers as ser
from .fields import KNOWN, catalogue
from .models import STATUSES

API = "/rest/api/3"
ISSUE_PATH = re.compile(r"^/rest/api/3/issue/([^/]+)(/changelog)?/?$")
REMOVED = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
    "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
)
# How many histories `expand=changelog` embeds (the sandbox's choice; the rest are paged
# from /issue/{key}/changelog).
EMBEDDED_HISTORIES = 100
NO_ISSUE = "Issue does not exist or you do not have permission to see it."
UNBOUNDED = (
    "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
)


def errors(status: int, *messages: str) -> Response:
    """Jira's error body: errorMessages plus a map of per-field errors."""
    return Response(status, {"errorMessages": list(messages), "errors": {}})


def int_param(value, default: int, name: str) -> int:
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"The '{name}' parameter must be a number.") from None


def dispatch(world, account, method: str, path: str, query: dict, body: bytes, base: str):
    """Returns (response, endpoint template) for a path under /rest/api/3/."""
    path = path.rstrip("/") or path
    try:
        if path == f"{API}/myself" and method == "GET":
            return myself(base, account), "GET /rest/api/3/myself"
        if path == f"{API}/project/search" and method == "GET":
            return project_search(world, query, base), "GET /rest/api/3/project/search"
        if path == f"{API}/field" and method == "GET":
            # Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-fields/#api-rest-api-3-field-get
            return Response(200, catalogue()), "GET /rest/api/3/field"
        if path == f"{API}/status" and method == "GET":
            return statuses(base), "GET /rest/api/3/status"
        if path == f"{API}/search/jql" and method in ("GET", "POST"):
            params = json_body(body) if method == "POST" else get_params(query)
            return search(world, params, base), f"{method} /rest/api/3/search/jql"
        if path == f"{API}/search" and method in ("GET", "POST"):
            # Reference: https://developer.atlassian.com/changelog/#CHANGE-2046
            return errors(410, REMOVED), f"{method} /rest/api/3/search"
        match = ISSUE_PATH.match(path)
        if match and method == "GET":
            issue = world.issue(match.group(1))
            if match.group(2):
                endpoint = "GET /rest/api/3/issue/{issueIdOrKey}/changelog"
                return (changelog(issue, query, base) if issue else errors(404, NO_ISSUE)), endpoint
            endpoint = "GET /rest/api/3/issue/{issueIdOrKey}"
            return (get_issue(issue, query, base) if issue else errors(404, NO_ISSUE)), endpoint
    except ValueError as exc:
        return errors(400, str(exc)), f"{method} {path}"
    return errors(404, "null for uri: " + base + path), None


def json_body(body: bytes) -> dict:
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        raise ValueError(
            "Invalid request payload. Refer to the REST API documentation and try again."
        ) from None
    if not isinstance(data, dict):
        raise ValueError(
            "Invalid request payload. Refer to the REST API documentation and try again."
        )
    return data


def get_params(query: dict) -> dict:
    params = dict(query)
    if "fields" in params:
        params["fields"] = [f for f in params["fields"].split(",") if f]
    return params


# Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/#api-rest-api-3-myself-get
def myself(base: str, account) -> Response:
    return Response(200, ser.account(base, account, full=True))


# Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-projects/#api-rest-api-3-project-search-get
def project_search(world, query: dict, base: str) -> Response:
    start = max(0, int_param(query.get("startAt"), 0, "startAt"))
    size = min(100, max(1, int_param(query.get("maxResults"), 50, "maxResults")))
    projects = world.visible_projects()  # by key; `orderBy=name` sorts by name
    if query.get("orderBy", "").lstrip("+") == "name":
        projects.sort(key=lambda p: p.name.lower())
    if keys := query.get("keys"):
        wanted = {k.strip().upper() for k in keys.split(",")}
        projects = [p for p in projects if p.key in wanted]
    if text := query.get("query", "").lower():
        projects = [p for p in projects if text in p.key.lower() or text in p.name.lower()]
    page = projects[start : start + size]
    last = start + size >= len(projects)
    data = {
        "self": f"{base}{API}/project/search?maxResults={size}&startAt={start}",
        "maxResults": size,
        "startAt": start,
        "total": len(projects),
        "isLast": last,
        "values": [ser.project(base, p) for p in page],
    }
    if not last:
        data["nextPage"] = f"{base}{API}/project/search?maxResults={size}&startAt={start + size}"
    return Response(200, data)


# Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-workflow-statuses/#api-rest-api-3-status-get
def statuses(base: str) -> Response:
    return Response(200, [ser.status(base, name) for name in STATUSES])


def wanted_fields(names) -> set[str] | None:
    """The fields a request asks for: None is all; the default (like `id`) is none."""
    if isinstance(names, str):
        names = [n for n in names.split(",") if n]
    names = [n.strip() for n in names or []]
    if any(n in ("*all", "*navigable") for n in names):
        return set(KNOWN) - {n[1:] for n in names if n.startswith("-")}
    return {n for n in names if n in KNOWN}


def page_token(offset: int, text: str) -> str:
    raw = f"{offset}:{hashlib.sha1(text.encode()).hexdigest()[:10]}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def token_offset(token: str | None, text: str) -> int:
    if not token:
        return 0
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        offset, digest = raw.split(":")
        if digest != hashlib.sha1(text.encode()).hexdigest()[:10]:
            raise ValueError
        return int(offset)
    except (ValueError, UnicodeDecodeError):
        raise ValueError("The provided next page token is invalid or expired.") from None


# Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
def search(world, params: dict, base: str) -> Response:
    text = params.get("jql") or ""
    try:
        query = jql.parse(text)
    except jql.JqlError as exc:
        return errors(400, str(exc))
    if not query.bounded:
        return errors(400, UNBOUNDED)
    if len(query.order) > 7:
        return errors(400, "The ORDER BY clause can contain a maximum of 7 fields.")
    if query.projects is not None:
        keys = []
        for value in query.projects:  # a project is named by key, id or name
            found = next(
                (
                    p
                    for p in world.visible_projects()
                    if value in (p.key, p.id) or value == p.name.upper()
                ),
                None,
            )
            if found is None:
                return errors(400, f"The value '{value}' does not exist for the field 'project'.")
            keys.append(found.key)
        query.projects = keys
    wanted = wanted_fields(params.get("fields"))
    # The docs cap a page at 5,000 issues and give fewer when many fields are asked for:
    # ids/keys only may have 5,000, anything more 100 (the sandbox's choice).
    cap = 5000 if not wanted else 100
    size = min(cap, max(1, int_param(params.get("maxResults"), 50, "maxResults")))
    offset = token_offset(params.get("nextPageToken"), text)
    found = sorted(
        (i for i in world.visible_issues() if jql.matches(query, i)), key=jql.sort_key(query.order)
    )
    page = found[offset : offset + size]
    expand = params.get("expand") or ""
    expand = expand if isinstance(expand, str) else ",".join(expand)
    issues = [ser.issue(base, i, wanted) for i in page]
    if "changelog" in expand:
        for data, item in zip(issues, page, strict=True):
            data["changelog"] = embedded_changelog(item, base)
    data = {"issues": issues, "isLast": offset + size >= len(found)}
    if not data["isLast"]:
        # Absent, not null, on the last page: https://jira.atlassian.com/browse/JRACLOUD-92184
        data["nextPageToken"] = page_token(offset + size, text)
    return Response(200, data)


def embedded_changelog(item, base: str) -> dict:
    """The newest histories first, at most EMBEDDED_HISTORIES; `total` counts them all."""
    newest = list(reversed(item.history))[:EMBEDDED_HISTORIES]
    return {
        "startAt": 0,
        "maxResults": len(newest),
        "total": len(item.history),
        "histories": [ser.history(base, h) for h in newest],
    }


# Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
def get_issue(item, query: dict, base: str) -> Response:
    fields = query.get("fields")
    wanted = None if fields is None else wanted_fields(fields)
    data = ser.issue(base, item, wanted)
    if "changelog" in query.get("expand", ""):
        data["changelog"] = embedded_changelog(item, base)
    return Response(200, data)


# Reference: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-changelog-get
def changelog(item, query: dict, base: str) -> Response:
    start = max(0, int_param(query.get("startAt"), 0, "startAt"))
    size = min(100, max(1, int_param(query.get("maxResults"), 100, "maxResults")))
    entries = item.history  # oldest first, as this endpoint lists them
    page = entries[start : start + size]
    last = start + size >= len(entries)
    path = f"{base}{API}/issue/{item.key}/changelog"
    data = {
        "self": f"{path}?maxResults={size}&startAt={start}",
        "maxResults": size,
        "startAt": start,
        "total": len(entries),
        "isLast": last,
        "values": [ser.history(base, h) for h in page],
    }
    if not last:
        data["nextPage"] = f"{path}?maxResults={size}&startAt={start + size}"
    return Response(200, data)
