"""Response objects and GitHub's error bodies."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

# Reference: https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api
DOCS = "https://docs.github.com/rest"
RATE_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
SECONDARY_DOCS = (
    "https://docs.github.com/free-pro-team@latest/rest/overview/"
    "rate-limits-for-the-rest-api#about-secondary-rate-limits"
)
REASONS = {
    200: "OK",
    302: "Found",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    410: "Gone",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass
class Response:
    status: int = 200
    body: object = None  # dict/list -> JSON; str/bytes sent as is
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        if self.body is None:
            return b""
        # Compact, as GitHub's GraphQL answers are; a page of PRs is a few hundred kB,
        # encoded on every request.
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode()

    def wsgi_status(self) -> str:
        return f"{self.status} {REASONS.get(self.status, 'Status')}"


def request_id() -> str:
    raw = uuid.uuid4().hex.upper()
    return f"{raw[:4]}:{raw[4:9]}:{raw[9:16]}:{raw[16:23]}:{raw[23:31]}"


def error(status: int, message: str, documentation_url: str = DOCS, **extra) -> Response:
    """GitHub's REST error body: message, documentation_url and (since 2023) status."""
    body = {
        "message": message,
        "documentation_url": documentation_url,
        **extra,
        "status": str(status),
    }
    return Response(status, body)


def not_found(doc: str = DOCS) -> Response:
    return error(404, "Not Found", doc)


def bad_credentials() -> Response:
    return error(401, "Bad credentials", DOCS)


def requires_authentication() -> Response:
    return error(401, "Requires authentication", DOCS)


def server_error_502(graphql: bool, rid: str) -> Response:
    if graphql:
        # Observed GitHub body for a GraphQL query that timed out behind the load balancer.
        return Response(
            502,
            {
                "data": None,
                "errors": [
                    {
                        "message": (
                            "Something went wrong while executing your query. This may be the result of a "
                            "timeout, or it could be a GitHub bug. Please include "
                            f"`{rid}` when reporting this issue."
                        )
                    }
                ],
            },
        )
    return Response(502, {"message": "Server Error"})


def secondary_limited(retry_after: int, rid: str) -> Response:
    response = error(
        403,
        (
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
            "again. If you reach out to GitHub Support for help, please include the request ID "
            f"{rid}."
        ),
        SECONDARY_DOCS,
    )
    response.headers["Retry-After"] = str(retry_after)
    return response
