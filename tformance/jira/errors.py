"""Typed failures of the Jira client, each saying whether a retry could help."""

from __future__ import annotations

import datetime as dt


class JiraError(Exception):
    """Base of every Jira client failure; `permanent`: retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status = status


class JiraCredentialsRejected(JiraError):
    def __init__(self, site_url: str) -> None:
        super().__init__(
            f"Jira at {site_url} rejected the email and API token (401); reconnect Jira in "
            "Settings with a new token (id.atlassian.com → Security → API tokens).",
            permanent=True,
            status=401,
        )


class JiraForbidden(JiraError):
    def __init__(self, what: str) -> None:
        super().__init__(
            f"The connected Jira account may not read {what} (403); give it access or pick "
            "another account.",
            permanent=True,
            status=403,
        )


class JiraProjectGone(JiraError):
    def __init__(self, key: str) -> None:
        super().__init__(
            f"The Jira project {key} no longer exists, or the connected account can no "
            "longer see it; stop tracking it or give the account access again.",
            permanent=True,
            status=400,
        )


class JiraRateLimited(JiraError):
    """429: wait until `retry_at` (Jira's Retry-After), then ask again."""

    def __init__(self, retry_at: dt.datetime) -> None:
        super().__init__(
            f"Jira asked us to slow down; the sync goes on at {retry_at:%H:%M:%S} UTC.",
            permanent=False,
            status=429,
        )
        self.retry_at = retry_at


class JiraUnavailable(JiraError):
    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message, permanent=False, status=status)
