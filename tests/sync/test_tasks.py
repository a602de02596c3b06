"""The actors: thin, idempotent, and honest about rate limits and failures."""

import pytest

from github_sandbox.world import HARD_CASES_REPO
from tests.helpers.factories import RepositorySyncFactory
from tests.helpers.sync import shown, sync_row, take_all
from tformance.pulls.models import PullRequest
from tformance.sync.tasks import (
    PermanentSyncFailure,
    sync_all_repositories,
    sync_repository,
    sync_repository_failed,
    sync_team,
)

pytestmark = pytest.mark.django_db


def test_every_actor_states_its_retries_and_time_limit():
    for actor in (sync_repository, sync_team):
        assert actor.options["max_retries"] == 3
        assert actor.options["min_backoff"] == 60_000
        assert actor.options["time_limit"] <= 30 * 60_000
        assert PermanentSyncFailure in actor.options["throws"]
    assert sync_repository.options["on_retry_exhausted"] == "sync_repository_failed"


def test_a_rate_limit_sends_the_message_again_for_after_the_reset(sandbox, track, broker):
    repository = track(HARD_CASES_REPO)
    sandbox.faults.update(graphql_budget=0, window_seconds=600)

    sync_repository.fn(repository_id=repository.pk)  # returns: not a failure

    [message] = take_all(broker.queues["default.DQ"])
    assert message.actor_name == "sync_repository"
    assert message.kwargs["repository_id"] == repository.pk
    assert 500_000 <= message.options["eta"] - message.message_timestamp <= 602_000
    row = sync_row(repository)
    assert (row.status, row.phase) == ("syncing", "rate_limited")
    assert row.resume_at is not None and row.claim == ""
    assert shown(repository).status == "waiting"


def test_exhausted_retries_mark_the_repository_failed_with_the_reason(sandbox, track):
    repository = track(HARD_CASES_REPO)
    message = sync_repository.message(repository_id=repository.pk)
    RepositorySyncFactory(
        repository=repository,
        status="syncing",
        phase="retrying",
        message_id=message.message_id,
        cursor="a-checkpoint",
        error="GitHub server error 502",
    )

    sync_repository_failed.fn(message.asdict(), {"retries": 3, "max_retries": 3})

    row = sync_row(repository)
    assert row.status == "error"
    assert row.error == "The sync failed 4 times: GitHub server error 502"
    assert row.cursor == "" and row.run_finished_at is not None  # the next run starts afresh


def test_the_last_retry_that_fails_ends_the_run_as_failed_itself(sandbox, track):
    from tests.helpers.sync import current_message
    from tformance.github.errors import ServerError

    repository = track(HARD_CASES_REPO)
    last = sync_repository.message_with_options(kwargs={"repository_id": repository.pk}, retries=3)
    sandbox.faults.update(error_rate_502=1.0)

    with pytest.raises(ServerError), current_message(last):
        sync_repository.fn(repository_id=repository.pk)

    row = sync_row(repository)
    assert (row.status, row.cursor, row.claim) == ("error", "", "")
    assert "502" in row.error


def test_a_sync_of_a_deleted_repository_returns_quietly(db, broker):
    sync_repository.fn(repository_id=999_999)
    sync_team.fn(team_id=999_999)

    assert broker.queues["default"].qsize() == 0


def test_a_team_sync_updates_members_then_queues_each_active_repository(
    sandbox, acme, track, broker, django_capture_on_commit_callbacks
):
    first, second = track(HARD_CASES_REPO), track("acme/web-app")
    second.is_active = False
    second.save()

    with django_capture_on_commit_callbacks(execute=True):
        sync_team.fn(team_id=acme.pk)

    assert acme.github_members.filter(is_active=True).count() == len(
        sandbox.world.org_members("acme")
    )
    queued = take_all(broker.queues["default"])
    assert [(m.actor_name, m.kwargs["repository_id"]) for m in queued] == [
        ("sync_repository", first.pk)
    ]
    assert sync_row(first).status == "pending"


def test_the_nightly_job_queues_every_connected_team(
    sandbox, acme, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sync_all_repositories.fn()

    [message] = take_all(broker.queues["default"])
    assert (message.actor_name, message.kwargs) == (
        "sync_team",
        {"team_id": acme.pk, "full": False},
    )


def test_a_pull_request_changed_on_github_is_rewritten_whole(sandbox, track):
    from tformance.sync.repository import repository_sync

    repository = track(HARD_CASES_REPO)
    repository_sync(repository=repository)
    number = sandbox.world.hard_cases["many_reviews"].number
    sandbox.world.add_review(HARD_CASES_REPO, number, state="CHANGES_REQUESTED")
    pr = PullRequest.objects.get(repository=repository, number=number)

    repository_sync(repository=repository)  # incremental: the PR changed since

    assert pr.reviews.count() == len(sandbox.world.hard_cases["many_reviews"].reviews) == 111
    assert pr.reviews.filter(state="changes_requested").exists()
