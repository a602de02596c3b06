"""Keeping secrets (tokens, webhook URLs) out of logs and messages."""

from __future__ import annotations


def token_fingerprint(token: str | None) -> str:
    """At most a 4-character prefix and the length of a token, e.g. ``"ghp_…(40)"``."""
    if not token:
        return "<no token>"
    return f"{token[:4]}…({len(token)})"
