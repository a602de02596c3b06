"""A message that never reaches a worker costs nothing: the user is told, Retry stays on
offer, and the scheduler's sweeper sends it again."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from github_sandbox.world import HARD_CASES_REPO
from tests.helpers.factories import RepositorySyncFactory, TrackedRepositoryFactory
from tests.helpers.sync import assert_matches_truth, run_queued_syncs, shown, take_all
from tests.helpers.workers import DeadBrokerSwap
from tformance.onboarding.views.feedback import QUEUE_DOWN
from tformance.sync.tasks import sync_sweep

pytestmark = pytest.mark.django_db


def ago(minutes):
    return timezone.now() - dt.timedelta(minutes=minutes)


def flashed(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.django_db(transaction=True)  # commits for real, as a request does
@pytest.mark.parametrize(
    "action",
    ["onboarding:repository_retry", "onboarding:settings_resync"],
)
def test_with_the_broker_down_retry_and_resync_say_so_and_the_sweeper_heals_it(
    sandbox,
    acme,
    track,
    admin_client,
    broker,
    settings,
    action,
):
    settings.SYNC_SWEEP_SECONDS = 60
    repository = track(HARD_CASES_REPO)
    args = [acme.slug, repository.pk] if action.endswith("retry") else [acme.slug]

    with DeadBrokerSwap():
        response = admin_client.post(reverse(action, args=args), follow=True)

    assert response.status_code == 200
    assert QUEUE_DOWN in flashed(response)
    state = shown(repository)
    assert state.status == "pending" and state.can_retry  # Queued, and Retry is on offer
    assert take_all(broker.queues["default"]) == []  # nothing reached any broker
    # The broker is back; a few minutes later the scheduler's sweeper runs.
    settings.SYNC_SWEEP_SECONDS = 0

    sync_sweep.fn()
    run_queued_syncs(broker)

    assert shown(repository).status == "complete"
    assert_matches_truth(sandbox.world, repository)


def test_the_sweeper_sends_again_only_what_no_message_or_run_is_taking_care_of(
    team,
    broker,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SYNC_SWEEP_SECONDS = 300
    settings.SYNC_CLAIM_STALE_SECONDS = 45

    def repo(name, **state):
        return RepositorySyncFactory(
            repository=TrackedRepositoryFactory(team=team, full_name=f"acme/{name}"), **state
        ).repository

    lost_pending = repo("lost-pending", status="pending", requested_at=ago(10))
    lost_run = repo(
        "lost-run", status="syncing", phase="continuing", requested_at=ago(20), heartbeat_at=ago(9)
    )
    dead_run = repo(
        "dead-run", status="syncing", phase="pull_requests", claim="x", heartbeat_at=ago(30)
    )
    overdue = repo(
        "overdue", status="syncing", phase="rate_limited", heartbeat_at=ago(70), resume_at=ago(6)
    )
    repo("fresh-pending", status="pending", requested_at=ago(1))
    repo("live", status="syncing", phase="pull_requests", claim="y", heartbeat_at=ago(0))
    repo(
        "rate-limited",
        status="syncing",
        phase="rate_limited",
        heartbeat_at=ago(30),
        resume_at=timezone.now() + dt.timedelta(minutes=40),
    )
    repo(
        "retry-due-later",
        status="syncing",
        phase="retrying",
        heartbeat_at=ago(8),
        resume_at=timezone.now() + dt.timedelta(minutes=3),
    )
    repo("complete", status="complete", requested_at=ago(60))
    repo("failed", status="error", requested_at=ago(60))
    skipped = repo("skipped", status="pending", requested_at=ago(60))
    skipped.is_active = False
    skipped.save()

    with django_capture_on_commit_callbacks(execute=True):
        sync_sweep.fn()

    sent = sorted(m.kwargs["repository_id"] for m in take_all(broker.queues["default"]))
    assert sent == sorted(r.pk for r in (lost_pending, lost_run, dead_run, overdue))
    with django_capture_on_commit_callbacks(execute=True):
        sync_sweep.fn()  # at once again: they were just sent
    assert take_all(broker.queues["default"]) == []


def test_a_duplicate_message_for_a_repository_already_synced_does_nothing(
    sandbox,
    track,
    broker,
):
    from tformance.sync.tasks import sync_repository

    repository = track(HARD_CASES_REPO)
    sync_repository.fn(repository_id=repository.pk)
    assert shown(repository).status == "complete"
    sandbox.stats.reset()

    sync_repository.fn(repository_id=repository.pk)  # the sweeper's copy, arriving late

    assert sandbox.stats.total_requests == 0
    assert shown(repository).status == "complete"
