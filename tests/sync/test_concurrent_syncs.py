"""A team's repositories sync side by side (one worker thread each) without deadlocks, and
the people they share are upserted at once without deadlocks or duplicate rows."""

import random
import threading
import time

import pytest
from django.db import connection, connections, transaction

from github_sandbox.world import DEFAULT_ORG
from tests.helpers.sync import assert_matches_truth
from tformance.github.types import Actor
from tformance.pulls.models import TeamMember
from tformance.sync.people import team_members_upsert
from tformance.sync.repository import repository_sync

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.world(prs=400, repos=5)
def test_a_teams_repositories_sync_at_once_and_all_end_whole(sandbox, track):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock ordering between concurrent writers is a PostgreSQL matter")
    names = [
        r.full_name
        for r in sandbox.world.repos.values()
        if r.owner.login == DEFAULT_ORG and not r.archived
    ]
    repositories = [track(name) for name in names]
    outcomes, errors = {}, []

    def sync(repository):
        try:
            outcomes[repository.full_name] = repository_sync(repository=repository).outcome
        except Exception as exc:  # reported below, with the repository
            errors.append(f"{repository.full_name}: {exc!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sync, args=(r,)) for r in repositories]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert errors == []
    assert set(outcomes.values()) == {"complete"} and len(outcomes) == len(names) >= 4
    for repository in repositories:
        assert_matches_truth(sandbox.world, repository)


def test_syncs_upserting_the_same_people_in_any_order_at_once_neither_deadlock_nor_fail(acme):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock ordering between concurrent writers is a PostgreSQL matter")
    people = [
        Actor(
            login=f"person-{n}", database_id=7_000 + n, name=f"P {n}", avatar_url="", is_bot=False
        )
        for n in range(60)
    ]
    rounds, writers = 5, 6
    barrier = threading.Barrier(writers)
    found, errors = [], []

    def upsert(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for _ in range(rounds):
                profiles = rng.sample(people, 40)
                commit_only = [(a.database_id, a.login) for a in rng.sample(people, 40)]
                barrier.wait(30)
                # As a PR's write does: the row locks are held until the transaction commits.
                with transaction.atomic():
                    pks = team_members_upsert(team=acme, actors=profiles, logins=commit_only)
                    time.sleep(0.01)
                found.append(pks)
        except Exception as exc:  # reported below
            errors.append(repr(exc))
            barrier.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upsert, args=(seed,)) for seed in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert errors == []
    assert len(found) == rounds * writers
    rows = dict(TeamMember.objects.filter(team=acme).values_list("github_id", "pk"))
    assert len(rows) == len(people)  # one row per person
    for pks in found:
        assert all(rows[github_id] == pk for github_id, pk in pks.items())
