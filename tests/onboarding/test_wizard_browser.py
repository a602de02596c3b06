"""The whole wizard in a real browser: sign up, OAuth against the sandbox, a real worker,
Jira and Slack against a local stub, and a dashboard that shows the synced PRs."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.helpers.onboarding import CLIENT_ID, CLIENT_SECRET
from tformance.pulls.models import PullRequest

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
EMAIL, PASSWORD = "maya@acme.dev", "a-long-enough passphrase"


@pytest.fixture
def github(sandbox, settings, live_server, http_stub):
    settings.GITHUB_OAUTH_CLIENT_ID = CLIENT_ID
    settings.GITHUB_OAUTH_CLIENT_SECRET = CLIENT_SECRET
    settings.SITE_URL = live_server.url
    settings.SLACK_WEBHOOK_URL_PREFIX = f"{http_stub.url}/services/"
    sandbox.register_oauth_app(CLIENT_ID, CLIENT_SECRET)
    return sandbox


def test_a_cto_signs_up_walks_the_wizard_and_lands_on_a_dashboard_with_synced_prs(
    live_server, browser_page, artifacts, github, http_stub, worker_factory
):
    worker_factory()
    http_stub.answer("GET", "/rest/api/3/myself", 200, {"accountId": "j-1", "displayName": "Maya"})
    projects = [{"id": "10000", "key": "CORE", "name": "Core platform"}]
    http_stub.answer(
        "GET",
        "/rest/api/3/project/search?startAt=0&maxResults=50&orderBy=key",
        200,
        {"values": projects, "isLast": True, "total": 1},
    )
    http_stub.answer("GET", "/rest/api/3/field", 200, [])
    http_stub.answer("GET", "/rest/api/3/status", 200, [])
    http_stub.answer("POST", "/rest/api/3/search/jql", 200, {"issues": [], "isLast": True})
    http_stub.answer("POST", "/services/T0AC/B0AC/hookSecret1", 200, "ok")
    page = browser_page

    def shot(number, name):
        page.screenshot(path=artifacts / f"wizard-{number:02d}-{name}.png", full_page=True)

    # 1. Account
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Work email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    shot(1, "signup")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    (message,) = mail.outbox  # the live server runs in this process, on the locmem backend
    page.goto(re.search(r"https?://\S+/accounts/signup/confirm/\S+", message.body).group(0))
    page.get_by_test_id("signup-confirm").click()

    # 2. Start: what is read, then Connect GitHub (the sandbox approves at once)
    expect(page.get_by_role("heading", name="Connect your GitHub organisation")).to_be_visible()
    shot(2, "start")
    page.get_by_test_id("connect-github").click()

    # 3. Organisation: two to choose from
    expect(page.get_by_role("heading", name="Choose the organisation")).to_be_visible()
    expect(page.get_by_label(re.compile("acme-labs"))).to_be_visible()
    shot(3, "org")
    page.get_by_label("acme", exact=True).check()
    page.get_by_role("button", name="Create the team").click()

    # 4. Repositories: filter, choose, pick the window
    expect(page.get_by_role("heading", name="Choose the repositories to measure")).to_be_visible()
    expect(page.get_by_test_id("repo-list")).to_be_visible()
    page.get_by_label("Filter repositories").fill("api")
    expect(page.locator(".repo-row:visible")).to_have_count(1)
    page.get_by_role("button", name="Select all").click()
    page.get_by_label("1 year").check()
    shot(4, "repos")
    page.get_by_test_id("repos-submit").click()

    # 5. Sync: polled status until complete
    expect(page.get_by_role("heading", name="Importing your history")).to_be_visible()
    shot(5, "sync-started")
    row = page.locator("tr[data-repository]")
    expect(row).to_have_attribute("data-status", "complete", timeout=90_000)
    expect(row).to_contain_text("acme/api-gateway")
    shot(6, "sync-complete")
    page.get_by_test_id("sync-continue").click()

    # 6. Jira and Slack against the local stub
    expect(page.get_by_role("heading", name=re.compile("Connect Jira"))).to_be_visible()
    page.get_by_label("Jira site").fill(http_stub.url)
    page.get_by_label("Your Atlassian account email").fill(EMAIL)
    page.get_by_label("API token").fill("ATATT-browser")
    shot(7, "jira")
    page.get_by_test_id("jira-connect").click()
    expect(page.get_by_role("heading", name=re.compile("Which Jira projects"))).to_be_visible()
    page.get_by_label(re.compile("CORE")).check()
    page.get_by_test_id("jira-projects-save").click()
    expect(page.get_by_role("heading", name=re.compile("Connect Slack"))).to_be_visible()
    page.get_by_label("Incoming-webhook URL").fill(
        f"{http_stub.url}/services/T0AC/B0AC/hookSecret1"
    )
    shot(8, "slack")
    page.get_by_test_id("slack-connect").click()

    # 7. Summary, then the dashboard
    expect(page.get_by_role("heading", name=re.compile("is set up"))).to_be_visible()
    synced = PullRequest.objects.count()
    assert synced > 0
    expect(page.get_by_test_id("summary-prs")).to_have_text(str(synced))
    shot(9, "complete")
    page.get_by_test_id("go-to-dashboard").click()
    expect(page.locator("[data-testid=pr-count]").first).to_be_visible()
    count = page.locator("[data-testid=pr-count]").first.inner_text()
    assert int(re.sub(r"\D", "", count)) > 0
    shot(10, "dashboard")
