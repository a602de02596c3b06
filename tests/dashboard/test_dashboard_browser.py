"""A real browser on the dashboard after a real sync from the GitHub sandbox."""

import pytest
from django.utils import timezone

from tests.conftest import browser_login
from tests.factories import MembershipFactory
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
