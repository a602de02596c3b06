"""Bad input on the dashboard: a page with a clear message (or a 400 for the CSV), never a 500.

The client here does not re-raise a view's exception, so a crash is seen as the 500 a
browser would get (the test settings run with DEBUG off).
"""

import csv
import datetime as dt
import io
import zoneinfo
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

HTML_PAGES = ["/t/acme/", "/t/acme/people/", "/t/acme/prs/"]
NOTICE = 'data-testid="filter-notice"'


@pytest.fixture
def browser(member):
    client = Client(raise_request_exception=False)
    client.force_login(member)
    return client


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def notices(html: str) -> list[str]:
    """The text of each filter notice on the page."""
    parts = html.split(NOTICE)[1:]
    return [p.split(">", 1)[1].split("</p>", 1)[0].strip() for p in parts]


def team_today(team) -> dt.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(team.time_zone)).date()


def default_period_text(team) -> str:
    """How `_period.html` shows the default period (the last 30 days up to today)."""
    today = team_today(team)
    first = today - dt.timedelta(days=29)
    return f"{first.day} {first:%b %Y} – {today.day} {today:%b %Y}"


# 1. The custom period's bounds.


@pytest.mark.parametrize("url", HTML_PAGES)
@pytest.mark.parametrize(
    ("start", "end", "said"),
    [
        ("2025-01-01", "9999-12-31", "cannot end after today"),
        ("0001-01-01", "2025-01-01", "cannot start before 1 Jan 2008"),
        ("1100-01-01", "2026-01-01", "cannot start before 1 Jan 2008"),
        ("2008-01-01", "2026-01-01", "at most three years long"),
    ],
)
def test_a_custom_period_out_of_bounds_is_explained_above_the_default_period(
    browser, team, known_history, url, start, end, said
):
    response = browser.get(f"{url}?range=custom&start={start}&end={end}")

    html = body(response)
    assert response.status_code == 200
    assert len(notices(html)) == 1 and said in notices(html)[0]
    assert "Showing the last 30 days instead" in notices(html)[0]
    assert default_period_text(team) in html


def test_the_overview_under_a_refused_period_counts_the_default_period(browser, known_history):
    html = body(browser.get("/t/acme/?range=custom&start=0001-01-01&end=9999-12-31"))

    assert 'data-testid="pr-count">11<' in html  # as without any filter


def test_an_htmx_filter_change_gets_the_message_in_the_swapped_body(browser, known_history):
    response = browser.get(
        "/t/acme/?range=custom&start=2025-01-01&end=9999-12-31", headers={"HX-Request": "true"}
    )

    html = body(response)
    assert response.status_code == 200 and "<html" not in html
    assert "cannot end after today" in notices(html)[0]


def test_a_period_of_exactly_three_years_from_2008_is_accepted(browser, known_history):
    html = body(browser.get("/t/acme/?range=custom&start=2008-01-01&end=2010-12-31"))

    assert notices(html) == []
    assert "1 Jan 2008 – 31 Dec 2010" in html


def test_a_period_one_day_longer_than_three_years_is_refused(browser, known_history):
    html = body(browser.get("/t/acme/?range=custom&start=2008-01-01&end=2011-01-01"))

    assert "at most three years long (1,096 days)" in notices(html)[0]


def test_a_period_ending_today_in_the_teams_time_zone_is_accepted_and_tomorrow_is_not(
    browser, team, known_history
):
    team.time_zone = "Pacific/Kiritimati"  # UTC+14: its today is often UTC's tomorrow
    team.save()
    today = team_today(team)
    start = today - dt.timedelta(days=10)

    accepted = body(browser.get(f"/t/acme/?range=custom&start={start}&end={today}"))
    refused = body(
        browser.get(f"/t/acme/?range=custom&start={start}&end={today + dt.timedelta(days=1)}")
    )

    assert notices(accepted) == []
    assert f"cannot end after today ({today.day} {today:%b %Y}" in notices(refused)[0]


