"""The weekly digest's message: known numbers on hand-built PRs, links to the dashboard."""

import datetime as dt
import json

import pytest

from tests.helpers.factories import (
    InsightFactory,
    RepositorySyncFactory,
    TrackedRepositoryFactory,
)
from tests.helpers.metrics import merged_pr
from tformance.metrics.selectors.pull_requests import PullRequestQuery
from tformance.slack import blocks as bk
from tformance.slack.digest import digest_build
from tformance.slack.schedule import week_bounds

SITE = "https://app.tformance.test"
MONDAY = dt.date(2025, 3, 3)
BERLIN = dt.timezone(dt.timedelta(hours=1))  # Berlin in March, before the clocks change


@pytest.fixture
def berlin_team(team, settings):
    settings.SITE_URL = SITE
    team.time_zone = "Europe/Berlin"
    team.save(update_fields=["time_zone"])
    return team


def _week_of_prs(team, repository, *, monday, count, hours, ai=0, reviewed=0):
    """`count` PRs opened on `monday` from 10:00, merged `hours` later; the first `ai`
    AI-assisted, the first `reviewed` first reviewed 2 hours after opening."""
    opened = dt.datetime.combine(monday, dt.time(10), tzinfo=BERLIN)
    prs = []
    for i in range(count):
        at = opened + dt.timedelta(hours=i)
        review = {"first_review_at": at + dt.timedelta(hours=2)} if i < reviewed else {}
        prs.append(
            merged_pr(
                team=team,
                repository=repository,
                hours_to_merge=hours,
                opened_at=at,
                is_ai_assisted=i < ai,
                **review,
            )
        )
    return prs


@pytest.fixture
def two_weeks(berlin_team):
    """Last week: 10 PRs merged in 4 h, 3 of them AI-assisted, 2 reviewed after 2 h; the
    week before: 10 PRs merged in 8 h."""
    repository = TrackedRepositoryFactory(team=berlin_team, full_name="acme/api")
    _week_of_prs(berlin_team, repository, monday=MONDAY, count=10, hours=4, ai=3, reviewed=2)
    _week_of_prs(berlin_team, repository, monday=MONDAY - dt.timedelta(days=7), count=10, hours=8)
    return berlin_team


def _fields(message):
    (section,) = [b for b in message.blocks if b["type"] == "section" and "fields" in b]
    return [f["text"] for f in section["fields"]]


def _prs_link(team, query, label):
    period = "range=custom&start=2025-03-03&end=2025-03-09"
    return f"<{SITE}/t/{team.slug}/prs/?{query}&{period}|{label}>"


def test_the_digest_gives_last_weeks_numbers_each_linking_to_its_list(two_weeks):
    start, end = week_bounds(team=two_weeks, monday=MONDAY)

    message = digest_build(team=two_weeks, start=start, end=end)

    merged, cycle, first_review, ai = _fields(message)
    assert merged == "*Merged PRs*\n" + _prs_link(two_weeks, "state=merged&sort=-merged", "10")
    assert cycle == (
        "*Cycle time (median)*\n"
        + _prs_link(two_weeks, "state=merged&sort=-cycle", "4 h")
        + "\n▼ 50 % vs the week before (better)"
    )
    assert first_review == "*Time to first review (median)*\n" + _prs_link(
        two_weeks, "state=first_review&sort=-first_review", "2 h"
    )
    assert ai == "*AI-assisted*\n" + _prs_link(two_weeks, "state=merged&ai=yes", "30 %")


def test_the_digest_has_a_header_the_week_and_a_plain_text_fallback(two_weeks):
    start, end = week_bounds(team=two_weeks, monday=MONDAY)

    message = digest_build(team=two_weeks, start=start, end=end)

    assert message.blocks[0] == bk.header(f"Weekly digest: {two_weeks.name}")
    assert "3 Mar 2025 – 9 Mar 2025 · Europe/Berlin" in message.blocks[1]["elements"][0]["text"]
    assert [b["type"] for b in message.blocks] == [
        "header",
        "context",
        "section",
        "divider",
        "section",
        "context",
    ]
    assert "Merged PRs: 10" in message.text
    assert "Cycle time (median): 4 h (▼ 50 % vs the week before (better))" in message.text
    assert "AI-assisted: 30 %" in message.text
    dashboard = f"{SITE}/t/{two_weeks.slug}/?range=custom&start=2025-03-03&end=2025-03-09"
    assert message.text.endswith(f"<{dashboard}|Open the dashboard>")


def test_the_top_three_insights_are_listed_in_rank_order_with_their_links(two_weeks):
    query = PullRequestQuery(state="merged", size="XL").as_data()
    end = dt.datetime(2025, 3, 10, tzinfo=BERLIN)
    kwargs = {"team": two_weeks, "period_start": end - dt.timedelta(days=28), "period_end": end}
    InsightFactory(rank=2, title="XL PRs merge slower <3 & co", list_query=query, **kwargs)
    InsightFactory(rank=1, title="Pickup time doubled", **kwargs)
    InsightFactory(rank=3, title="Reviews are spread evenly", **kwargs)
    InsightFactory(rank=4, title="Not shown", **kwargs)
    start, end = week_bounds(team=two_weeks, monday=MONDAY)

    message = digest_build(team=two_weeks, start=start, end=end)

    insights = message.blocks[4]["text"]["text"]
    xl_list = (
        f"{SITE}/t/{two_weeks.slug}/prs/?state=merged&size=XL"
        "&range=custom&start=2025-02-10&end=2025-03-09"
    )
    assert insights == (
        "*Top insights*\n• Pickup time doubled\n"
        f"• <{xl_list}|XL PRs merge slower &lt;3 &amp; co>\n"
        "• Reviews are spread evenly"
    )
    assert "Not shown" not in json.dumps(message.blocks)


def test_without_the_week_before_in_the_history_there_is_no_comparison(two_weeks):
    RepositorySyncFactory(
        repository=two_weeks.repositories.get(),
        history_from=dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
    )
    start, end = week_bounds(team=two_weeks, monday=MONDAY)

    message = digest_build(team=two_weeks, start=start, end=end)

    cycle = _fields(message)[1]
    assert cycle.endswith("no comparison: history starts 1 Mar 2025")


def test_an_empty_week_still_makes_a_valid_message(berlin_team):
    start, end = week_bounds(team=berlin_team, monday=MONDAY)

    message = digest_build(team=berlin_team, start=start, end=end)

    merged, cycle, first_review, ai = _fields(message)
    assert merged.endswith("|0>")
    assert "|–>" in cycle and "0 → 0 PRs, too few to compare" in cycle
    assert "No insights yet" in message.blocks[4]["text"]["text"]
