"""GraphQL over ``requests``: where the endpoint is, the stored queries, and one POST.

One :class:`GraphQLTransport` (one ``requests.Session``) per client. It sends exactly one
request per :meth:`GraphQLTransport.execute`; retries live in :mod:`tformance.github.retry`.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from tformance.github.errors import (
    GitHubError,
    GraphQLError,
    error_from_graphql,
    error_from_transport,
    response_json,
)
from tformance.github.retry import UsageCounter

logger = logging.getLogger(__name__)

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
_FRAGMENT_DEF = re.compile(r"^fragment\s+(\w+)\s+on\s+\w+", re.MULTILINE)
_FRAGMENT_SPREAD = re.compile(r"\.\.\.\s*(\w+)")


def graphql_url_for(api_url: str) -> str:
    """The GraphQL endpoint that goes with a REST API root, as GitHub lays them out."""
    # Reference: https://docs.github.com/en/graphql/guides/forming-calls-with-graphql#the-graphql-endpoint
    # Reference: https://docs.github.com/en/enterprise-server@latest/graphql/guides/forming-calls-with-graphql#the-graphql-endpoint
    # https://api.github.com -> https://api.github.com/graphql
    # https://HOST/api/v3    -> https://HOST/api/graphql
    parts = urlsplit(api_url.rstrip("/"))
    path = parts.path.rstrip("/")
    if path.endswith("/api/v3"):
        path = path[: -len("/v3")] + "/graphql"
    else:
        path = f"{path}/graphql"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


@functools.cache
def _fragments() -> dict[str, str]:
    text = (QUERIES_DIR / "fragments.graphql").read_text(encoding="utf-8")
    starts = [(m.start(), m.group(1)) for m in _FRAGMENT_DEF.finditer(text)]
    found: dict[str, str] = {}
    for index, (start, name) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        found[name] = text[start:end].strip()
    return found


@functools.cache
def load_query(name: str, *, legacy_ids: bool = False) -> str:
    """The query ``queries/<name>.graphql`` with exactly the fragments it uses, loaded once.

    ``legacy_ids`` asks for ``databaseId`` instead of ``fullDatabaseId``, for GitHub
    Enterprise Server versions whose schema predates ``fullDatabaseId``.
    """
    return with_fragments(query_text(name), legacy_ids=legacy_ids)


@functools.cache
def query_text(name: str) -> str:
    """The stored query ``queries/<name>.graphql`` as written, without its fragments."""
    return (QUERIES_DIR / f"{name}.graphql").read_text(encoding="utf-8")


def with_fragments(document: str, *, legacy_ids: bool = False) -> str:
    """``document`` (a stored query, or one built at run time) with the fragments it uses."""
    document = document.strip()
    fragments = _fragments()
    needed: list[str] = []
    pending = list(_FRAGMENT_SPREAD.findall(document))
    while pending:
        fragment = pending.pop(0)
        if fragment in fragments and fragment not in needed:
            needed.append(fragment)
            pending.extend(_FRAGMENT_SPREAD.findall(fragments[fragment]))
    # GraphQL rejects unused fragments, so only the used ones are appended.
    text = "\n\n".join([document, *(fragments[f] for f in needed)]) + "\n"
    return text.replace("fullDatabaseId", "databaseId") if legacy_ids else text


def _lacks_full_database_id(exc: GraphQLError) -> bool:
    # graphql-ruby's answer for an unknown field: extensions.code "undefinedField".
    return any(
        (e.get("extensions") or {}).get("code") == "undefinedField"
        and (e.get("extensions") or {}).get("fieldName") == "fullDatabaseId"
        for e in exc.errors
    )


class _BearerAuth(requests.auth.AuthBase):
    """Adds the token; set as ``auth`` so requests never falls back to ~/.netrc."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "<bearer token hidden>"


