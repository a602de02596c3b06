"""The filter controls in a real browser, driven the way a person does: typed dates, Enter,
Back and Forward."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.helpers.dashboard import history
from tests.helpers.web import browser_login
from tformance.dashboard.forms import DashboardFilterForm
from tformance.metrics.filters import pull_requests_opened

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

COUNT = "[data-testid=pr-count]"


def opened(team, **query) -> int:
    """What the overview's PR count must read for this query."""
    filters = DashboardFilterForm(query, team=team).metric_filters()
    return pull_requests_opened(filters=filters).count()


def type_date(page, name: str, day: dt.date) -> None:
    """Type a date into a date field as a person does: click it, type mm dd yyyy (en-US)."""
    field = page.locator(f"#filters input[name={name}]")
    field.click(position={"x": 12, "y": 10})  # on the month, not the picker's icon
    page.keyboard.type(day.strftime("%m%d%Y"), delay=40)


def settled(page) -> None:
    """Wait until the filters' request has been answered and swapped in."""
    page.wait_for_selector("#dashboard-body:not(.htmx-request)", state="attached")


def count_becomes(page, value: int) -> None:
    expect(page.locator(COUNT)).to_have_text(str(value))


@pytest.fixture
def known(team):
    return history(team)


@pytest.fixture
def page(watched_page):
    """The browser page, watched for CSP violations, console and page errors."""
    return watched_page


@pytest.fixture
def dashboard(live_server, page, known, member):
    browser_login(page, live_server, member)
    return f"{live_server.url}/t/{known['api'].team.slug}/"


def test_a_custom_period_typed_or_picked_is_applied(dashboard, page, artifacts, team):
    today = timezone.localdate()
    first, last = today - dt.timedelta(days=9), today - dt.timedelta(days=3)
    page.goto(f"{dashboard}?range=30")
    count_becomes(page, opened(team, range="30"))
    requests = []
    page.on("request", lambda r: "/t/" in r.url and requests.append(r.url))

    page.select_option("#filters select[name=range]", value="custom")
    type_date(page, "start", first)
    type_date(page, "end", last)

    expected = opened(team, range="custom", start=first.isoformat(), end=last.isoformat())
    assert expected != opened(team, range="30")
    page.wait_for_url(f"**start={first.isoformat()}&end={last.isoformat()}**")
    count_becomes(page, expected)
    expect(page.locator(".period")).to_contain_text(f"{first:%-d %b %Y} – {last:%-d %b %Y}")
    # Typing a year passes through 0002, 0020 and 0202: none of those is asked for.
    assert len(requests) == 1, requests
    page.screenshot(path=artifacts / "controls-custom-period.png", full_page=True)

    # The date picker (a browser popup Playwright cannot click) sets the whole date at once,
    # with one change event, as fill() does.
    page.fill("#filters input[name=start]", str(today - dt.timedelta(days=20)))
    page.wait_for_url(f"**start={today - dt.timedelta(days=20)}&end={last}**")
    count_becomes(
        page, opened(team, range="custom", start=str(today - dt.timedelta(days=20)), end=str(last))
    )
    assert len(requests) == 2, requests
    assert not page.problems, "\n".join(page.problems)


def test_enter_in_a_date_field_applies_the_filters(dashboard, page, team):
    today = timezone.localdate()
    first, last = today - dt.timedelta(days=20), today - dt.timedelta(days=1)
    page.goto(f"{dashboard}?range=custom&start={first}&end={last}")
    count_becomes(page, opened(team, range="custom", start=str(first), end=str(last)))
    requests = []
    page.on("request", lambda r: "/t/" in r.url and requests.append(r.url))

    # Enter with nothing changed asks again, as a form's submit does.
    page.locator("#filters input[name=end]").click(position={"x": 12, "y": 10})
    with page.expect_request(lambda r: f"end={last}" in r.url and r.headers.get("hx-request")):
        page.keyboard.press("Enter")
    settled(page)

    # A new day, then Enter at once: applied once, without waiting.
    later = today - dt.timedelta(days=6)
    page.locator("#filters input[name=start]").click(position={"x": 12, "y": 10})
    page.keyboard.press("Tab")  # from the month to the day
    page.keyboard.type(f"{later:%d}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**start={later.isoformat()}**")
    count_becomes(page, opened(team, range="custom", start=str(later), end=str(last)))
    page.wait_for_timeout(1000)
    assert len(requests) == 2, requests
    assert not page.problems, "\n".join(page.problems)


