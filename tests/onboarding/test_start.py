"""Step 1: what Tformance reads, Connect GitHub (OAuth with a state check), or a token."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse

from tests.helpers.onboarding import make_wizard_team
from tests.helpers.web import HTMX
from tformance.onboarding.models import PendingGitHubConnection

pytestmark = pytest.mark.django_db


def test_the_start_page_says_what_is_read_and_offers_both_ways_to_connect(
    client, newcomer, oauth_app
):
    page = client.get(reverse("onboarding:start")).content.decode()

    assert "never the contents of your code" in page
    assert reverse("onboarding:github_connect") in page
    assert "Use a personal access token instead" in page


def test_without_an_oauth_app_the_start_page_offers_only_a_token(client, newcomer, settings):
    settings.GITHUB_OAUTH_CLIENT_ID = ""

    page = client.get(reverse("onboarding:start")).content.decode()

    assert reverse("onboarding:github_connect") not in page
    assert "not set up on this server" in page


def test_a_user_who_already_has_a_team_is_sent_on_from_the_start(client, newcomer, sandbox):
    make_wizard_team(newcomer, sandbox)

    response = client.get(reverse("onboarding:start"))

    assert response["Location"] == reverse("onboarding:resume")


def _authorize(client):
    """Begin the OAuth flow, let the sandbox's GitHub answer, return the callback URL."""
    begin = client.get(reverse("onboarding:github_connect"))
    assert begin.status_code == 302
    github = requests.get(begin["Location"], allow_redirects=False, timeout=10)
    assert github.status_code == 302
    return github.headers["Location"], parse_qs(urlsplit(begin["Location"]).query)


