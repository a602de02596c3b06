"""Typed failures of the GitHub client, and the mapping from GitHub's responses to them.

Every failure says whether it is *permanent* (retrying cannot help: fix the token, the
name, the permission) or transient (retry later). Callers branch on the class or on
``exc.permanent``; they never see PyGithub or requests exceptions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import requests
from github.GithubException import (
    BadCredentialsException,
    GithubException,
    RateLimitExceededException,
    UnknownObjectException,
)

# Reference: https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api#rate-limit-errors
# "Otherwise, wait for at least one minute before retrying."
DEFAULT_SECONDARY_WAIT_SECONDS = 60.0

_SECONDARY_MESSAGES = (
    "you have exceeded a secondary rate limit",
    "you have triggered an abuse detection mechanism",
)
_SECONDARY_SUFFIXES = (
    "please retry your request again later.",
    "please wait a few minutes before you try again.",
)
# Reference: https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#exceeding-the-rate-limit
# GitHub has answered both "RATE_LIMITED" and "RATE_LIMIT" (with code "graphql_rate_limit").
GRAPHQL_RATE_LIMIT_TYPES = frozenset({"RATE_LIMITED", "RATE_LIMIT"})
# GitHub's answer when a GraphQL query ran out of time on its side (a transient failure).
GRAPHQL_TIMEOUT_PREFIX = "something went wrong while executing your query"


class GitHubError(Exception):
    """Base of every client failure; ``permanent`` says whether a retry could help."""

    def __init__(self, message: str, *, permanent: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status = status


class BadCredentials(GitHubError):
    """401: the token is wrong, expired or revoked."""

    def __init__(self, message: str | None = None, *, status: int | None = 401) -> None:
        super().__init__(
            message or "GitHub rejected the token (401 Bad credentials); reconnect GitHub.",
            permanent=True,
            status=status,
        )


class NotFound(GitHubError):
    """404 or GraphQL NOT_FOUND: it does not exist, or the token may not see it."""

    def __init__(self, message: str = "Not found", *, status: int | None = 404) -> None:
        super().__init__(message, permanent=True, status=status)


class NoAccess(GitHubError):
    """403 without any rate-limit signal: the token lacks a scope or permission."""

    def __init__(self, message: str = "Forbidden", *, status: int | None = 403) -> None:
        super().__init__(message, permanent=True, status=status)


class SSORequired(NoAccess):
    """403 with ``X-GitHub-SSO: required; url=…``: the token must be authorized for SAML SSO."""

    def __init__(self, message: str, *, sso_url: str | None = None) -> None:
        super().__init__(message, status=403)
        self.sso_url = sso_url


class RequestRejected(GitHubError):
    """Any other 4xx answer (e.g. 422): the request itself is wrong."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message, permanent=True, status=status)


class ServerError(GitHubError):
    """5xx from GitHub (502/503/504 mostly): transient."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message, permanent=False, status=status)


class Timeout(GitHubError):
    """No answer in time, or the connection was reset: transient."""

    def __init__(self, message: str = "GitHub did not answer in time") -> None:
        super().__init__(message, permanent=False, status=None)


class SecondaryRateLimit(GitHubError):
    """403/429 with ``Retry-After`` or GitHub's secondary-limit message: wait, then retry."""

    def __init__(self, message: str, *, retry_after_seconds: float, status: int | None) -> None:
        super().__init__(message, permanent=False, status=status)
        self.retry_after_seconds = retry_after_seconds


class RateLimited(GitHubError):
    """Primary limit used up until ``reset_at``; the caller waits or re-enqueues."""

    def __init__(self, message: str, *, reset_at: dt.datetime, status: int | None) -> None:
        super().__init__(message, permanent=False, status=status)
        self.reset_at = reset_at


class GraphQLError(GitHubError):
    """A GraphQL answer with ``errors``; every error is kept, even when ``data`` came too."""

    def __init__(
        self,
        errors: Sequence[Mapping[str, Any]],
        *,
        permanent: bool = True,
        data: Any = None,
    ) -> None:
        self.errors = [dict(e) for e in errors]
        self.data = data
        messages = "; ".join(_describe_graphql_error(e) for e in self.errors) or "unknown error"
        # Called directly (not super()) so that the GraphQLNotFound-style subclasses work.
        GitHubError.__init__(
            self, f"GitHub GraphQL error: {messages}", permanent=permanent, status=200
        )

    @property
    def types(self) -> list[str]:
        """The ``type`` of each error (None where GitHub gave none)."""
        return [e.get("type") for e in self.errors]


class GraphQLNotFound(GraphQLError, NotFound):
    """Every GraphQL error is NOT_FOUND (e.g. "Could not resolve to a Repository")."""


class GraphQLForbidden(GraphQLError, NoAccess):
    """GraphQL FORBIDDEN: the token may not read this."""


class GraphQLTimeout(GraphQLError, Timeout):
    """GitHub gave up executing the query ("Something went wrong…"): transient."""


class OAuthError(GitHubError):
    """The OAuth token exchange failed (``error`` in GitHub's answer)."""

    def __init__(self, error: str, description: str = "", *, error_uri: str = "") -> None:
        super().__init__(f"GitHub OAuth error {error}: {description}".strip(), permanent=True)
        self.error = error
        self.description = description
        self.error_uri = error_uri


def _describe_graphql_error(error: Mapping[str, Any]) -> str:
    path = ".".join(str(p) for p in error.get("path") or [])
    kind = error.get("type") or "ERROR"
    return f"[{kind}{' at ' + path if path else ''}] {error.get('message', '')}"