def controls(page) -> dict:
    return page.evaluate(
        """() => {
          const f = document.getElementById("filters").elements;
          return {range: f.range.value, start: f.start.value, end: f.end.value,
                  repository: f.repository.selectedOptions[0].text,
                  bots: f.bots.checked,
                  datesShown: !document.querySelector(".custom-dates").hidden};
        }"""
    )


def test_back_and_forward_keep_the_controls_and_the_numbers_in_step(
    dashboard, page, artifacts, team, known
):
    today = timezone.localdate()
    first, last = today - dt.timedelta(days=9), today - dt.timedelta(days=3)
    web = known["web"]
    page.goto(f"{dashboard}?range=90")
    states = [({"range": "90"}, {"range": "90", "repository": "All repositories"})]

    page.select_option("#filters select[name=repository]", label="acme/web")
    page.wait_for_url(f"**repository={web.pk}**")
    states.append(
        (
            {"range": "90", "repository": str(web.pk)},
            {"range": "90", "repository": "acme/web"},
        )
    )
    count_becomes(page, opened(team, **states[-1][0]))

    page.check("#filters input[name=bots]")
    page.wait_for_url("**bots=on**")
    states.append(({**states[-1][0], "bots": "on"}, {**states[-1][1], "bots": True}))
    count_becomes(page, opened(team, **states[-1][0]))

    page.select_option("#filters select[name=range]", value="custom")
    type_date(page, "start", first)
    type_date(page, "end", last)
    page.wait_for_url(f"**end={last.isoformat()}**")
    custom = {"range": "custom", "start": str(first), "end": str(last)}
    states.append(({**states[-1][0], **custom}, {**states[-1][1], **custom, "datesShown": True}))
    count_becomes(page, opened(team, **states[-1][0]))

    def check(index):
        query, shown = states[index]
        count_becomes(page, opened(team, **query))
        now = controls(page)
        expected = {"start": "", "end": "", "bots": False, "datesShown": False, **shown}
        assert {k: now[k] for k in expected} == expected, f"state {index}"

    for index in (2, 1, 0):
        page.go_back()
        check(index)
    # caret="initial": hiding the caret, Playwright leaves style="" on every input, which the
    # next history snapshot would carry and the CSP then refuse (no person's browser does).
    page.screenshot(path=artifacts / "controls-back.png", full_page=True, caret="initial")
    for index in (1, 2, 3):
        page.go_forward()
        check(index)
    page.screenshot(path=artifacts / "controls-forward.png", full_page=True, caret="initial")

    # The restored controls still work: choosing a period after Back applies it.
    page.go_back()
    check(2)
    page.select_option("#filters select[name=range]", value="7")
    page.wait_for_url("**range=7**")
    count_becomes(page, opened(team, **{**states[2][0], "range": "7"}))
    assert not page.problems, "\n".join(page.problems)


def test_back_to_a_page_htmx_no_longer_holds_shows_the_whole_page(dashboard, page, team, known):
    page.goto(f"{dashboard}?range=90")
    page.select_option("#filters select[name=repository]", label="acme/web")
    page.wait_for_url(f"**repository={known['web'].pk}**")
    settled(page)
    # As when more than htmx's 10 pages were visited since.
    page.evaluate("sessionStorage.removeItem('htmx-history-cache')")

    page.go_back()

    count_becomes(page, opened(team, range="90"))
    expect(page.locator("#filters")).to_have_count(1)
    expect(page.locator("#dashboard-tabs")).to_be_visible()
    assert controls(page)["repository"] == "All repositories"
    assert not page.problems, "\n".join(page.problems)
