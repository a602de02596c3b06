"""The OAuth web flow: authorize redirects back, codes exchange once for a token."""

from urllib.parse import parse_qs, urlparse

import requests

CALLBACK = "http://app.test/accounts/github/callback"


def authorize(gh, **params):
    query = {
        "client_id": "client-1",
        "redirect_uri": CALLBACK,
        "state": "xyz",
        "scope": "repo read:org",
        **params,
    }
    response = requests.get(gh.url + "/login/oauth/authorize", params=query, allow_redirects=False)
    assert response.status_code == 302
    location = urlparse(response.headers["Location"])
    assert location.geturl().startswith(CALLBACK)
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def exchange(gh, code, accept="application/json", **fields):
    data = {
        "client_id": "client-1",
        "client_secret": "s3cret",
        "code": code,
        "redirect_uri": CALLBACK,
        **fields,
    }
    return requests.post(
        gh.url + "/login/oauth/access_token", data=data, headers={"Accept": accept}
    )


def test_the_web_flow_yields_a_working_token(github_sandbox):
    params = authorize(github_sandbox)
    assert params["state"] == "xyz"
    body = exchange(github_sandbox, params["code"]).json()
    assert body["token_type"] == "bearer" and body["scope"] == "repo,read:org"
    user = requests.get(
        github_sandbox.url + "/user", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert user.json()["login"] == "maya-chen"
    assert user.headers["X-OAuth-Scopes"] == "repo, read:org"


def test_another_user_can_be_picked_with_login(github_sandbox):
    code = authorize(github_sandbox, login="priya-raman")["code"]
    token = exchange(github_sandbox, code).json()["access_token"]
    user = requests.get(github_sandbox.url + "/user", headers={"Authorization": f"token {token}"})
    assert user.json()["login"] == "priya-raman"


def test_without_json_accept_the_answer_is_form_encoded(github_sandbox):
    response = exchange(github_sandbox, authorize(github_sandbox)["code"], accept="*/*")
    assert response.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    fields = parse_qs(response.text)
    assert fields["token_type"] == ["bearer"] and fields["access_token"][0].startswith("gho_")


def test_codes_are_single_use(github_sandbox):
    code = authorize(github_sandbox)["code"]
    assert "access_token" in exchange(github_sandbox, code).json()
    again = exchange(github_sandbox, code)
    assert again.status_code == 200
    assert again.json()["error"] == "bad_verification_code"
    assert again.json()["error_description"] == "The code passed is incorrect or expired."


def test_a_different_redirect_uri_is_a_mismatch(github_sandbox):
    code = authorize(github_sandbox)["code"]
    body = exchange(github_sandbox, code, redirect_uri="http://evil.test/cb").json()
    assert body["error"] == "redirect_uri_mismatch"


def test_registered_apps_reject_wrong_client_credentials(github_sandbox):
    github_sandbox.register_oauth_app("client-1", "right")
    code = authorize(github_sandbox)["code"]
    assert exchange(github_sandbox, code).json()["error"] == "incorrect_client_credentials"
    assert "access_token" in exchange(github_sandbox, code, client_secret="right").json()