def test_a_custom_period_with_a_missing_or_broken_date_says_which(browser, known_history):
    missing = body(browser.get("/t/acme/?range=custom&start=2025-01-01"))
    broken = body(browser.get("/t/acme/?range=custom&start=2025-13-45&end=2025-02-01"))

    assert notices(missing) == [
        "A custom period needs both dates. Showing the last 30 days instead."
    ]
    assert notices(broken) == ["From: Enter a valid date. Showing the last 30 days instead."]


def test_links_from_a_page_with_a_refused_period_leave_the_period_out(browser, known_history):
    html = body(browser.get("/t/acme/?range=custom&start=0001-01-01&end=2025-01-01"))

    assert "0001-01-01" not in html.split('id="dashboard-body"')[1]


def test_the_csv_of_a_refused_period_is_a_400_that_says_why(browser, known_history):
    response = browser.get("/t/acme/prs.csv?range=custom&start=2025-01-01&end=9999-12-31")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "cannot end after today" in body(response)


# 2. PR ids from an insight's link.


def test_a_unicode_digit_among_the_ids_is_ignored_and_said(browser, known_history):
    first = known_history["prs"][0].pk

    html = body(browser.get(f"/t/acme/prs/?ids={first},%C2%B2"))

    assert 'data-testid="pr-list-count">1<' in html
    assert notices(html) == ["Pull requests: 1 id in the link is not a PR id and was ignored."]


@pytest.mark.parametrize("bad", ["1" * 5000, "9" * 20, "-5", "0x10", "%00"])
def test_an_id_too_long_for_a_number_or_not_a_plain_number_is_ignored(browser, known_history, bad):
    first = known_history["prs"][0].pk

    response = browser.get(f"/t/acme/prs/?ids={first},{bad}")

    assert response.status_code == 200
    assert 'data-testid="pr-list-count">1<' in body(response)
    assert "was ignored" in notices(body(response))[0]


def test_only_the_first_200_ids_are_listed_and_the_page_says_so(browser, known_history):
    ids = [p.pk for p in known_history["prs"]] + list(range(10**6, 10**6 + 200))

    html = body(browser.get(f"/t/acme/prs/?ids={','.join(map(str, ids))}"))

    assert 'data-testid="pr-list-count">10<' in html
    assert notices(html) == ["Pull requests: the link names 210; only the first 200 are listed."]


def test_the_csv_of_malformed_ids_is_a_400_that_says_why(browser, known_history):
    response = browser.get("/t/acme/prs.csv?ids=%C2%B2")

    assert response.status_code == 400
    assert "not a PR id" in body(response)


def test_the_csv_export_link_repeats_only_the_filters_the_list_used(browser, known_history):
    first = known_history["prs"][0].pk
    html = body(browser.get(f"/t/acme/prs/?ids={first},%C2%B2&member=abc&state=merged"))

    link = html.split('data-testid="csv-export"')[0].rsplit('href="', 1)[1].split('"')[0]
    link = link.replace("&amp;", "&")
    response = browser.get(link)

    assert parse_qs(urlsplit(link).query) == {"ids": [str(first)], "state": ["merged"]}
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert response.status_code == 200 and len(rows) == 1


# Other filters: ignored, and said.


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("member=" + "9" * 25, "Author: The value in the link is not one of the choices."),
        ("repository=%C2%B2", "Repository: The value in the link is not one of the choices."),
        ("range=bogus", "Period: The value in the link is not one of the choices."),
    ],
)
def test_an_unusable_filter_is_ignored_and_the_page_says_so(browser, known_history, query, said):
    html = body(browser.get(f"/t/acme/?{query}"))

    assert 'data-testid="pr-count">11<' in html
    assert notices(html)[0].startswith(said)


def test_a_reviewer_id_too_big_for_the_database_is_ignored(browser, known_history):
    html = body(browser.get("/t/acme/prs/?reviewer=" + "9" * 25))

    assert 'data-testid="pr-list-count">11<' in html
    assert notices(html)[0].startswith("Reviewer: The value in the link is not one")
