"""A team's repositories sync side by side (one worker thread each) without deadlocks."""

import threading

import pytest
from django.db import connection, connections

from github_sandbox.world import DEFAULT_ORG
from tests.helpers.sync import assert_matches_truth
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
