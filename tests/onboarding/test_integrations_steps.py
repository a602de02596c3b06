"""Steps 5 and 6: Jira and Slack are optional; Connect validates over HTTP, then stores."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from tests.helpers.web import HTMX
from tformance.integrations.models import JiraIntegration, SlackIntegration
from tformance.jira.models import JiraProject
from tformance.onboarding.models import OnboardingProgress

pytestmark = pytest.mark.django_db
MYSELF = "/rest/api/3/myself"


def _furthest(team):
    return OnboardingProgress.objects.get(team=team).furthest_step


def test_the_jira_step_explains_what_it_adds_and_offers_connect_or_skip(client, at_step):
    at_step("jira")

    body = client.get(reverse("onboarding:jira")).content.decode()

    assert "links pull requests to their issues" in body
    assert "Check and connect" in body and "Skip for now" in body


def test_connecting_jira_checks_the_credentials_then_stores_the_token_encrypted(
    client, at_step, wizard_team, http_stub
):
    at_step("jira")
    http_stub.answer("GET", MYSELF, 200, {"accountId": "abc123", "displayName": "Maya Chen"})

    response = client.post(
        reverse("onboarding:jira"),
        {
            "action": "connect",
            "site_url": http_stub.url,
            "email": "maya@acme.dev",
            "api_token": "ATATT-secret",
        },
        **HTMX,
    )

    assert response["HX-Redirect"] == reverse("onboarding:jira_projects")  # then pick them
    jira = JiraIntegration.objects.get(team=wizard_team)
    assert (jira.site_url, jira.account_id, jira.api_token) == (
        http_stub.url,
        "abc123",
        "ATATT-secret",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT api_token FROM integrations_jiraintegration")
        (stored,) = cursor.fetchone()
    assert b"ATATT-secret" not in bytes(stored)
    assert _furthest(wizard_team) == "jira"


def test_wrong_jira_credentials_are_an_error_and_nothing_is_stored(
    client, at_step, wizard_team, http_stub
):
    at_step("jira")
    http_stub.answer("GET", MYSELF, 401, {"errorMessages": ["Unauthorized"]})

    response = client.post(
        reverse("onboarding:jira"),
        {"action": "connect", "site_url": http_stub.url, "email": "m@a.dev", "api_token": "x"},
        **HTMX,
    )

    assert response.status_code == 200
    assert "rejected the email and API token" in response.content.decode()
    assert not JiraIntegration.objects.exists()
    assert _furthest(wizard_team) == "jira"


def test_skipping_jira_moves_on_without_storing_anything(client, at_step, wizard_team):
    at_step("jira")

    response = client.post(reverse("onboarding:jira"), {"action": "skip"})

    assert response["Location"] == reverse("onboarding:slack")
    assert not JiraIntegration.objects.exists()


def test_connecting_slack_posts_a_test_message_then_stores_the_webhook(
    client, at_step, wizard_team, http_stub, settings
):
    at_step("slack")
    settings.SLACK_WEBHOOK_URL_PREFIX = f"{http_stub.url}/services/"
    http_stub.answer("POST", "/services/T024BE7LD/B01/abcXYZ", 200, "ok")
    url = f"{http_stub.url}/services/T024BE7LD/B01/abcXYZ"

    response = client.post(
        reverse("onboarding:slack"), {"action": "connect", "webhook_url": url}, **HTMX
    )

    assert response["HX-Redirect"] == reverse("onboarding:complete")
    assert SlackIntegration.objects.get(team=wizard_team).webhook_url == url
    assert b"Tformance is connected" in http_stub.requests[0].body


def test_a_webhook_url_of_the_wrong_shape_is_refused_without_a_request(client, at_step, http_stub):
    at_step("slack")

    response = client.post(
        reverse("onboarding:slack"),
        {"action": "connect", "webhook_url": f"{http_stub.url}/not-slack"},
        **HTMX,
    )

    assert "not a Slack incoming-webhook URL" in response.content.decode()
    assert http_stub.requests == []
    assert not SlackIntegration.objects.exists()


def test_skipping_slack_leads_to_the_summary(client, at_step):
    at_step("slack")

    response = client.post(reverse("onboarding:slack"), {"action": "skip"})

    assert response["Location"] == reverse("onboarding:complete")


@pytest.mark.parametrize(
    ("site_url", "says"),
    [
        ("https://[::1", "not a valid web address"),
        (f"https://{'a' * 250}.atlassian.net", "not a valid host name"),
    ],
)
def test_a_malformed_jira_site_is_a_form_error_not_a_server_error(
    client, at_step, http_stub, site_url, says
):
    at_step("jira")

    response = client.post(
        reverse("onboarding:jira"),
        {"action": "connect", "site_url": site_url, "email": "m@a.dev", "api_token": "x"},
        **HTMX,
    )

    assert response.status_code == 200
    assert says in response.content.decode()
    assert http_stub.requests == []
    assert not JiraIntegration.objects.exists()


def _jira_error(client, site_url):
    response = client.post(
        reverse("onboarding:jira"),
        {"action": "connect", "site_url": site_url, "email": "m@a.dev", "api_token": "x"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "HX-Redirect" not in response
    return re.search(r'role="alert"><p>(.*?)</p>', response.content.decode(), re.S).group(1)


def test_the_jira_site_cannot_be_this_machine_or_an_internal_network(
    client, at_step, http_stub, settings
):
    at_step("jira")
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    port = http_stub.url.rsplit(":", 1)[1]
    http_stub.answer("GET", MYSELF, 200, {"accountId": "abc123"})

    errors = {
        site: _jira_error(client, site)
        for site in (
            http_stub.url,
            f"https://127.0.0.1:{port}",
            "127.0.0.1:22",
            f"localhost:{port}",
            "https://[::1]:6379",
            "https://0.0.0.0",
            "https://10.0.0.5",
            "169.254.169.254",
        )
    }

    assert len(set(errors.values())) == 1, errors
    assert "cannot connect to that address" in next(iter(errors.values()))
    assert http_stub.requests == []
    assert not JiraIntegration.objects.exists()


def test_the_slack_webhook_cannot_point_at_this_machine(client, at_step, http_stub, settings):
    at_step("slack")
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    settings.SLACK_WEBHOOK_URL_PREFIX = f"{http_stub.url}/services/"
    http_stub.answer("POST", "/services/T024BE7LD/B01/abcXYZ", 200, "ok")

    response = client.post(
        reverse("onboarding:slack"),
        {"action": "connect", "webhook_url": f"{http_stub.url}/services/T024BE7LD/B01/abcXYZ"},
        **HTMX,
    )

    assert "cannot connect to that address" in response.content.decode()
    assert http_stub.requests == []
    assert not SlackIntegration.objects.exists()


def test_a_jira_email_longer_than_its_column_is_a_form_error(client, at_step, http_stub):
    at_step("jira")
    email = f"{'a' * 60}@{'b' * 60}.{'c' * 60}.{'d' * 60}.example.com"

    response = client.post(
        reverse("onboarding:jira"),
        {"action": "connect", "site_url": http_stub.url, "email": email, "api_token": "x"},
        **HTMX,
    )

    assert "at most 254 characters" in response.content.decode()
    assert http_stub.requests == []


PROJECTS = "/rest/api/3/project/search?startAt=0&maxResults=50&orderBy=key"


@pytest.fixture
def jira_connected(wizard_team, http_stub, at_step):
    at_step("jira")
    JiraIntegration.objects.create(
        team=wizard_team, site_url=http_stub.url, email="maya@acme.dev", api_token="ATATT-x"
    )
    values = [
        {"id": "10000", "key": "CORE", "name": "Core platform"},
        {"id": "10001", "key": "WEB", "name": "Web app"},
    ]
    http_stub.answer("GET", PROJECTS, 200, {"values": values, "isLast": True, "total": 2})
    return wizard_team


def test_after_connecting_jira_the_admin_picks_the_projects_to_track_and_their_sync_is_queued(
    client, jira_connected, django_capture_on_commit_callbacks
):
    page = client.get(reverse("onboarding:jira_projects")).content.decode()
    assert "CORE" in page and "Web app" in page

    with django_capture_on_commit_callbacks(execute=False) as sends:
        response = client.post(reverse("onboarding:jira_projects"), {"projects": ["WEB"]})

    assert response.status_code == 302 and response["Location"] == reverse("onboarding:slack")
    projects = {p.key: p for p in JiraProject.objects.filter(team=jira_connected)}
    assert (projects["WEB"].is_tracked, projects["CORE"].is_tracked) == (True, False)
    assert projects["WEB"].status == JiraProject.Status.QUEUED
    assert len(sends) == 1
    assert _furthest(jira_connected) == "slack"


def test_a_project_pick_names_what_is_wrong_and_tracks_nothing(client, jira_connected):
    none = client.post(reverse("onboarding:jira_projects"), {})
    gone = client.post(reverse("onboarding:jira_projects"), {"projects": ["WEB", "OLD"]})

    assert none.status_code == 400 and "Pick at least one project" in none.content.decode()
    assert gone.status_code == 400 and "not on your Jira site" in gone.content.decode()
    assert not JiraProject.objects.filter(team=jira_connected, is_tracked=True).exists()
    assert _furthest(jira_connected) == "jira"


def test_a_jira_that_rejects_the_token_when_listing_projects_says_so(
    client, jira_connected, http_stub
):
    http_stub.answer("GET", PROJECTS, 401, {"errorMessages": ["Unauthorized"]})

    response = client.get(reverse("onboarding:jira_projects"))

    assert response.status_code == 502
    assert "rejected the email and API token (401)" in response.content.decode()


def test_in_settings_an_admin_reconnects_jira_changes_its_projects_and_syncs_it_again(
    client, jira_connected, http_stub, django_capture_on_commit_callbacks
):
    from tformance.onboarding.models import OnboardingProgress

    OnboardingProgress.objects.filter(team=jira_connected).update(furthest_step="complete")
    http_stub.answer("GET", MYSELF, 200, {"accountId": "abc123", "displayName": "Maya Chen"})
    url = reverse("onboarding:settings_jira_projects", args=[jira_connected.slug])
    connect = {"action": "connect", "site_url": http_stub.url, "email": "maya@acme.dev"}

    reconnected = client.post(url, {**connect, "api_token": "ATATT-new"})
    with django_capture_on_commit_callbacks(execute=False) as picked:
        chosen = client.post(url, {"projects": ["CORE", "WEB"]})
    with django_capture_on_commit_callbacks(execute=False) as synced:
        again = client.post(reverse("onboarding:settings_jira_sync", args=[jira_connected.slug]))
    settings_page = client.get(reverse("onboarding:settings", args=[jira_connected.slug]))

    assert reconnected.status_code == 302
    assert JiraIntegration.objects.get(team=jira_connected).api_token == "ATATT-new"
    assert chosen.status_code == 302 and len(picked) == 2
    assert again.status_code == 302 and len(synced) == 2
    assert set(
        JiraProject.objects.filter(team=jira_connected, is_tracked=True).values_list(
            "key", flat=True
        )
    ) == {"CORE", "WEB"}
    page = settings_page.content.decode()
    assert 'data-testid="jira-projects-status"' in page and "Queued" in page
