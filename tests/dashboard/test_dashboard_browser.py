"""A real browser on the dashboard after a real sync from the GitHub sandbox."""

import pytest
from django.utils import timezone

from tests.helpers.dashboard import history
from tests.helpers.factories import MembershipFactory
from tests.helpers.web import browser_login
from tformance.metrics.filters import period_last_days
from tformance.metrics.insights.services import insights_refresh
from tformance.pulls.models import PullRequest
from tformance.sync.repository import repository_sync
from tformance.teams.models import Membership

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_after_a_sandbox_sync_follows_a_repository_filter(
    live_server,
    browser_page,
    artifacts,
    acme,
    track,
):
    monolith, web = track("acme/monolith"), track("acme/web-app")
    for repository in (monolith, web):
        assert repository_sync(repository=repository).outcome == "complete"
    insights_refresh(team=acme, provider=None)
    user = MembershipFactory(team=acme, role=Membership.Role.ADMIN).user
    page = browser_page
    browser_login(page, live_server, user)

    page.goto(f"{live_server.url}/t/{acme.slug}/?range=180")
    count = page.locator("[data-testid=pr-count]")
    everyone = PullRequest.objects.filter(team=acme)
    total = int(count.inner_text())
    assert total > 0
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length === 2")
    page.wait_for_timeout(300)  # let Chart.js finish drawing
    page.screenshot(path=artifacts / "dashboard-overview.png", full_page=True)

    page.select_option("select[name=repository]", label="acme/web-app")
    page.wait_for_url(f"**repository={web.pk}**")
    page.wait_for_function(
        "n => document.querySelector('[data-testid=pr-count]').innerText !== String(n)", arg=total
    )
    narrowed = int(count.inner_text())
    assert 0 < narrowed < total
    in_web = everyone.filter(repository=web, author__is_bot=False) | everyone.filter(
        repository=web, is_ai_assisted=True
    )
    start, end = period_last_days(team=acme, days=180, now=timezone.now())
    assert narrowed == in_web.filter(opened_at__gte=start, opened_at__lt=end).distinct().count()
    page.wait_for_timeout(300)
    page.screenshot(path=artifacts / "dashboard-filtered.png", full_page=True)

    page.click("[data-testid=kpi-throughput]")
    page.wait_for_selector("[data-testid=pr-table]")
    assert f"repository={web.pk}" in page.url and "state=merged" in page.url
    page.screenshot(path=artifacts / "dashboard-pr-list.png", full_page=True)

    page.click("#dashboard-tabs >> text=People")
    page.wait_for_selector("[data-testid=people-table]")
    page.screenshot(path=artifacts / "dashboard-people.png", full_page=True)


def test_a_bookmarks_bad_filters_are_explained_in_the_page_and_in_htmx_swaps(
    live_server, browser_page, artifacts, team, member
):
    first = history(team)["prs"][0]
    page = browser_page
    browser_login(page, live_server, member)

    page.goto(f"{live_server.url}/t/{team.slug}/?range=custom&start=2025-01-01&end=9999-12-31")
    notice = page.locator("[data-testid=filter-notice]")
    assert "cannot end after today" in notice.inner_text()
    assert "Showing the last 30 days instead" in notice.inner_text()
    assert page.locator("[data-testid=pr-count]").inner_text() == "11"
    page.screenshot(path=artifacts / "dashboard-period-refused.png", full_page=True)

    # Choosing a preset period swaps the body through htmx, and the message goes with it.
    page.select_option("select[name=range]", value="90")
    page.wait_for_url("**range=90**")
    notice.wait_for(state="detached")
    assert page.locator("[data-testid=pr-count]").inner_text() == "11"

    # A swap that still carries a bad value shows its message again.
    page.goto(f"{live_server.url}/t/{team.slug}/prs/?ids={first.pk},%C2%B2")
    assert "1 id in the link is not a PR id" in notice.inner_text()
    notice.evaluate("n => n.dataset.before = 'swap'")
    page.select_option("select[name=state]", value="merged")
    page.wait_for_selector("[data-testid=filter-notice]:not([data-before])")
    assert "state=merged" in page.url
    assert "1 id in the link is not a PR id" in notice.inner_text()
    assert page.locator("[data-testid=pr-list-count]").inner_text() == "1"
    page.screenshot(path=artifacts / "dashboard-ids-ignored.png")
