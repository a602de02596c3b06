"""The settings page in a real browser: each repository's sync in words, and Retry clicked
with the job queue down and then back."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.helpers.factories import RepositorySyncFactory
from tests.helpers.sync import sync_row
from tests.helpers.web import browser_login
from tests.helpers.workers import DeadBrokerSwap

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_an_admin_reads_each_sync_and_retries_a_failed_one_while_the_queue_is_down_then_up(
    live_server, browser_page, artifacts, owner, team
):
    now = timezone.now()
    failed = RepositorySyncFactory(
        repository__team=team,
        repository__full_name="acme/api",
        status="error",
        error="GitHub rejected the token (401 Bad credentials); reconnect GitHub.",
    ).repository
    RepositorySyncFactory(
        repository__team=team,
        repository__full_name="acme/web",
        status="syncing",
        phase="rate_limited",
        resume_at=now + dt.timedelta(minutes=20),
        heartbeat_at=now - dt.timedelta(minutes=5),
        prs_done=40,
        prs_total=120,
    )
    RepositorySyncFactory(
        repository__team=team, repository__full_name="acme/docs", status="complete", prs_done=12
    )
    page = browser_page
    browser_login(page, live_server, owner)

    page.goto(f"{live_server.url}/onboarding/settings/{team.slug}/")

    rows = page.locator("tr[data-repository]")
    api = rows.filter(has_text="acme/api")
    expect(api).to_contain_text("Sync failed")
    expect(api).to_contain_text("GitHub rejected the token")
    web = rows.filter(has_text="acme/web")
    expect(web).to_contain_text("Waiting for GitHub's rate limit")
    expect(web).to_contain_text("40 / 120 PRs synced. Resumes at")
    expect(web.get_by_role("button", name="Retry the sync of acme/web")).to_be_hidden()
    expect(rows.filter(has_text="acme/docs")).to_contain_text("Complete")
    page.screenshot(path=artifacts / "sync-states-settings.png", full_page=True)

    with DeadBrokerSwap():
        api.get_by_role("button", name="Retry the sync of acme/api").click()
        expect(page.locator(".flash")).to_contain_text("job queue is not answering")
    expect(api).to_contain_text("Queued")
    page.screenshot(path=artifacts / "sync-states-queue-down.png", full_page=True)

    api.get_by_role("button", name="Retry the sync of acme/api").click()  # the queue is back

    expect(page.locator(".flash")).to_contain_text("The sync of acme/api was queued again.")
    expect(api).to_contain_text("Queued")
    assert sync_row(failed).status == "pending"
