"""The Content-Security-Policy in a real browser: every page works with nothing blocked."""

import pytest
from playwright.sync_api import expect

from tests.helpers.dashboard import history
from tests.helpers.factories import RepositorySyncFactory
from tests.helpers.onboarding import CLIENT_ID, CLIENT_SECRET, make_wizard_team
from tests.helpers.web import browser_login
from tformance.onboarding.models import OnboardingProgress

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def assert_policy(response) -> None:
    policy = response.headers.get("content-security-policy", "")
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'"):
        assert directive in policy, policy
    assert "unsafe" not in policy, policy


def test_the_watcher_sees_a_violation(watched_page):
    """Guards the tests below: a blocked inline script must be reported."""
    page = watched_page
    page.route(
        "http://csp.test/",
        lambda route: route.fulfill(
            body="<!doctype html><script>document.title = 'ran'</script>",
            content_type="text/html",
            headers={"Content-Security-Policy": "script-src 'self'"},
        ),
    )
    page.goto("http://csp.test/")
    page.wait_for_timeout(200)

    assert page.title() != "ran"
    assert any("script-src-elem blocked inline" in p for p in page.problems), page.problems


def test_the_log_in_page_loads_with_nothing_blocked(live_server, watched_page):
    page = watched_page

    response = page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    page.wait_for_load_state("networkidle")

    assert_policy(response)
    assert not page.problems, "\n".join(page.problems)


def test_the_dashboard_draws_its_charts_and_filters_with_nothing_blocked(
    live_server, watched_page, artifacts, team, owner
):
    known = history(team)
    page = watched_page
    browser_login(page, live_server, owner)

    response = page.goto(f"{live_server.url}/t/{team.slug}/?range=30")
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length === 2")
    page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length === 2")
    page.screenshot(path=artifacts / "csp-dashboard.png", full_page=True)
    total = page.locator("[data-testid=pr-count]").inner_text()
    page.select_option("select[name=repository]", label="acme/api")
    page.wait_for_url(f"**repository={known['api'].pk}**")
    page.wait_for_function(
        "n => document.querySelector('[data-testid=pr-count]').innerText !== n", arg=total
    )
    page.select_option("select[name=range]", value="custom")  # waits for both dates
    expect(page.locator(".custom-dates")).to_be_visible()
    page.wait_for_timeout(300)

    assert "range=30" in page.url  # choosing "custom" alone sent no request
    assert_policy(response)
    assert page.locator(".bars rect").count() > 0  # the bars, drawn without inline styles
    assert not page.problems, "\n".join(page.problems)


def test_the_onboarding_sync_page_polls_its_status_with_nothing_blocked(
    live_server, watched_page, lonely_user, github_sandbox
):
    team = make_wizard_team(lonely_user, github_sandbox, step=OnboardingProgress.Step.SYNC)
    RepositorySyncFactory(
        repository__team=team, repository__full_name="acme/monolith", status="complete"
    )
    page = watched_page
    browser_login(page, live_server, lonely_user)

    response = page.goto(f"{live_server.url}/onboarding/sync/")
    with page.expect_response("**/onboarding/sync/status/") as status:
        pass
    assert status.value.ok
    expect(page.locator("tr[data-repository]")).to_have_attribute("data-status", "complete")

    assert_policy(response)
    assert not page.problems, "\n".join(page.problems)


def test_connect_github_goes_to_github_and_back_with_nothing_blocked(
    live_server, watched_page, lonely_user, github_sandbox, settings
):
    settings.GITHUB_OAUTH_CLIENT_ID = CLIENT_ID
    settings.GITHUB_OAUTH_CLIENT_SECRET = CLIENT_SECRET
    settings.SITE_URL = live_server.url
    github_sandbox.register_oauth_app(CLIENT_ID, CLIENT_SECRET)
    page = watched_page
    browser_login(page, live_server, lonely_user)

    response = page.goto(f"{live_server.url}/onboarding/start/")
    page.get_by_test_id("connect-github").click()
    expect(page.get_by_role("heading", name="Choose the organisation")).to_be_visible()
    expect(page.get_by_label("acme", exact=True)).to_be_visible()

    assert_policy(response)
    assert not page.problems, "\n".join(page.problems)
