"""Extending the history from the settings page, in Chromium, with a real worker."""

import pytest
from playwright.sync_api import expect

from github_sandbox.world import DEFAULT_ORG, HARD_CASES_REPO
from tests.helpers.factories import (
    GitHubIntegrationFactory,
    MembershipFactory,
    TeamFactory,
    TrackedRepositoryFactory,
)
from tests.helpers.sync import assert_matches_truth, sync_row
from tests.helpers.web import browser_login
from tformance.sync.tasks import sync_repository
from tformance.teams.models import Membership

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_an_admin_extends_the_history_and_watches_the_older_pull_requests_arrive(
    live_server, browser_page, artifacts, sandbox, worker_factory
):
    team = TeamFactory(name="Acme", slug="acme", days_back=30)
    GitHubIntegrationFactory(
        team=team,
        org_login=DEFAULT_ORG,
        org_id=sandbox.world.org(DEFAULT_ORG).id,
        access_token=sandbox.token,
    )
    monolith = sandbox.world.repo_by_full_name(HARD_CASES_REPO)
    repository = TrackedRepositoryFactory(
        team=team, github_id=monolith.id, full_name=monolith.full_name
    )
    sync_repository.fn(repository_id=repository.pk)  # the first sync: 30 days
    admin = MembershipFactory(team=team, user__username="cto@acme.dev", role=Membership.Role.ADMIN)
    worker_factory()
    page = browser_page
    browser_login(page, live_server, admin.user)

    page.goto(f"{live_server.url}/onboarding/settings/acme/#history")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("acme/monolith: every pull request updated since")
    page.screenshot(path=artifacts / "history-before.png", full_page=True)
    page.get_by_label("Import history back").select_option(label="Everything")
    page.get_by_role("button", name="Extend the history").click()

    expect(page.locator(".flash")).to_contain_text("Importing the whole history for 1 repository")
    row = page.locator("tr[data-repository]").filter(has_text="acme/monolith")
    expect(row).to_contain_text("Complete", timeout=60_000)
    page.reload()
    expect(history).to_contain_text("acme/monolith: its whole history")
    page.screenshot(path=artifacts / "history-after.png", full_page=True)
    assert_matches_truth(sandbox.world, repository)
    assert sync_row(repository).history_all
