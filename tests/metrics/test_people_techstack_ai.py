"""People, reviewer load, tech-stack and AI breakdowns on hand-built data."""

import pytest

from tests.helpers.factories import (
    PRFileFactory,
    PRReviewFactory,
    TeamMemberFactory,
    TrackedRepositoryFactory,
)
from tests.helpers.metrics import HOUR, T0, filters_for, merged_pr
from tformance.metrics.selectors.ai import ai_breakdown
from tformance.metrics.selectors.people import people_table, reviewer_load
from tformance.metrics.selectors.techstack import tech_stack_breakdown
from tformance.metrics.selectors.together import query_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def repo(team):
    return TrackedRepositoryFactory(team=team)


@pytest.fixture
def people(team):
    return {
        "alice": TeamMemberFactory(team=team, login="alice"),
        "bob": TeamMemberFactory(team=team, login="bob"),
        "bot": TeamMemberFactory(team=team, login="review-bot[bot]", is_bot=True),
    }


def test_the_people_table_has_merges_reviews_median_cycle_and_ai_share(team, repo, people):
    alice, bob, bot = people["alice"], people["bob"], people["bot"]
    a1 = merged_pr(team=team, repository=repo, hours_to_merge=2, author=alice, is_ai_assisted=True)
    merged_pr(team=team, repository=repo, hours_to_merge=4, author=alice)
    merged_pr(team=team, repository=repo, hours_to_merge=6, author=alice)
    b1 = merged_pr(team=team, repository=repo, hours_to_merge=10, author=bob)
    PRReviewFactory(pull_request=a1, reviewer=bob, submitted_at=T0 + HOUR)
    PRReviewFactory(pull_request=b1, reviewer=alice, submitted_at=T0 + HOUR)
    PRReviewFactory(pull_request=b1, reviewer=bob, submitted_at=T0 + HOUR)  # own PR: no
    PRReviewFactory(pull_request=b1, reviewer=bot, submitted_at=T0 + HOUR)
    merged_pr(team=team, repository=repo, hours_to_merge=1, author=bot)

    rows = {r["member"].login: r for r in people_table(filters=filters_for(team))}

    assert set(rows) == {"alice", "bob"}
    assert (rows["alice"]["merged"], rows["alice"]["reviews"]) == (3, 1)
    assert rows["alice"]["cycle_median"] == 4 * 3600
    assert rows["alice"]["ai_share"] == pytest.approx(1 / 3)
    assert (rows["bob"]["merged"], rows["bob"]["reviews"], rows["bob"]["ai_share"]) == (1, 1, 0)

    with_bots = {
        r["member"].login for r in people_table(filters=filters_for(team, include_bots=True))
    }
    assert with_bots == {"alice", "bob", "review-bot[bot]"}


def test_reviewer_load_counts_reviews_given_most_first_without_bots(team, repo, people):
    alice, bob, bot = people["alice"], people["bob"], people["bot"]
    for _ in range(3):
        pr = merged_pr(team=team, repository=repo, hours_to_merge=5, author=bob)
        PRReviewFactory(pull_request=pr, reviewer=alice, submitted_at=T0 + HOUR)
        PRReviewFactory(pull_request=pr, reviewer=bot, submitted_at=T0 + HOUR)
    pr = merged_pr(team=team, repository=repo, hours_to_merge=5, author=alice)
    PRReviewFactory(pull_request=pr, reviewer=bob, submitted_at=T0 + HOUR)

    load = reviewer_load(filters=filters_for(team))
    load_bots = reviewer_load(filters=filters_for(team, include_bots=True))

    assert [(r["login"], r["reviews"], r["share"]) for r in load] == [
        ("alice", 3, 0.75),
        ("bob", 1, 0.25),
    ]
    assert [r["login"] for r in load_bots] == ["alice", "review-bot[bot]", "bob"]


