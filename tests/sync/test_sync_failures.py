"""A flaky, rate-limited or hostile GitHub never costs data, and every failure is visible."""

import time

import pytest
from django.utils import timezone

from github_sandbox.world import HARD_CASES_REPO
from tests.helpers.sync import assert_matches_truth, shown, sync_row, whole_pull_requests_patch
from tformance.github.client import GitHubClient
from tformance.github.errors import RateLimited
from tformance.pulls.models import PullRequest
from tformance.sync.errors import PullRequestChanging
from tformance.sync.repository import repository_sync
from tformance.sync.tasks import PermanentSyncFailure, sync_repository

pytestmark = pytest.mark.django_db


def sync_waiting_out_rate_limits(repository, *, limit=100):
    """What `resync` does in the foreground: wait for the reset, then resume."""
    waits = 0
    while True:
        try:
            return repository_sync(repository=repository), waits
        except RateLimited as exc:
            waits += 1
            assert waits <= limit
            row = sync_row(repository)
            assert row.phase == "rate_limited" and row.resume_at == exc.reset_at
            time.sleep(max(0.0, (exc.reset_at - timezone.now()).total_seconds()) + 0.05)


@pytest.mark.world(prs=600)
def test_a_sync_through_502s_and_secondary_and_primary_limits_is_complete(sandbox, track, settings):
    settings.GITHUB_MAX_RETRIES = 8
    settings.GITHUB_PAGE_SIZE = 10
    repository = track(HARD_CASES_REPO)
    sandbox.faults.update(
        error_rate_502=0.05,
        seed=3,
        secondary_limit_every=40,
        secondary_retry_after=1,
        # Fewer points per window than the sync needs in all (yet more than any single PR
        # costs); each window lasts until its points are spent, so the primary limit runs
        # out mid-sync however fast or slow the machine is, and resets a second later.
        graphql_budget=8,
        window_seconds=1,
        window_from_exhaustion=True,
    )

    progress, waits = sync_waiting_out_rate_limits(repository)

    assert waits >= 1  # the primary budget ran out mid-sync at least once
    assert sandbox.stats.primary_limited_graphql >= 1
    assert sandbox.stats.secondary_limited >= 1
    assert sandbox.stats.served_502 > 0
    assert sync_row(repository).status == "complete"
    assert_matches_truth(sandbox.world, repository)


def test_a_resumed_sync_equals_an_uninterrupted_one(sandbox, track, settings):
    settings.GITHUB_PAGE_SIZE = 5
    repository = track(HARD_CASES_REPO)
    pages_seen = []

    def stop_after_two_pages(progress):
        pages_seen.append(progress.pages)
        if progress.pages == 2:
            raise KeyboardInterrupt  # stands in for a killed process

    with pytest.raises(KeyboardInterrupt):
        repository_sync(repository=repository, on_page=stop_after_two_pages)
    row = sync_row(repository)
    assert row.cursor and row.prs_done == 10 and row.phase == "interrupted"
    sandbox.stats.reset()

    repository_sync(repository=repository)

    row = sync_row(repository)
    assert row.status == "complete"
    assert_matches_truth(sandbox.world, repository)
    total = len(sandbox.world.all_pulls(HARD_CASES_REPO))
    assert row.prs_done == total
    # It resumed after the checkpoint instead of starting over.
    assert sandbox.stats.graphql_requests < total


def test_a_revoked_token_ends_in_error_after_one_attempt(sandbox, track):
    repository = track(HARD_CASES_REPO)
    sandbox.revoke_token(sandbox.token)
    sandbox.stats.reset()

    with pytest.raises(PermanentSyncFailure):
        sync_repository.fn(repository_id=repository.pk)

    row = sync_row(repository)
    assert row.status == "error" and row.cursor == ""
    assert row.error.startswith("GitHub rejected the token")
    assert sandbox.stats.total_requests == 1  # no retry storm
    assert PermanentSyncFailure in sync_repository.options["throws"]


def test_a_pr_that_arrives_incomplete_is_read_again_whole_and_written(sandbox, track, monkeypatch):
    repository = track(HARD_CASES_REPO)
    victim = sandbox.world.hard_cases["many_files"].number
    whole_pull_requests_patch(monkeypatch, lambda pr: without_a_file(pr, victim))

    repository_sync(repository=repository)

    assert shown(repository).status == "complete"
    assert_matches_truth(sandbox.world, repository)


def test_a_pr_that_stays_incomplete_is_not_written_and_the_sync_says_which_and_retries(
    sandbox, track, monkeypatch
):
    repository = track(HARD_CASES_REPO)
    victim = sandbox.world.hard_cases["many_files"].number
    whole_pull_requests_patch(monkeypatch, lambda pr: without_a_file(pr, victim))
    monkeypatch.setattr(
        GitHubClient,
        "get_pull_request",
        lambda self, owner, name, number: without_a_file(
            real_get(self, owner, name, number), victim
        ),
    )

    with pytest.raises(PullRequestChanging, match=f"{HARD_CASES_REPO}#{victim} is incomplete"):
        repository_sync(repository=repository)

    assert not PullRequest.objects.filter(number=victim).exists()
    state = shown(repository)
    assert state.status == "retrying" and f"#{victim}" in state.detail


real_get = GitHubClient.get_pull_request


def without_a_file(pr, victim):
    """PR `victim` lacking one of its files, as a GitHub bug would send it."""
    import dataclasses

    if pr.number != victim:
        return pr
    files = dataclasses.replace(pr.files, items=pr.files.items[1:])
    return dataclasses.replace(pr, files=files)


def test_a_resume_mid_page_does_not_fetch_again_what_this_run_already_wrote(
    sandbox, track, monkeypatch
):
    import datetime as dt

    from tformance.sync import repository as sync_repository_module

    repository = track(HARD_CASES_REPO)
    real_write = sync_repository_module.pull_request_write
    writes = []

    def write_then_hit_the_limit(**kwargs):
        if len(writes) == 7:
            raise RateLimited(
                "limit", reset_at=timezone.now() + dt.timedelta(seconds=1), status=200
            )
        writes.append(kwargs["record"].number)
        return real_write(**kwargs)

    monkeypatch.setattr(sync_repository_module, "pull_request_write", write_then_hit_the_limit)
    with pytest.raises(RateLimited):
        repository_sync(repository=repository)
    monkeypatch.setattr(sync_repository_module, "pull_request_write", real_write)
    completed = []
    whole_pull_requests_patch(monkeypatch, lambda pr: completed.append(pr.number) or pr)

    progress = repository_sync(repository=repository)

    assert set(completed).isdisjoint(writes)
    assert progress.skipped == 7
    total = len(sandbox.world.all_pulls(HARD_CASES_REPO))
    assert sync_row(repository).prs_done == total == len(completed) + 7
    assert_matches_truth(sandbox.world, repository)


def test_a_team_without_a_github_connection_fails_visibly_and_frees_the_repository(
    sandbox, track, acme
):
    from tformance.github.models import GitHubIntegration
    from tformance.sync.errors import NotConnected

    repository = track(HARD_CASES_REPO)
    GitHubIntegration.objects.filter(team=acme).delete()

    with pytest.raises(NotConnected):
        repository_sync(repository=repository)

    row = sync_row(repository)
    assert row.status == "error" and row.claim == ""
    assert "not connected to GitHub" in row.error
