"""What a first visit meets, in a real browser: the 404 page, a phone's screen, PR links."""

import pytest
from playwright.sync_api import expect

from tests.helpers.dashboard import history
from tests.helpers.factories import MembershipFactory
from tests.helpers.sync import acme, sandbox, track  # noqa: F401  (fixtures)
from tests.helpers.web import browser_login
from tformance.pulls.models import PullRequest
from tformance.sync.repository import repository_sync
from tformance.teams.models import Membership

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}  # an iPhone 12 to 15, in CSS pixels

# How far the page reaches past the screen's right edge, and what sticks out (leaving out
# what is hidden, and what scrolls inside its own box, as a wide table may).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = e => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const out = [...document.querySelectorAll("body *")].filter(e => {
    const box = e.getBoundingClientRect();
    return box.width && box.right > width + 0.5 && e.checkVisibility() && !scrolls(e);
  }).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""));
  return {extra: document.documentElement.scrollWidth - width, out: [...new Set(out)].slice(0, 8)};
}"""


def assert_fits(page, name):
    fit = page.evaluate(OVERFLOW)
    assert fit == {"extra": 0, "out": []}, f"{name}: {fit}"


def test_a_missing_page_is_the_products_404_with_a_way_back(
    live_server, browser_page, artifacts, team, member
):
    page = browser_page
    browser_login(page, live_server, member)

    response = page.goto(f"{live_server.url}/t/no-such-team/")

    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.locator(".topbar")).to_contain_text("member@example.com")
    page.screenshot(path=artifacts / "error-404.png", full_page=True)
    page.get_by_role("link", name="Go to the home page").click()
    page.get_by_role("link", name="Open your dashboard").click()
    expect(page).to_have_url(f"{live_server.url}/t/{team.slug}/")


def test_on_a_phone_the_header_and_the_dashboard_fit_the_screen(
    live_server, browser_page, artifacts, team, owner
):
    history(team)
    # A second team with a long name, as the header lists every team.
    MembershipFactory(
        user=owner, team__name="Globex Corporation Platform", role=Membership.Role.ADMIN
    )
    page = browser_page
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/")
    assert_fits(page, "home")
    page.screenshot(path=artifacts / "phone-home.png", full_page=True)

    browser_login(page, live_server, owner)
    for name, path in (("overview", ""), ("people", "people/"), ("prs", "prs/")):
        page.goto(f"{live_server.url}/t/{team.slug}/{path}?range=90")
        page.wait_for_load_state("networkidle")
        assert_fits(page, name)
        page.screenshot(path=artifacts / f"phone-{name}.png")  # what the screen shows first

    page.goto(f"{live_server.url}/onboarding/settings/{team.slug}/")
    page.wait_for_load_state("networkidle")
    assert_fits(page, "settings")
    page.screenshot(path=artifacts / "phone-settings.png", full_page=True)

    header = page.locator(".topbar").bounding_box()
    assert header["width"] <= PHONE["width"]
    expect(page.get_by_role("button", name="Log out")).to_be_in_viewport()


def test_a_pr_link_opens_the_sandboxs_page_for_that_pr(
    live_server,
    browser_page,
    artifacts,
    acme,  # noqa: F811
    track,  # noqa: F811
):
    monolith = track("acme/monolith")
    assert repository_sync(repository=monolith).outcome == "complete"
    user = MembershipFactory(team=acme).user
    page = browser_page
    browser_login(page, live_server, user)
    page.goto(f"{live_server.url}/t/{acme.slug}/prs/?range=180")

    link = page.locator("[data-testid=pr-table] tbody a[href^='http']").first
    pr = PullRequest.objects.get(url=link.get_attribute("href"))
    link.click()

    expect(page.get_by_role("heading", name=pr.title)).to_be_visible()
    expect(page.locator("body")).to_contain_text(f"acme/monolith#{pr.number}")
    page.screenshot(path=artifacts / "sandbox-pr-page.png", full_page=True)
