"""Every number with its context: the imported history, the sample behind a change, the
partial week, the scope of an insight, the PRs behind a drill-down, and its units."""

import datetime as dt
import json
import re
import zoneinfo

import pytest
from django.utils import timezone

from tests.helpers.dashboard import history
from tests.helpers.factories import (
    InsightFactory,
    PRFileFactory,
    PRReviewFactory,
    PullRequestFactory,
    RepositorySyncFactory,
    TeamMemberFactory,
)
from tformance.metrics.filters import period_last_days
from tformance.metrics.insights.services import insights_refresh

pytestmark = pytest.mark.django_db

PAGES = ["/t/acme/", "/t/acme/people/", "/t/acme/prs/"]


def body(response) -> str:
    return response.content.decode()


def day(moment, tz="UTC") -> str:
    """As the pages write a day: "3 Sep 2025", in the team's time zone."""
    if isinstance(moment, dt.datetime):
        moment = moment.astimezone(zoneinfo.ZoneInfo(tz)).date()
    return f"{moment.day} {moment:%b %Y}"


def charts(html) -> dict:
    found = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1))


def imported(team, name, *, since):
    """A synced repository whose history reaches back to `since` (None: all of it)."""
    return RepositorySyncFactory(
        repository__team=team,
        repository__full_name=name,
        status="complete",
        history_from=since,
        history_all=since is None,
    ).repository


def merged(repository, *, at, hours=10, **fields):
    return PullRequestFactory(
        repository=repository,
        opened_at=at - dt.timedelta(hours=hours),
        merged_at=at,
        github_updated_at=at,
        **fields,
    )


# The imported history


@pytest.mark.parametrize("url", PAGES)
def test_a_period_reaching_past_the_imported_history_says_where_the_history_starts(
    client, member, team, url
):
    now = timezone.now()
    since = now - dt.timedelta(days=90)
    imported(team, "acme/api", since=since)
    imported(team, "acme/web", since=since)
    client.force_login(member)
    start, _ = period_last_days(team=team, days=180, now=now)

    long_period = body(client.get(f"{url}?range=180"))
    short_period = body(client.get(f"{url}?range=30"))

    assert (
        f"History imported from {day(since)} for these repositories; the period starts "
        f"{day(start)}." in long_period
    )
    assert 'data-testid="history-limit"' not in short_period


def test_repositories_imported_from_different_days_are_named_in_the_teams_time_zone(
    client, owner, team
):
    team.time_zone = "Asia/Tokyo"
    team.save()
    now = timezone.now()
    # 16:00 UTC is already the next day in Tokyo.
    api_since = (now - dt.timedelta(days=60)).replace(hour=16, minute=0)
    web_since = (now - dt.timedelta(days=100)).replace(hour=16, minute=0)
    imported(team, "acme/api", since=api_since)
    imported(team, "acme/web", since=web_since)
    imported(team, "acme/docs", since=now - dt.timedelta(days=400))
    client.force_login(owner)
    start, _ = period_last_days(team=team, days=180, now=now)

    html = body(client.get("/t/acme/?range=180"))

    assert (
        f"History imported from {day(api_since, 'Asia/Tokyo')} for acme/api and from "
        f"{day(web_since, 'Asia/Tokyo')} for acme/web; the period starts "
        f"{day(start, 'Asia/Tokyo')}." in html
    )
    assert "acme/docs covers the whole period" in html
    assert 'href="/onboarding/settings/acme/#history"' in html  # admins can extend it


def test_a_member_is_told_who_can_extend_the_history_and_a_filter_narrows_the_message(
    client, member, team
):
    now = timezone.now()
    api = imported(team, "acme/api", since=now - dt.timedelta(days=60))
    imported(team, "acme/web", since=now - dt.timedelta(days=200))
    client.force_login(member)

    everything = body(client.get("/t/acme/?range=90"))
    web_only = body(client.get(f"/t/acme/?range=90&repository={api.pk + 1}"))

    assert "for acme/api;" in everything and "acme/web covers the whole period" in everything
    assert "/onboarding/settings/acme/#history" not in everything
    assert "An admin can extend the history" in everything
    assert 'data-testid="history-limit"' not in web_only


