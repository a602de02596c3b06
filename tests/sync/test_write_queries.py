"""What writing pull requests costs in database round trips, and the people it upserts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from github_sandbox.world import HARD_CASES_REPO
from tests.helpers.ci import skip_or_fail
from tests.helpers.factories import TeamFactory, TeamMemberFactory
from tests.helpers.sync import assert_matches_truth
from tformance.github.types import Actor
from tformance.pulls.models import TeamMember
from tformance.sync.people import team_members_upsert
from tformance.sync.repository import repository_sync

pytestmark = pytest.mark.django_db

# One statement writes the PR with its reviews, commits and files (outside a test it is
# also the PR's whole transaction: no BEGIN, SAVEPOINT or COMMIT around it).
QUERIES_PER_PR = 1
# The page's people, which of its PRs are stored unchanged, and how many the run has done.
QUERIES_PER_PAGE = 3
# The team's integration, its ghost (get_or_create) and the savepoints of the run's rows.
QUERIES_PER_RUN = 7


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("the statements counted are PostgreSQL's; SQLite keeps the ORM's")


def test_writing_a_pull_request_costs_one_statement_with_all_of_its_children(
    sandbox, track, postgresql
):
    repository = track(HARD_CASES_REPO)

    with CaptureQueriesContext(connection) as captured:
        progress = repository_sync(repository=repository)

    assert_matches_truth(sandbox.world, repository)
    assert progress.prs > 50 and progress.pages >= 3
    # The run's own row (claim, heartbeats, checkpoints) is not the writing's cost.
    queries = [q["sql"] for q in captured.captured_queries if "sync_repositorysync" not in q["sql"]]
    budget = QUERIES_PER_PR * progress.prs + QUERIES_PER_PAGE * progress.pages + QUERIES_PER_RUN
    assert len(queries) <= budget, [sql[:80] for sql in queries]
    assert sum(sql.startswith("WITH s_k AS") for sql in queries) == progress.prs


def test_the_pull_request_statement_is_prepared_once_per_connection_not_for_every_pr(
    sandbox, track, postgresql
):
    repository = track(HARD_CASES_REPO)

    progress = repository_sync(repository=repository)

    assert_matches_truth(sandbox.world, repository)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), sum(generic_plans + custom_plans) FROM pg_prepared_statements "
            "WHERE statement LIKE 'WITH s_k AS%%'"
        )
        statements, executions = cursor.fetchone()
    # Every PR ran a prepared statement; psycopg prepares one per set of parameter types
    # (a null has none, a small number is a smaller integer), far fewer than there are PRs.
    assert executions == progress.prs > 50
    assert 1 <= statements <= progress.prs // 4


def test_people_are_upserted_in_one_statement_and_commit_only_ones_keep_profiles(postgresql):
    team = TeamFactory()
    profiled = TeamMemberFactory(team=team, github_id=1, login="ann", name="Ann Kept")
    bare = TeamMemberFactory(team=team, github_id=2, login="bob", name="")
    actor = Actor(login="cy", database_id=3, name="Cy", avatar_url="https://a/3", is_bot=False)
    renamed = Actor(login="bo", database_id=2, name="Bob", avatar_url="", is_bot=False)

    with CaptureQueriesContext(connection) as queries:
        pks = team_members_upsert(
            team=team,
            actors=[actor, renamed],
            logins=[(1, "ann"), (2, "bob"), (3, "cy"), (4, "dee")],
        )

    assert len(queries) == 1
    rows = {m.github_id: m for m in TeamMember.objects.filter(team=team)}
    assert pks == {github_id: m.pk for github_id, m in rows.items()}
    assert pks[1] == profiled.pk and pks[2] == bare.pk
    assert (rows[1].login, rows[1].name) == ("ann", "Ann Kept")
    assert (rows[2].login, rows[2].name) == ("bo", "Bob")
    assert (rows[3].login, rows[3].name, rows[3].avatar_url) == ("cy", "Cy", "https://a/3")
    assert (rows[4].login, rows[4].name, rows[4].is_active) == ("dee", "", False)


def test_a_pull_request_upserts_the_people_its_page_did_not(sandbox, track, monkeypatch):
    from tformance.sync import repository as sync_repository_module

    repository = track(HARD_CASES_REPO)
    monkeypatch.setattr(
        sync_repository_module, "pull_request_people_upsert", lambda *, people, records: people
    )

    repository_sync(repository=repository)

    assert_matches_truth(sandbox.world, repository)
