"""Basic auth with an Atlassian account email and API token.

Reference: https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import threading
from dataclasses import dataclass, field

from ..responses import Response

# Atlassian API tokens created since 2023 start with this prefix.
TOKEN_PREFIX = "ATATT3xFfGF0"


@dataclass
class JiraAuth:
    seed: int = 1
    tokens: dict[str, str] = field(default_factory=dict)  # token -> email
    revoked: set[str] = field(default_factory=set)
    _counter: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def issue_token(self, email: str) -> str:
        with self._lock:
            self._counter += 1
            digest = hashlib.sha256(f"{self.seed}:jira:{self._counter}".encode()).hexdigest()
            token = TOKEN_PREFIX + digest[:40].upper()
            self.tokens[token] = email
            return token

    def revoke(self, token: str | None = None) -> list[str]:
        """Revokes `token`, or every token when none is given; returns what it revoked."""
        with self._lock:
            gone = [token] if token else list(self.tokens)
            self.revoked.update(t for t in gone if t in self.tokens)
            return [t for t in gone if t in self.tokens]

    def email_for(self, authorization: str | None) -> str | None:
        """The account email a `Basic base64(email:token)` header proves, or None."""
        if not authorization:
            return None
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        email, sep, token = decoded.partition(":")
        if not sep or token in self.revoked:
            return None
        known = self.tokens.get(token)
        return known if known is not None and known.lower() == email.lower() else None


def unauthorized(site: str) -> Response:
    """Jira Cloud's answer to missing or wrong basic credentials: a 401 with a plain-text body."""
    realm = site.replace(":", "%3A").replace("/", "%2F")
    return Response(
        401,
        "Client must be authenticated to access this resource.",
        {
            "WWW-Authenticate": f'OAuth realm="{realm}"',
            "X-Seraph-LoginReason": "AUTHENTICATED_FAILED",
        },
        content_type="text/plain;charset=UTF-8",
    )
