import pytest

from tests.conftest import browser_login
from tests.factories import PullRequestFactory, TrackedRepositoryFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_member_sees_the_teams_synced_prs_in_a_real_browser(
    live_server, browser_page, artifacts, member, team
):
    PullRequestFactory(repository=TrackedRepositoryFactory(team=team), title="Speed up reports")
    page = browser_page
    browser_login(page, live_server, member)

    page.goto(f"{live_server.url}/t/{team.slug}/")

    assert page.locator("[data-testid=pr-count]").inner_text() == "1"
    assert "Speed up reports" in page.content()
    page.screenshot(path=artifacts / "placeholder-dashboard.png")