def test_tech_stack_counts_lines_and_prs_and_leaves_generated_files_out_by_default(team, repo):
    one = merged_pr(team=team, repository=repo, hours_to_merge=1)
    two = merged_pr(team=team, repository=repo, hours_to_merge=1)
    PRFileFactory(
        pull_request=one,
        path="a.py",
        language="Python",
        category="backend",
        additions=30,
        deletions=10,
    )
    PRFileFactory(
        pull_request=one,
        path="b.tsx",
        language="TSX",
        category="frontend",
        additions=10,
        deletions=0,
    )
    PRFileFactory(
        pull_request=two,
        path="c.py",
        language="Python",
        category="backend",
        additions=20,
        deletions=0,
    )
    PRFileFactory(
        pull_request=two,
        path="package-lock.json",
        language="JSON",
        category="generated",
        additions=5000,
        deletions=0,
    )
    PRFileFactory(
        pull_request=two,
        path="tests/test_c.py",
        language="Python",
        category="tests",
        additions=30,
        deletions=0,
    )

    stack = tech_stack_breakdown(filters=filters_for(team))
    everything = tech_stack_breakdown(filters=filters_for(team, include_generated=True))

    assert [(c["name"], c["lines"], c["prs"]) for c in stack["categories"]] == [
        ("backend", 60, 2),
        ("tests", 30, 1),
        ("frontend", 10, 1),
    ]
    assert [(lang["name"], lang["lines"], lang["prs"]) for lang in stack["languages"]] == [
        ("Python", 90, 2),
        ("TSX", 10, 1),
    ]
    assert stack["categories"][0]["share"] == 0.6
    assert everything["categories"][0] == {
        "name": "generated",
        "lines": 5000,
        "prs": 1,
        "share": 5000 / 5100,
    }


def test_ai_breakdown_compares_cycle_times_and_counts_tools(team, repo):
    for hours, tools in ((2, ["Claude"]), (4, ["Claude", "Copilot"]), (6, ["Cursor"])):
        merged_pr(
            team=team, repository=repo, hours_to_merge=hours, is_ai_assisted=True, ai_tools=tools
        )
    for hours in (8, 10):
        merged_pr(team=team, repository=repo, hours_to_merge=hours)

    ai = ai_breakdown(filters=filters_for(team))

    assert (ai["ai"][50], ai["ai"]["n"], ai["other"][50], ai["other"]["n"]) == (
        4 * 3600,
        3,
        9 * 3600,
        2,
    )
    assert ai["faster"] is None  # 3 against 2: too few to compare (comparison.MIN_SAMPLE)
    assert ai["tools"] == [
        {"name": "Claude", "count": 2},
        {"name": "Copilot", "count": 1},
        {"name": "Cursor", "count": 1},
    ]


def test_ai_breakdown_of_an_empty_period(team):
    ai = ai_breakdown(filters=filters_for(team))

    assert ai["ai"]["n"] == ai["other"]["n"] == 0 and ai["faster"] is None and ai["tools"] == []


def test_reviewers_with_as_many_reviews_are_ranked_by_login(team, repo, people):
    alice, bob = people["alice"], people["bob"]
    carol = TeamMemberFactory(team=team, login="carol")
    pr = merged_pr(team=team, repository=repo, hours_to_merge=5, author=carol)
    for reviewer in (bob, alice):
        PRReviewFactory(pull_request=pr, reviewer=reviewer, submitted_at=T0 + HOUR)
    for _ in range(2):
        pr = merged_pr(team=team, repository=repo, hours_to_merge=5, author=alice)
        PRReviewFactory(pull_request=pr, reviewer=carol, submitted_at=T0 + HOUR)

    load = reviewer_load(filters=filters_for(team))

    assert [(r["login"], r["reviews"], r["share"]) for r in load] == [
        ("carol", 2, 0.5),
        ("alice", 1, 0.25),
        ("bob", 1, 0.25),
    ]


def test_reviewer_load_counts_the_reviews_once_whatever_postgresql_guesses_of_the_people(
    team, repo
):
    # A team just synced: its people not analyzed yet, PostgreSQL guesses "1 row" and
    # joined them in a nested loop that counted the period's reviews again for each person
    # (3 s at 100k PRs instead of 15 ms).
    from django.db import connection

    from tests.helpers.ci import skip_or_fail
    from tformance.metrics.selectors.people import reviewer_load_query

    if connection.vendor != "postgresql":
        skip_or_fail("the plan is PostgreSQL's")
    reviewers = [TeamMemberFactory(team=team, login=f"r{i:02}") for i in range(30)]
    author = TeamMemberFactory(team=team, login="author")
    for i in range(60):
        pr = merged_pr(team=team, repository=repo, hours_to_merge=5, author=author)
        PRReviewFactory(pull_request=pr, reviewer=reviewers[i % 30], submitted_at=T0 + HOUR)
    sql, params = reviewer_load_query(filters=filters_for(team))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE pulls_prreview")
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        [plan] = cursor.fetchone()[0]

    def nodes(node):
        yield node
        for child in node.get("Plans", []):
            yield from nodes(child)

    # The counts are their own step (a CTE, computed once), joined to the people after it.
    found = list(nodes(plan["Plan"]))
    assert [n["CTE Name"] for n in found if n["Node Type"] == "CTE Scan"] == ["r"]
    scans = [n for n in found if n.get("Relation Name") == "pulls_prreview"]
    assert scans and [n["Actual Loops"] for n in scans] == [1] * len(scans)
    assert len(query_rows((sql, params))) == 30
