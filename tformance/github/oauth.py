"""GitHub OAuth app web flow: the authorize URL and the code exchange."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests
from django.conf import settings

from tformance.core.secrets import token_fingerprint
from tformance.github.errors import (
    OAuthError,
    ServerError,
    error_from_transport,
    response_json,
)

logger = logging.getLogger(__name__)

USER_AGENT = "Tformance"


@dataclass(frozen=True, slots=True)
class OAuthToken:
    """A user access token from the code exchange; the token itself is left out of repr."""

    access_token: str = field(repr=False)
    scopes: tuple[str, ...]
    token_type: str = "bearer"

    @property
    def fingerprint(self) -> str:
        """Safe-to-log form of the token."""
        return token_fingerprint(self.access_token)


def _web_url(web_url: str | None) -> str:
    return (web_url or settings.GITHUB_URL).rstrip("/")


def _split_scopes(value: str | None, separator: str = ",") -> tuple[str, ...]:
    return tuple(s.strip() for s in (value or "").split(separator) if s.strip())


def oauth_authorize_url(
    *,
    state: str,
    redirect_uri: str,
    scopes: list[str] | tuple[str, ...],
    client_id: str | None = None,
    web_url: str | None = None,
    login: str | None = None,
    allow_signup: bool | None = None,
) -> str:
    """The URL to send the user to: ``GET {GITHUB_URL}/login/oauth/authorize``."""
    # Reference: https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#1-request-a-users-github-identity
    params = {
        "client_id": client_id or settings.GITHUB_OAUTH_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": " ".join(scopes),  # space-delimited
        "state": state,
    }
    if login:
        params["login"] = login
    if allow_signup is not None:
        params["allow_signup"] = "true" if allow_signup else "false"
    return f"{_web_url(web_url)}/login/oauth/authorize?{urlencode(params)}"


def oauth_exchange_code(
    *,
    code: str,
    redirect_uri: str,
    client_id: str | None = None,
    client_secret: str | None = None,
    web_url: str | None = None,
    timeout_seconds: float | None = None,
) -> OAuthToken:
    """Exchange the callback's ``code`` for a user access token (never retried: codes are single-use)."""
    # Reference: https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#2-users-are-redirected-back-to-your-site-by-github
    # Reference: https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors
    url = f"{_web_url(web_url)}/login/oauth/access_token"
    form = {
        "client_id": client_id or settings.GITHUB_OAUTH_CLIENT_ID,
        "client_secret": client_secret or settings.GITHUB_OAUTH_CLIENT_SECRET,
        "code": code,
        "redirect_uri": redirect_uri,
    }
    try:
        response = requests.post(
            url,
            data=form,
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            timeout=timeout_seconds or settings.GITHUB_TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        raise error_from_transport(exc) from exc
    body = response_json(response, what="the token exchange")
    if body.get("error"):
        # GitHub answers 200 with {"error", "error_description", "error_uri"}.
        raise OAuthError(
            str(body["error"]),
            str(body.get("error_description") or ""),
            error_uri=str(body.get("error_uri") or ""),
        )
    if not body.get("access_token"):
        raise ServerError("GitHub's token exchange answer has no access_token", status=200)
    token = OAuthToken(
        access_token=body["access_token"],
        scopes=_split_scopes(body.get("scope")),  # comma-separated, e.g. "repo,gist"
        token_type=body.get("token_type") or "bearer",
    )
    logger.info("GitHub OAuth code exchanged for token %s", token.fingerprint)
    return token
