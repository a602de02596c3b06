"""The Jira surface's front door: auth, faults (429 / 5xx), stats, then the handlers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from . import api
from .auth import unauthorized

RATE_LIMIT = 100  # the X-RateLimit-Limit the sandbox advertises


def handle(app, environ, method: str, path: str, query: dict, body: bytes, base: str):
    app.stats.add(jira_requests=1)
    app.sleep()
    world = app.world.jira
    response, endpoint = answer(app, world, environ, method, path, query, body, base)
    response.headers.setdefault("X-AREQUESTID", uuid.uuid4().hex[:20])
    app.stats.record(response.status, endpoint, None)
    return response


def answer(app, world, environ, method, path, query, body, base):
    if world is None:
        return api.errors(404, "Jira is not set up in this sandbox."), None
    faults = app.faults
    status = faults.next_jira_server_error()
    if status:
        app.stats.add(jira_server_errors=1)
        response = api.errors(
            status, "Service Unavailable" if status == 503 else "Internal server error"
        )
        if status == 503:
            response.headers["Retry-After"] = str(faults.jira_retry_after)
        return response, None
    email = app.jira_auth.email_for(environ.get("HTTP_AUTHORIZATION"))
    account = (
        next((a for a in world.accounts.values() if a.email == email), None) if email else None
    )
    if account is None:
        return unauthorized(base), None
    if faults.next_jira_rate_limited():
        app.stats.add(jira_rate_limited=1)
        return rate_limited(faults.jira_retry_after), None
    with world.lock:
        return api.dispatch(world, account, method, path, query, body, base)


def rate_limited(retry_after: int):
    """A 429 with the headers Jira documents for it.

    Reference: https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
    """
    reset = datetime.now(UTC) + timedelta(seconds=retry_after)
    response = api.errors(429, "Rate limit exceeded.")
    response.headers.update(
        {
            "Retry-After": str(retry_after),
            "X-RateLimit-Limit": str(RATE_LIMIT),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": reset.strftime("%Y-%m-%dT%H:%MZ"),
            "RateLimit-Reason": "jira-burst-based",
        }
    )
    return response