def test_weeks_before_the_imported_history_are_not_drawn_as_zero(client, member, team):
    now = timezone.now()
    api = imported(team, "acme/api", since=now - dt.timedelta(days=60))
    merged(api, at=now - dt.timedelta(days=3))
    client.force_login(member)

    html = body(client.get("/t/acme/?range=180"))
    weekly = charts(html)["weekly"]

    first_imported = weekly["status"].index("partial")
    assert first_imported >= 15  # of ~26 weeks, the first ~17 are not imported
    assert set(weekly["status"][:first_imported]) == {"not_imported"}
    assert weekly["merged"][:first_imported] == [None] * first_imported
    assert weekly["merged"][-1] is not None
    assert html.count("not imported</td>") == first_imported  # the weekly table says so too


def test_a_change_against_a_period_not_imported_is_not_shown(client, member, team):
    now = timezone.now()
    since = now - dt.timedelta(days=91)
    api = imported(team, "acme/api", since=since)
    for i in range(12):
        merged(api, at=now - dt.timedelta(days=2 + i))
        merged(api, at=now - dt.timedelta(days=95 + i))  # stored, in a period not imported
    client.force_login(member)

    html = body(client.get("/t/acme/?range=90"))

    assert f"no comparison: history starts {day(since)}" in html
    assert "change-good" not in html and "change-bad" not in html


# The minimum sample


def test_a_change_from_a_small_base_is_shown_as_counts(client, member, known_history):
    api = known_history["api"]
    merged(api, at=timezone.now() - dt.timedelta(days=40))
    client.force_login(member)

    html = body(client.get("/t/acme/"))

    assert "▲ 900 %" not in html
    assert "1 → 10 PRs" in html
    assert "at least 10" in html  # "How is this computed?" says where the line is


def test_a_speed_difference_from_one_ai_assisted_pr_is_not_claimed(client, member, team):
    api = imported(team, "acme/api", since=None)
    merged(api, at=timezone.now() - dt.timedelta(days=2), hours=10, is_ai_assisted=True)
    for i in range(3):
        merged(api, at=timezone.now() - dt.timedelta(days=3 + i), hours=7)
    client.force_login(member)

    html = body(client.get("/t/acme/"))

    assert "slower" not in html and "faster" not in html
    assert "Too few to compare" in html


# The partial week


def test_the_current_week_is_marked_in_progress_in_the_chart_and_the_table(
    client, member, known_history
):
    client.force_login(member)

    html = body(client.get("/t/acme/"))

    assert charts(html)["weekly"]["status"][-1] == "partial"
    assert "week in progress" in charts(html)["weekly"]["notes"][-1]
    assert "week in progress" in html.split("Weekly numbers as a table")[1]


# Insights: their PRs and their scope


def follow_insight(client, user, team, title_start) -> tuple[str, str]:
    """Compute the insights, open the overview, follow the insight's link: (link, list)."""
    insights_refresh(team=team, provider=None)
    client.force_login(user)
    html = body(client.get("/t/acme/"))
    link = re.search(rf'<a href="([^"]+)">{re.escape(title_start)}', html).group(1)
    return link, body(client.get(link.replace("&amp;", "&")))


def test_an_insight_about_75_merged_prs_opens_all_75_with_its_filter(client, member, team):
    api = imported(team, "acme/api", since=None)
    now = timezone.now()
    for i in range(75):
        merged(api, at=now - dt.timedelta(days=1, hours=i), size_bucket="XL", additions=900)

    link, listed = follow_insight(client, member, team, "75 XL PRs merged without review")

    assert "state=merged" in link
    assert 'data-testid="pr-list-count">75<' in listed
    assert "merged in the period" in listed


def test_insights_name_their_scope_beside_the_filtered_cards(client, member, known_history, team):
    start, end = period_last_days(team=team, days=28, now=timezone.now())
    InsightFactory(team=team, title="Pickup time rose by 55 %", period_start=start, period_end=end)
    client.force_login(member)

    html = body(client.get(f"/t/acme/?repository={known_history['api'].pk}"))
    insights = html.split('data-testid="insights"')[1].split("</section>")[0]

    assert f"whole team · {day(start)} – {day(end - dt.timedelta(days=1))}" in insights
    assert "not the filters above" in insights
    assert "updated just now" in insights


