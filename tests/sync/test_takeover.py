"""Who holds a sync: a killed `resync` is taken over at once, a silent holder elsewhere after a
visible countdown, and a live sync that GitHub makes wait never looks dead."""

import threading
import time

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from github_sandbox.world import HARD_CASES_REPO
from tests.helpers.ci import skip_or_fail
from tests.helpers.sync import assert_matches_truth, run, shown, sync_row
from tests.helpers.workers import WorkerProcess, production_env, wait_until
from tformance.pulls.models import PullRequest
from tformance.sync.models import RepositorySync
from tformance.sync.repository import repository_sync


@pytest.fixture
def resync_process(transactional_db, sandbox, settings, tmp_path):
    """Start `manage.py resync …` as its own production-settings process on this database."""
    if connection.vendor != "postgresql":
        skip_or_fail("a second process shares the test database, which needs PostgreSQL")
    started = []

    def start(*args: str, **env: str) -> WorkerProcess:
        process = WorkerProcess(
            env=production_env(settings, **env),
            log_path=tmp_path / f"resync-{len(started)}.log",
            command=("resync", *args),
        )
        started.append(process.start())
        return process

    yield start
    for process in started:
        process.kill()


def requests_of_a_whole_sync(sandbox) -> int:
    sandbox.stats.reset()
    run("resync", "--repo", HARD_CASES_REPO, "--full")
    return sandbox.stats.total_requests


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_resync_killed_with_sigkill_is_taken_over_at_once_by_the_next_one(
    sandbox, track, settings, resync_process
):
    settings.GITHUB_PAGE_SIZE = 3
    repository = track(HARD_CASES_REPO)
    sandbox.faults.update(latency_ms=15)
    first = resync_process("--repo", HARD_CASES_REPO, GITHUB_PAGE_SIZE="3")
    wait_until(
        lambda: PullRequest.objects.filter(repository=repository).count() >= 9,
        timeout=90,
        what=lambda: f"the first pages ({first.logs()[-2000:]})",
    )
    first.kill()
    assert sync_row(repository).claim  # it died holding the repository
    sandbox.faults.update(latency_ms=0)
    sandbox.stats.reset()

    started = time.monotonic()
    out, _ = run("resync", "--repo", HARD_CASES_REPO)  # raises unless every repository is ok

    assert time.monotonic() - started < settings.SYNC_CLAIM_STALE_SECONDS
    assert "taking over in" not in out and "try later" not in out
    resumed = sandbox.stats.total_requests
    count = assert_matches_truth(sandbox.world, repository)
    assert shown(repository).status == "complete"
    assert PullRequest.objects.filter(repository=repository).count() == count
    assert resumed < requests_of_a_whole_sync(sandbox)  # it resumed from the checkpoint


@pytest.mark.django_db
def test_a_resync_waits_with_a_countdown_for_a_holder_it_cannot_prove_dead_then_resumes(
    sandbox, track, settings
):
    settings.SYNC_CLAIM_STALE_SECONDS = 4
    settings.GITHUB_PAGE_SIZE = 5
    repository = track(HARD_CASES_REPO)

    def stop_after_two_pages(progress):
        if progress.pages == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        repository_sync(repository=repository, on_page=stop_after_two_pages)
    # A worker on another machine holds it and has gone silent (frozen, or its host died).
    RepositorySync.objects.filter(pk=repository.pk).update(
        claim="theirs", claimed_by="worker-7.internal:4242:99", heartbeat_at=timezone.now()
    )
    sandbox.stats.reset()

    started = time.monotonic()
    out, _ = run("resync", "--repo", HARD_CASES_REPO)

    waited = time.monotonic() - started
    assert "held by worker-7.internal:4242:99" in out and "taking over in" in out
    assert waited >= 3
    resumed = sandbox.stats.total_requests
    assert_matches_truth(sandbox.world, repository)
    assert shown(repository).status == "complete"
    assert resumed < requests_of_a_whole_sync(sandbox)


@pytest.mark.django_db
def test_a_resync_gives_up_on_a_holder_that_keeps_beating_past_its_wait(sandbox, track, settings):
    settings.SYNC_CLAIM_STALE_SECONDS = 30
    repository = track(HARD_CASES_REPO)
    run("resync", "--repo", HARD_CASES_REPO)
    RepositorySync.objects.filter(pk=repository.pk).update(
        claim="theirs", claimed_by="worker-7.internal:4242:99", heartbeat_at=timezone.now()
    )

    with pytest.raises(Exception, match="1 of 1 repositories failed") as raised:
        run("resync", "--repo", HARD_CASES_REPO, "--wait", "5")

    assert raised.type.__name__ == "CommandError"
    assert sync_row(repository).claim == "theirs"  # the live holder was left alone


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_sync_waiting_out_a_long_retry_after_keeps_beating_and_never_looks_stalled(
    sandbox, track, settings
):
    settings.SYNC_CLAIM_STALE_SECONDS = 3
    settings.SYNC_STALL_SECONDS = 3
    settings.GITHUB_PAGE_SIZE = 10
    repository = track(HARD_CASES_REPO)
    # GitHub's secondary limit: wait 5 s, longer than a claim takes to go stale.
    sandbox.faults.update(secondary_limit_every=6, secondary_retry_after=5)
    seen, stop = [], threading.Event()

    def watch():
        """What a second worker and the sync page would see, every 0.3 s."""
        try:
            while not stop.is_set():
                try:
                    row = RepositorySync.objects.get(pk=repository.pk)
                    stale = (timezone.now() - row.heartbeat_at).total_seconds() > 3
                    seen.append((shown(repository).status.value, bool(row.claim) and stale))
                except OperationalError:
                    # SQLite's shared in-memory test database locks a whole table while
                    # the sync writes to it (no busy timeout there): look again.
                    if connection.vendor != "sqlite":
                        raise
                time.sleep(0.3)
        finally:
            connection.close()

    watcher = threading.Thread(target=watch)

    def start_watching(progress):
        if progress.pages == 1:
            watcher.start()

    try:
        progress = repository_sync(repository=repository, on_page=start_watching)
    finally:
        stop.set()
        watcher.join(10)

    assert sandbox.stats.secondary_limited >= 1
    assert progress.outcome == "complete"
    assert len(seen) > 15  # it watched through the waits
    assert not [s for s in seen if s[0] == "stalled" or s[1]], seen
    assert_matches_truth(sandbox.world, repository)