def _header(headers: Mapping[str, Any] | None, name: str) -> str | None:
    if not headers:
        return None
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return str(value)
    return None


def _reset_at(headers: Mapping[str, Any] | None) -> dt.datetime:
    raw = _header(headers, "x-ratelimit-reset")
    if raw:
        try:
            return dt.datetime.fromtimestamp(int(float(raw)), tz=dt.UTC)
        except ValueError:
            pass
    return dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=DEFAULT_SECONDARY_WAIT_SECONDS)


def is_secondary_limit_message(message: str) -> bool:
    """True when GitHub's message says a secondary rate limit was hit."""
    lowered = message.strip().lower()
    return lowered.startswith(_SECONDARY_MESSAGES) or lowered.endswith(_SECONDARY_SUFFIXES)


def error_from_response(status: int, headers: Mapping[str, Any] | None, body: Any) -> GitHubError:
    """Map an HTTP error answer from GitHub (REST or GraphQL endpoint) to a typed error."""
    # Reference: https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api
    message = body.get("message", "") if isinstance(body, Mapping) else ""
    message = str(message or "")
    lowered = message.lower()
    where = f"{status} {message}".strip()
    if status == 401:
        return BadCredentials()
    if status in (403, 429):
        sso = _header(headers, "x-github-sso")
        if status == 403 and sso and sso.strip().lower().startswith("required"):
            url = sso.split("url=", 1)[1].strip() if "url=" in sso else None
            return SSORequired(
                "The token must be authorized for this organization's SAML single sign-on.",
                sso_url=url,
            )
        if _header(headers, "x-ratelimit-remaining") == "0":
            reset_at = _reset_at(headers)
            return RateLimited(
                f"GitHub rate limit used up until {reset_at.isoformat()} ({where})",
                reset_at=reset_at,
                status=status,
            )
        retry_after = _header(headers, "retry-after")
        if retry_after is not None:
            try:
                seconds = max(0.0, float(retry_after))
            except ValueError:
                seconds = DEFAULT_SECONDARY_WAIT_SECONDS
            return SecondaryRateLimit(where, retry_after_seconds=seconds, status=status)
        if status == 429 or is_secondary_limit_message(message):
            return SecondaryRateLimit(
                where, retry_after_seconds=DEFAULT_SECONDARY_WAIT_SECONDS, status=status
            )
        if lowered.startswith("api rate limit exceeded"):
            return RateLimited(where, reset_at=_reset_at(headers), status=status)
        return NoAccess(where or "Forbidden")
    if status == 404:
        return NotFound(where or "Not found")
    if status >= 500:
        return ServerError(f"GitHub server error {where}", status=status)
    return RequestRejected(where or f"HTTP {status}", status=status)


def error_from_graphql(
    errors: Sequence[Mapping[str, Any]],
    *,
    headers: Mapping[str, Any] | None = None,
    data: Any = None,
) -> GitHubError:
    """Map a GraphQL ``errors`` list (with or without ``data``) to one typed error."""
    # Reference: https://docs.github.com/en/graphql/guides/forming-calls-with-graphql
    types = {e.get("type") for e in errors}
    if types & GRAPHQL_RATE_LIMIT_TYPES:
        reset_at = _reset_at(headers)
        messages = "; ".join(str(e.get("message", "")) for e in errors)
        return RateLimited(
            f"GitHub GraphQL rate limit used up until {reset_at.isoformat()}: {messages}",
            reset_at=reset_at,
            status=200,
        )
    if types == {"NOT_FOUND"}:
        return GraphQLNotFound(errors, data=data)
    if types == {"FORBIDDEN"}:
        return GraphQLForbidden(errors, data=data)
    if all(str(e.get("message", "")).lower().startswith(GRAPHQL_TIMEOUT_PREFIX) for e in errors):
        return GraphQLTimeout(errors, permanent=False, data=data)
    return GraphQLError(errors, data=data)


def error_from_pygithub(exc: GithubException) -> GitHubError:
    """Map PyGithub's exceptions (BadCredentials, UnknownObject, RateLimitExceeded…)."""
    headers = exc.headers or {}
    body = exc.data if isinstance(exc.data, Mapping) else {"message": exc.message or ""}
    status = exc.status or 0
    if isinstance(exc, BadCredentialsException):
        return BadCredentials()
    if isinstance(exc, UnknownObjectException):
        return NotFound(f"{status} {body.get('message') or 'Not Found'}")
    mapped = error_from_response(status, headers, body)
    if isinstance(exc, RateLimitExceededException) and not isinstance(
        mapped, RateLimited | SecondaryRateLimit
    ):
        return SecondaryRateLimit(
            mapped.message, retry_after_seconds=DEFAULT_SECONDARY_WAIT_SECONDS, status=status
        )
    return mapped


def error_from_transport(exc: requests.RequestException) -> GitHubError:
    """Map a requests failure (timeout, connection reset, bad answer) to a typed error."""
    if isinstance(exc, requests.Timeout):
        return Timeout(f"GitHub did not answer in time ({type(exc).__name__})")
    if isinstance(exc, requests.ConnectionError):
        return Timeout(f"Connection to GitHub failed or was reset ({type(exc).__name__})")
    return ServerError(f"Unusable answer from GitHub ({type(exc).__name__})")


def response_json(response: requests.Response, *, what: str) -> dict[str, Any]:
    """The JSON object of a 200 answer, or the typed error that GitHub's answer means."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code != 200:
        raise error_from_response(response.status_code, response.headers, body or {})
    if not isinstance(body, dict):
        raise ServerError(f"GitHub answered {what} without JSON", status=200)
    return body