def test_connect_github_sends_the_user_to_githubs_authorize_page_with_a_state(
    client, newcomer, oauth_app
):
    response = client.get(reverse("onboarding:github_connect"))

    url = urlsplit(response["Location"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}" == oauth_app.url
    assert url.path == "/login/oauth/authorize"
    assert query["scope"] == ["repo read:org"]
    assert query["state"] == [client.session["onboarding:oauth_state"]]
    assert query["redirect_uri"] == ["http://testserver/onboarding/github/callback/"]


def test_the_oauth_flow_holds_the_token_encrypted_for_the_org_step(client, newcomer, oauth_app):
    callback, _ = _authorize(client)

    page = client.get(callback)
    assert page.status_code == 200
    assert "Getting your access from GitHub" in page.content.decode()
    code_state = {
        k: v[0] for k, v in parse_qs(urlsplit(callback).query).items() if k in ("code", "state")
    }
    response = client.post(reverse("onboarding:github_exchange"), code_state, **HTMX)

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("onboarding:org")
    pending = PendingGitHubConnection.objects.get(user=newcomer)
    assert pending.access_token.startswith("gho_")
    assert set(pending.token_scopes.split(", ")) == {"repo", "read:org"}
    assert "onboarding:oauth_state" not in client.session
    assert pending.access_token not in str(dict(client.session))


def test_after_oauth_the_next_step_names_the_github_login_connected(client, newcomer, oauth_app):
    callback, _ = _authorize(client)
    code_state = {
        k: v[0] for k, v in parse_qs(urlsplit(callback).query).items() if k in ("code", "state")
    }
    client.post(reverse("onboarding:github_exchange"), code_state, **HTMX)

    page = client.get(reverse("onboarding:org")).content.decode()

    assert "Connected to GitHub as <strong>maya-chen</strong>" in page


def test_the_connect_button_says_what_happens_next(client, newcomer, oauth_app):
    page = client.get(reverse("onboarding:start")).content.decode()

    assert "then come back here" not in page
    assert "GitHub asks you to authorise Tformance" in page
    assert "then you choose the organisation" in page


def test_a_callback_with_a_state_this_browser_did_not_start_is_rejected(
    client, newcomer, oauth_app
):
    callback, _ = _authorize(client)
    forged = callback.replace("state=", "state=forged")

    response = client.get(forged)

    assert response.status_code == 400
    assert "did not match" in response.content.decode()
    assert not PendingGitHubConnection.objects.exists()


def test_a_callback_without_any_state_in_the_session_is_rejected(client, newcomer, oauth_app):
    response = client.get(reverse("onboarding:github_callback"), {"code": "x", "state": "y"})

    assert response.status_code == 400


def test_an_exchange_with_a_bad_state_is_rejected_and_nothing_is_stored(
    client, newcomer, oauth_app
):
    _authorize(client)

    response = client.post(
        reverse("onboarding:github_exchange"), {"code": "abc", "state": "nope"}, **HTMX
    )

    assert "expired or was not started here" in response.content.decode()
    assert not PendingGitHubConnection.objects.exists()


def test_a_used_code_shows_githubs_reason_and_a_way_to_start_again(client, newcomer, oauth_app):
    callback, _ = _authorize(client)
    query = parse_qs(urlsplit(callback).query)
    state = query["state"][0]
    session = client.session
    session["onboarding:oauth_state"] = state
    session.save()

    response = client.post(
        reverse("onboarding:github_exchange"), {"code": "not-a-code", "state": state}, **HTMX
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "The code passed is incorrect or expired." in body
    assert reverse("onboarding:start") in body


def test_declining_on_github_returns_to_the_start_with_a_message(client, newcomer, oauth_app):
    response = client.get(
        reverse("onboarding:github_callback"), {"error": "access_denied"}, follow=True
    )

    assert "the request was declined" in response.content.decode()


def test_github_unreachable_during_the_exchange_shows_an_error_panel_not_a_500(
    client, newcomer, oauth_app, settings
):
    callback, _ = _authorize(client)
    query = {k: v[0] for k, v in parse_qs(urlsplit(callback).query).items()}
    settings.GITHUB_URL = "http://127.0.0.1:1"  # nothing listens there

    response = client.post(
        reverse("onboarding:github_exchange"),
        {"code": query["code"], "state": query["state"]},
        **HTMX,
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "GitHub did not connect" in body and "Connection to GitHub failed" in body
    assert not PendingGitHubConnection.objects.exists()


def test_a_valid_personal_token_that_reaches_the_org_is_held_for_the_next_step(
    client, newcomer, sandbox
):
    response = client.post(
        reverse("onboarding:github_token"),
        {"token": sandbox.token, "organization": "acme"},
        **HTMX,
    )

    assert response["HX-Redirect"] == reverse("onboarding:org")
    pending = PendingGitHubConnection.objects.get(user=newcomer)
    assert (pending.method, pending.org_login, pending.viewer_login) == ("pat", "acme", "maya-chen")


def test_an_invalid_token_gets_a_clear_error_and_is_not_stored(client, newcomer, sandbox):
    response = client.post(
        reverse("onboarding:github_token"),
        {"token": "ghp_not-a-real-token", "organization": "acme"},
        **HTMX,
    )

    assert response.status_code == 200
    assert "GitHub rejected the token" in response.content.decode()
    assert not PendingGitHubConnection.objects.exists()


@pytest.mark.parametrize(
    ("scopes", "missing"),
    [(["repo"], "read:org"), (["read:org"], "repo"), (["read:user"], "repo")],
)
def test_a_token_without_the_needed_scopes_is_refused_naming_them(
    client, newcomer, sandbox, scopes, missing
):
    token = sandbox.issue_token(scopes=scopes)

    response = client.post(
        reverse("onboarding:github_token"), {"token": token, "organization": "acme"}, **HTMX
    )

    body = response.content.decode()
    assert "missing the scopes" in body and missing in body
    assert not PendingGitHubConnection.objects.exists()


def test_a_token_that_cannot_reach_the_org_is_refused_naming_the_org(client, newcomer, sandbox):
    response = client.post(
        reverse("onboarding:github_token"),
        {"token": sandbox.token, "organization": "initech"},
        **HTMX,
    )

    assert "cannot read the organisation &#x27;initech&#x27;" in response.content.decode()


@pytest.mark.parametrize("case", ["wrong token", "missing a scope", "another organisation"])
def test_a_refused_token_is_told_what_to_check(client, newcomer, sandbox, case):
    token, org = {
        "wrong token": ("ghp_not-a-real-token", "acme"),
        "missing a scope": (sandbox.issue_token(scopes=["repo"]), "acme"),
        "another organisation": (sandbox.token, "initech"),
    }[case]

    response = client.post(
        reverse("onboarding:github_token"), {"token": token, "organization": org}, **HTMX
    )

    assert "the token&#x27;s scopes: repo, read:org" in response.content.decode()


def test_github_down_while_checking_a_token_is_an_error_message_not_a_500(
    client, newcomer, sandbox
):
    sandbox.faults.update(error_rate_502=1.0)

    response = client.post(
        reverse("onboarding:github_token"), {"token": sandbox.token, "organization": "acme"}
    )

    assert response.status_code == 400
    assert "GitHub did not answer properly" in response.content.decode()