class GraphQLTransport:
    """POSTs stored queries to GitHub's GraphQL endpoint and maps every failure."""

    def __init__(
        self,
        *,
        url: str,
        token: str,
        timeout: float,
        usage: UsageCounter,
        user_agent: str,
        on_request: Callable[[], None] = lambda: None,
        on_response: Callable[[], None] = lambda: None,
    ) -> None:
        self.url = url
        self._on_request = on_request  # before every request; it may raise instead
        self._on_response = on_response  # after every answer, once `usage` has its limits
        self.timeout = timeout
        self.usage = usage
        self.legacy_ids = False  # set once the server says it has no fullDatabaseId
        self.session = requests.Session()
        self.session.auth = _BearerAuth(token)
        self.session.headers.update({"User-Agent": user_agent, "Accept": "application/json"})

    def close(self) -> None:
        """Release the pooled connections."""
        self.session.close()

    def execute(
        self, query_name: str, variables: dict[str, Any], *, document: str | None = None
    ) -> dict[str, Any]:
        """Run one stored query once (or ``document``, a query built at run time, logged as
        ``query_name``); return ``data`` or raise a typed error."""
        # Reference: https://docs.github.com/en/graphql/guides/forming-calls-with-graphql#communicating-with-graphql
        try:
            return self._post(query_name, variables, document)
        except GraphQLError as exc:
            if self.legacy_ids or not _lacks_full_database_id(exc):
                raise
            # Older GitHub Enterprise Server: no fullDatabaseId yet; databaseId it is.
            logger.warning("%s has no fullDatabaseId; using databaseId", self.url)
            self.legacy_ids = True
            return self._post(query_name, variables, document)

    def _post(
        self, query_name: str, variables: dict[str, Any], document: str | None
    ) -> dict[str, Any]:
        if document is None:
            query = load_query(query_name, legacy_ids=self.legacy_ids)
        else:
            query = with_fragments(document, legacy_ids=self.legacy_ids)
        payload = {"query": query, "variables": variables}
        self._on_request()
        started = time.monotonic()
        self.usage.graphql_requests += 1
        try:
            response = self.session.post(self.url, json=payload, timeout=self.timeout)
        except requests.RequestException as exc:
            logger.info("POST %s (%s) failed: %s", self.url, query_name, type(exc).__name__)
            raise error_from_transport(exc) from exc
        logger.debug(
            "POST %s (%s) -> %s in %.0fms",
            self.url,
            query_name,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        self._note_rate_limit_headers(response.headers)
        try:
            body = response_json(response, what="the GraphQL query")
            data = body.get("data")
            if isinstance(data, dict):
                self._note_rate_limit(data.get("rateLimit"))
        finally:
            self._on_response()
        errors = body.get("errors")
        if errors:
            # Never dropped, even when data came along: raise with every message.
            raise error_from_graphql(errors, headers=response.headers, data=data)
        if not isinstance(data, dict):
            raise GitHubError("GitHub GraphQL answer without data or errors", permanent=False)
        return data

    def _note_rate_limit_headers(self, headers: Any) -> None:
        remaining = headers.get("x-ratelimit-remaining")
        reset = headers.get("x-ratelimit-reset")
        if remaining is not None:
            try:
                self.usage.graphql_remaining = int(float(remaining))
            except ValueError:
                pass
        if reset is not None:
            try:
                self.usage.graphql_reset_at = dt.datetime.fromtimestamp(int(float(reset)), dt.UTC)
            except ValueError:
                pass

    def _note_rate_limit(self, rate_limit: Any) -> None:
        if not isinstance(rate_limit, dict):
            return
        self.usage.graphql_points += int(rate_limit.get("cost") or 0)
        if rate_limit.get("remaining") is not None:
            self.usage.graphql_remaining = int(rate_limit["remaining"])
        if rate_limit.get("resetAt"):
            self.usage.graphql_reset_at = parse_datetime(rate_limit["resetAt"])


def parse_datetime(value: Any) -> dt.datetime | None:
    """GitHub's ISO 8601 timestamps ("2011-01-26T19:06:43Z") as aware datetimes."""
    if not value:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