def test_the_waiting_insight_opens_every_pr_waiting_for_a_first_review(client, member, team):
    api = imported(team, "acme/api", since=None)
    now = timezone.now()
    for hours in (80, 60, 5):
        PullRequestFactory(
            repository=api, state="open", merged_at=None, opened_at=now - dt.timedelta(hours=hours)
        )

    link, listed = follow_insight(client, member, team, "2 open PRs have waited")

    assert 'data-testid="pr-list-count">3<' in listed
    assert "waiting for a first review" in listed


# Drill-downs


def test_each_stage_opens_the_list_sorted_by_its_own_column(client, member, known_history):
    client.force_login(member)

    html = body(client.get("/t/acme/"))

    for sort in ("-first_review", "-coding", "-pickup", "-review", "-cycle"):
        assert f"sort={sort}" in html


@pytest.mark.parametrize("column", ["first_review", "coding", "pickup", "review"])
def test_the_pr_list_sorts_by_each_stage(client, member, team, column):
    api = imported(team, "acme/api", since=None)
    now = timezone.now()
    fast = merged(api, at=now - dt.timedelta(days=2), hours=20)
    slow = merged(api, at=now - dt.timedelta(days=3), hours=40)
    for pr, hours in ((fast, 1), (slow, 8)):
        pr.first_commit_at = pr.opened_at - dt.timedelta(hours=hours)
        pr.first_review_at = pr.opened_at + dt.timedelta(hours=hours)
        pr.save()
        PRReviewFactory(pull_request=pr, submitted_at=pr.first_review_at)
    client.force_login(member)

    html = body(client.get(f"/t/acme/prs/?state=merged&sort=-{column}"))

    assert 'data-testid="filter-notice"' not in html
    assert html.index(f"#{slow.number}<") < html.index(f"#{fast.number}<")


def test_the_reviewer_drill_down_names_the_reviewer(client, member, known_history):
    client.force_login(member)

    html = body(client.get(f"/t/acme/prs/?reviewer={known_history['alice'].pk}"))

    assert "reviewed by alice in the period" in html


# Units


def test_one_table_writes_every_duration_in_hours(client, member, team):
    api = imported(team, "acme/api", since=None)
    merged(api, at=timezone.now() - dt.timedelta(days=1), hours=72)
    merged(api, at=timezone.now() - dt.timedelta(days=1), hours=0.5)
    client.force_login(member)

    table = body(client.get("/t/acme/prs/")).split('data-testid="pr-table"')[1]

    assert ">72 h<" in table and ">0.5 h<" in table
    assert " d<" not in table and " min<" not in table


def test_big_numbers_have_thousands_separators_and_empty_languages_are_left_out(
    client, member, team
):
    api = imported(team, "acme/api", since=None)
    pr = merged(api, at=timezone.now() - dt.timedelta(days=1))
    for path, language, lines in (
        ("src/big.py", "Python", 12_345),
        ("src/tiny.rb", "Ruby", 3),
        ("go.mod", "Go Module", 0),
    ):
        PRFileFactory(
            pull_request=pr,
            path=path,
            language=language,
            category="backend",
            additions=lines,
            deletions=0,
        )
    client.force_login(member)

    html = body(client.get("/t/acme/"))
    tech = html.split('data-testid="techstack"')[1].split("</div>")[0]

    assert "12,348 · 1" in tech  # lines · PRs of the category
    assert "Go Module" not in tech
    assert "Ruby</a> &lt; 1 %" in tech


def test_dates_of_the_period_are_in_the_teams_time_zone(client, member, team):
    team.time_zone = "Asia/Tokyo"
    team.save()
    history(team, prs=1)
    client.force_login(member)

    html = body(client.get("/t/acme/?range=custom&start=2025-03-01&end=2025-03-31"))

    assert "1 Mar 2025 – 31 Mar 2025" in html


def test_the_people_table_writes_durations_in_hours(client, member, team):
    api = imported(team, "acme/api", since=None)
    carol = TeamMemberFactory(team=team, login="carol")
    pr = merged(api, at=timezone.now() - dt.timedelta(days=1), hours=50)
    PRReviewFactory(pull_request=pr, reviewer=carol, submitted_at=pr.merged_at)
    client.force_login(member)

    html = body(client.get("/t/acme/people/")).split('data-testid="people-table"')[1]

    assert ">50 h<" in html and " d<" not in html


def test_every_list_the_selector_offers_has_a_menu_entry_and_words():
    from tformance.dashboard.forms import STATES
    from tformance.metrics.selectors.pull_requests import LISTS

    assert STATES.keys() == LISTS.keys()
