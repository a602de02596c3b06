"""OAuth web flow helpers against the sandbox's /login/oauth endpoints."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tformance.github import errors
from tformance.github.client import GitHubClient
from tformance.github.oauth import oauth_authorize_url, oauth_exchange_code

REDIRECT_URI = "http://127.0.0.1:8000/integrations/github/callback/"


def token_scopes(token: str) -> tuple[str, ...] | None:
    """The scopes GitHub reports for the token, read as the product reads them."""
    with GitHubClient(token=token) as client:
        return client.get_viewer().scopes


def test_authorize_url_is_githubs(settings):
    settings.GITHUB_URL = "https://github.com"
    settings.GITHUB_OAUTH_CLIENT_ID = "Iv1.abc"
    url = oauth_authorize_url(state="s1", redirect_uri=REDIRECT_URI, scopes=["repo", "read:org"])
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "github.com",
        "/login/oauth/authorize",
    )
    assert parse_qs(parts.query) == {
        "client_id": ["Iv1.abc"],
        "redirect_uri": [REDIRECT_URI],
        "scope": ["repo read:org"],
        "state": ["s1"],
    }


@pytest.fixture
def oauth_app(github_sandbox, settings):
    settings.GITHUB_OAUTH_CLIENT_ID = "Iv1.tformance-test"
    settings.GITHUB_OAUTH_CLIENT_SECRET = "s3cret-for-tests"
    github_sandbox.register_oauth_app("Iv1.tformance-test", "s3cret-for-tests")
    return github_sandbox


def _authorize(sandbox, scopes, state="xyz"):
    """Follow the authorize URL the way a browser would; return the code GitHub sent back."""
    import requests

    url = oauth_authorize_url(state=state, redirect_uri=REDIRECT_URI, scopes=scopes)
    response = requests.get(url, allow_redirects=False, timeout=10)
    assert response.status_code in (301, 302, 303), response.text[:200]
    location = urlsplit(response.headers["Location"])
    query = parse_qs(location.query)
    assert query["state"] == [state]
    return query["code"][0]


def test_code_exchange_and_scopes(oauth_app):
    code = _authorize(oauth_app, ["repo", "read:org"])
    token = oauth_exchange_code(code=code, redirect_uri=REDIRECT_URI)
    assert token.access_token and token.access_token not in repr(token)
    assert set(token.scopes) == {"repo", "read:org"}
    assert set(token_scopes(token.access_token)) == {"repo", "read:org"}


def test_a_code_works_once(oauth_app):
    code = _authorize(oauth_app, ["repo"])
    oauth_exchange_code(code=code, redirect_uri=REDIRECT_URI)
    with pytest.raises(errors.OAuthError) as exc_info:
        oauth_exchange_code(code=code, redirect_uri=REDIRECT_URI)
    assert exc_info.value.error == "bad_verification_code"
    assert exc_info.value.permanent


def test_wrong_client_secret(oauth_app):
    code = _authorize(oauth_app, ["repo"])
    with pytest.raises(errors.OAuthError) as exc_info:
        oauth_exchange_code(code=code, redirect_uri=REDIRECT_URI, client_secret="wrong")
    assert exc_info.value.error == "incorrect_client_credentials"


def test_token_scopes_of_a_revoked_token(github_sandbox):
    token = github_sandbox.issue_token(login=github_sandbox.world.viewer_login, scopes=["repo"])
    assert token_scopes(token) == ("repo",)
    github_sandbox.revoke_token(token)
    with pytest.raises(errors.BadCredentials):
        token_scopes(token)
