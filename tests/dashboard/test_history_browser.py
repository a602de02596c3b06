"""In Chromium: a period that reaches past the imported history, and the charts' units."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.helpers.dashboard import history
from tests.helpers.web import browser_login
from tformance.metrics.formatting import day_text
from tformance.metrics.insights.services import insights_refresh
from tformance.pulls.models import PullRequest
from tformance.sync.models import RepositorySync

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CHART = "canvas[data-chart={}]"


def tooltip_lines(page, chart: str, *, dataset: int, index: int) -> list[str]:
    """Open the chart's tooltip on one point, as a hover does, and read what it says."""
    return page.evaluate(
        """([selector, dataset, index]) => {
            const chart = Chart.getChart(document.querySelector(selector));
            const point = chart.getDatasetMeta(dataset).data[index];
            chart.tooltip.setActiveElements([{datasetIndex: dataset, index}], {x: point.x, y: point.y});
            chart.update();
            const t = chart.tooltip;
            return [...t.title, ...t.body.flatMap(b => b.lines), ...t.footer];
        }""",
        [CHART.format(chart), dataset, index],
    )


def merged_this_week(team) -> int:
    """The truth for the week in progress (the team's weeks start on Monday, in UTC here):
    how many of history()'s PRs fall in it depends on the day and hour the test runs."""
    now = timezone.now()
    monday = dt.datetime.combine(now.date() - dt.timedelta(days=now.weekday()), dt.time(), dt.UTC)
    return PullRequest.objects.filter(
        repository__team=team, author__is_bot=False, merged_at__gte=monday, merged_at__lte=now
    ).count()


def test_the_history_message_the_not_imported_weeks_and_the_way_to_extend_it(
    live_server, browser_page, artifacts, team, owner
):
    history(team)
    since = timezone.now() - dt.timedelta(days=60)
    RepositorySync.objects.filter(team=team).update(history_from=since)
    page = browser_page
    page.on("pageerror", lambda error: pytest.fail(f"page error: {error}"))
    browser_login(page, live_server, owner)

    page.goto(f"{live_server.url}/t/{team.slug}/?range=180")
    message = page.locator("[data-testid=history-limit]")
    assert f"History imported from {day_text(since, dt.UTC)} for these repositories" in (
        message.inner_text()
    )
    assert "no comparison: history starts" in page.locator("#kpi-heading").inner_text()
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length === 2")
    labels = page.evaluate(
        f"Chart.getChart(document.querySelector('{CHART.format('throughput')}')).data.labels"
    )
    statuses = page.evaluate(
        f"Chart.getChart(document.querySelector('{CHART.format('throughput')}')).options.weekStatus"
    )
    assert statuses[0] == "not_imported" and labels[-1][1] == "so far"
    merged_per_week = page.evaluate(
        f"Chart.getChart(document.querySelector('{CHART.format('throughput')}'))"
        ".data.datasets[0].data"
    )
    assert merged_per_week[0] is None  # not a zero
    page.locator("details.table-details summary").click()
    page.wait_for_timeout(200)
    page.screenshot(path=artifacts / "history-limit-overview.png", full_page=True)

    # Tooltips give units; the week in progress says so.
    last = len(labels) - 1
    stages = tooltip_lines(page, "stages", dataset=3, index=last)
    assert any(line.startswith("Cycle time: ") and line.endswith(" h") for line in stages)
    assert stages[-1] == "week in progress"
    throughput = tooltip_lines(page, "throughput", dataset=0, index=last)
    assert f"PRs merged: {merged_this_week(team)}" in throughput
    page.locator(CHART.format("stages")).scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "history-limit-tooltip.png")

    # A period the history covers: the message goes with the htmx swap.
    page.select_option("select[name=range]", value="30")
    page.wait_for_url("**range=30**")
    message.wait_for(state="detached")

    # On the PR list too, and an admin's link leads to the settings' history section.
    page.goto(f"{live_server.url}/t/{team.slug}/prs/?range=180&state=merged")
    assert "History imported from" in message.inner_text()
    page.screenshot(path=artifacts / "history-limit-pr-list.png")
    page.click("[data-testid=history-limit] >> text=Extend the history")
    page.wait_for_url(f"**/onboarding/settings/{team.slug}/#history")


def test_insights_say_their_scope_and_open_every_pr_behind_them(
    live_server, browser_page, artifacts, team, member
):
    prs = history(team)
    insights_refresh(team=team, provider=None)
    page = browser_page
    browser_login(page, live_server, member)

    page.goto(f"{live_server.url}/t/{team.slug}/?repository={prs['api'].pk}")
    insights = page.locator("[data-testid=insights]")
    assert "not the filters above" in insights.inner_text()
    assert "whole team · " in insights.locator(".insight").first.inner_text()
    assert "0 → 5 PRs" in page.locator("[data-testid=kpi-throughput]").inner_text()
    insights.screenshot(path=artifacts / "insights-scope.png")
    page.locator(".kpis").screenshot(path=artifacts / "kpis-small-base.png")

    page.click("text=of merged PRs had no review")
    page.wait_for_selector("[data-testid=pr-table]")
    heading = page.locator(".list-head").inner_text()
    assert heading.startswith("4 pull requests merged in the period, without a review")
    assert "repository=" not in page.url  # the insight is about the whole team
    page.screenshot(path=artifacts / "insight-drill-down.png")
