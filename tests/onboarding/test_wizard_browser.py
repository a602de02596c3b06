"""The whole wizard in a real browser: sign up, OAuth against the sandbox, a real worker,
Jira and Slack against their stand-ins, a dashboard that shows the synced PRs and the Jira
numbers, and the Slack settings: a test message that shows in the stand-in's page."""

import datetime as dt
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.helpers.onboarding import CLIENT_ID, CLIENT_SECRET
from tformance.pulls.models import PullRequest
from tformance.slack.models import AlertRule
from tformance.slack.selectors import alerts_preview
from tformance.teams.models import Team

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
EMAIL, PASSWORD = "maya@acme.dev", "a-long-enough passphrase"


@pytest.fixture
def github(sandbox, settings, live_server):
    settings.GITHUB_OAUTH_CLIENT_ID = CLIENT_ID
    settings.GITHUB_OAUTH_CLIENT_SECRET = CLIENT_SECRET
    settings.SITE_URL = live_server.url
    # The stand-ins' Jira site and Slack webhooks are on loopback.
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    settings.SLACK_WEBHOOK_URL_PREFIX = sandbox.slack.webhook_url_prefix
    sandbox.register_oauth_app(CLIENT_ID, CLIENT_SECRET)
    return sandbox


def test_a_cto_signs_up_walks_the_wizard_and_lands_on_a_dashboard_with_synced_prs(
    live_server, browser_page, artifacts, github, worker_factory
):
    worker_factory(
        OUTBOUND_ALLOW_LOOPBACK="1", SLACK_WEBHOOK_URL_PREFIX=github.slack.webhook_url_prefix
    )
    jira, slack = github.jira, github.slack
    webhook = slack.webhook_url(workspace="T0AC", webhook="B0AC")
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

    # 6. Jira and Slack, against their stand-ins
    expect(page.get_by_role("heading", name=re.compile("Connect Jira"))).to_be_visible()
    page.get_by_label("Jira site").fill(jira.url)
    page.get_by_label("Your Atlassian account email").fill(jira.email)
    page.get_by_label("API token").fill(jira.api_token)
    shot(7, "jira")
    page.get_by_test_id("jira-connect").click()
    expect(page.get_by_role("heading", name=re.compile("Which Jira projects"))).to_be_visible()
    for key in ("CORE", "WEB", "OPS"):
        page.get_by_label(re.compile(key)).check()
    shot(8, "jira-projects")
    page.get_by_test_id("jira-projects-save").click()
    expect(page.get_by_role("heading", name=re.compile("Connect Slack"))).to_be_visible()
    page.get_by_label("Incoming-webhook URL").fill(webhook)
    shot(9, "slack")
    page.get_by_test_id("slack-connect").click()

    # 7. Summary, then the dashboard
    expect(page.get_by_role("heading", name=re.compile("is set up"))).to_be_visible()
    synced = PullRequest.objects.count()
    assert synced > 0
    expect(page.get_by_test_id("summary-prs")).to_have_text(str(synced))
    shot(10, "complete")
    page.get_by_test_id("go-to-dashboard").click()
    expect(page.locator("[data-testid=pr-count]").first).to_be_visible()
    count = page.locator("[data-testid=pr-count]").first.inner_text()
    assert int(re.sub(r"\D", "", count)) > 0
    shot(11, "dashboard")
    (connected,) = slack.messages(webhook)  # the wizard's test post
    assert "Tformance is connected" in connected.text

    # 8. The Jira tab: the projects synced in the worker, their numbers against the truth
    page.get_by_role("link", name="Jira").first.click()
    linked = page.get_by_test_id("jira-linked").locator(".kpi-sub")
    expect(linked).to_have_text(re.compile(r"of \d"), timeout=60_000)
    expect(page.get_by_test_id("jira-project-problem")).to_have_count(0)
    merged = PullRequest.objects.filter(merged_at__isnull=False)
    first = min(pr.merged_at for pr in merged) - dt.timedelta(days=2)
    page.goto(
        f"{page.url.split('?')[0]}?range=custom&start={first:%Y-%m-%d}&end={dt.date.today()}&bots=on"
    )
    issues = {i.key for i in jira.world.visible_issues()}
    expected = sum(
        1
        for pr in merged
        if any(
            k in issues for k in jira.world.pr_keys.get((pr.repository.full_name, pr.number), [])
        )
    )
    expect(page.get_by_test_id("jira-linked").locator(".kpi-sub")).to_have_text(
        f"{expected} of {merged.count()}", timeout=60_000
    )
    expect(page.locator("canvas[data-chart=mix]")).to_be_visible()
    shot(12, "jira-tab")

    # 9. Slack settings: a threshold's count follows as it is typed, a test message goes
    # out through the webhook, and the digest's preview reads this week's numbers
    page.get_by_role("link", name=re.compile("^Settings")).first.click()
    expect(page.get_by_test_id("slack-card")).to_have_attribute("data-state", "active")
    page.get_by_test_id("slack-manage").click()
    expect(page.get_by_role("heading", name="Slack", exact=True)).to_be_visible()
    team = Team.objects.get()
    page.get_by_label("with more than").fill("20")
    at_20 = alerts_preview(team=team, rule=AlertRule.XL_OPENED, threshold=20)
    expect(page.get_by_test_id("rule-count-xl")).to_have_text(
        re.compile(rf"Would have sent {at_20} alerts? over the last four weeks")
    )
    page.get_by_test_id("slack-test-send").click()
    expect(page.locator(".flash-success")).to_have_text(
        "The test message was posted: look in your Slack channel."
    )
    page.get_by_test_id("slack-digest-preview").click()
    expect(page.get_by_test_id("slack-digest-preview-body")).to_contain_text(
        f"Weekly digest: {team.name}"
    )
    shot(13, "slack-settings")
    *_, test_message = slack.messages(webhook)
    assert test_message.blocks[0]["text"]["text"] == "Test message from Tformance"

    # 10. The stand-in's page shows the message as Slack would
    page.goto(f"{github.url}/_sandbox/slack")
    expect(page.locator("article.msg").first).to_contain_text("Test message from Tformance")
    expect(page.locator("article.msg").first).to_contain_text(EMAIL)
    shot(14, "sandbox-slack")
