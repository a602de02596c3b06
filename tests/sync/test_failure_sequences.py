"""Whole failure sequences: a sync fails or dies, GitHub changes, the sync runs again, and the
database must then hold exactly what GitHub holds."""

import pytest
from django.core.management import CommandError
from django.urls import reverse

from github_sandbox.world import HARD_CASES_REPO
from tests.helpers.sync import assert_matches_truth, current_message, run, run_queued_syncs, shown
from tformance.github.errors import BadCredentials, ServerError
from tformance.github.models import GitHubIntegration
from tformance.pulls.models import PRReview, PullRequest
from tformance.sync.repository import repository_sync
from tformance.sync.services import repository_sync_enqueue
from tformance.sync.tasks import sync_repository, sync_repository_failed

pytestmark = pytest.mark.django_db


def change_github(sandbox, repository):
    """New PRs at the top, a review on a PR already written, one on a PR not reached yet."""
    written = sorted(
        PullRequest.objects.filter(repository=repository).values_list("number", flat=True)
    )
    unwritten = sorted(
        {pr.number for pr in sandbox.world.all_pulls(HARD_CASES_REPO)} - set(written)
    )
    sandbox.world.add_pull_requests(HARD_CASES_REPO, 3)
    sandbox.world.add_review(HARD_CASES_REPO, written[0], state="CHANGES_REQUESTED")
    sandbox.world.add_review(HARD_CASES_REPO, unwritten[-1])
    sandbox.world.merge_pull_request(HARD_CASES_REPO, written[-1])


def test_a_run_that_failed_on_a_revoked_token_and_is_retried_after_github_changed_equals_github(
    sandbox, acme, track, settings, admin_client, broker, django_capture_on_commit_callbacks
):
    settings.GITHUB_PAGE_SIZE = 5
    repository = track(HARD_CASES_REPO)

    def revoke_after_the_first_page(progress):
        if progress.pages == 1:
            sandbox.revoke_token(sandbox.token)

    with pytest.raises(BadCredentials):
        repository_sync(repository=repository, on_page=revoke_after_the_first_page)
    assert shown(repository).status == "error"
    # The pages fetched ahead while the first was written, before the token went, are
    # written too, whole; fetching the next one is what fails.
    written = PullRequest.objects.filter(repository=repository).count()
    assert written % 5 == 0 and 5 <= written < len(sandbox.world.all_pulls(HARD_CASES_REPO))
    change_github(sandbox, repository)
    GitHubIntegration.objects.filter(team=acme).update(access_token=sandbox.issue_token())

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("onboarding:repository_retry", args=[acme.slug, repository.pk])
        )
    assert response.status_code == 302
    run_queued_syncs(broker)

    assert shown(repository).status == "complete"
    count = assert_matches_truth(sandbox.world, repository)
    assert PullRequest.objects.filter(repository=repository).count() == count


def test_a_run_that_ran_out_of_retries_on_502s_and_is_rerun_after_github_changed_equals_github(
    sandbox, track, settings
):
    settings.GITHUB_PAGE_SIZE = 5
    settings.GITHUB_MAX_RETRIES = 2
    repository = track(HARD_CASES_REPO)
    # GitHub goes down after the first pages: every request is a 502 until retries run out.
    sandbox.faults.update(outage_after_requests=12)

    with pytest.raises(CommandError, match="1 of 1 repositories failed"):
        run("resync", "--repo", HARD_CASES_REPO)
    assert shown(repository).status == "error"
    assert PullRequest.objects.filter(repository=repository).exists()
    sandbox.faults.clear()
    change_github(sandbox, repository)

    run("resync", "--repo", HARD_CASES_REPO)

    assert shown(repository).status == "complete"
    count = assert_matches_truth(sandbox.world, repository)
    assert PullRequest.objects.filter(repository=repository).count() == count


def test_a_worker_run_whose_retries_ran_out_is_retried_from_the_newest_pr(
    sandbox, track, settings, broker, django_capture_on_commit_callbacks
):
    settings.GITHUB_PAGE_SIZE = 5
    settings.GITHUB_MAX_RETRIES = 1
    repository = track(HARD_CASES_REPO)
    message = sync_repository.message(repository_id=repository.pk)
    sandbox.faults.update(outage_after_requests=12)

    with pytest.raises(ServerError), current_message(message):
        sync_repository.fn(repository_id=repository.pk)
    sync_repository_failed.fn(message.asdict(), {"retries": 3, "max_retries": 3})
    assert shown(repository).status == "error"
    sandbox.faults.clear()
    change_github(sandbox, repository)

    with django_capture_on_commit_callbacks(execute=True):
        repository_sync_enqueue(repository=repository)  # the nightly sync, resync --enqueue
    run_queued_syncs(broker)

    assert shown(repository).status == "complete"
    count = assert_matches_truth(sandbox.world, repository)
    assert PullRequest.objects.filter(repository=repository).count() == count


def test_an_interrupted_run_that_resumes_after_github_changed_equals_github(
    sandbox, track, settings
):
    settings.GITHUB_PAGE_SIZE = 5

    def stop_after_two_pages(progress):
        if progress.pages == 2:
            raise KeyboardInterrupt  # a killed process

    repository = track(HARD_CASES_REPO)
    with pytest.raises(KeyboardInterrupt):
        repository_sync(repository=repository, on_page=stop_after_two_pages)
    change_github(sandbox, repository)
    sandbox.stats.reset()

    repository_sync(repository=repository)

    assert shown(repository).status == "complete"
    count = assert_matches_truth(sandbox.world, repository)
    assert PullRequest.objects.filter(repository=repository).count() == count
    # It resumed from its checkpoint (after catching up on what changed at the top).
    assert sandbox.stats.graphql_requests < count


def test_a_review_that_lands_while_a_prs_reviews_are_paged_is_fetched_again_not_a_failure(
    sandbox, track
):
    repository = track(HARD_CASES_REPO)
    busy = sandbox.world.hard_cases["many_reviews"].number
    sandbox.faults.update(review_races={busy: 1})

    sync_repository.fn(repository_id=repository.pk)

    assert shown(repository).status == "complete"
    assert_matches_truth(sandbox.world, repository)
    stored = PRReview.objects.filter(pull_request__repository=repository, pull_request__number=busy)
    assert stored.count() == len(
        sandbox.world.pull(sandbox.world.repo_by_full_name(HARD_CASES_REPO), busy).reviews
    )


def test_a_pr_that_keeps_changing_while_it_is_paged_is_retried_later_never_a_permanent_failure(
    sandbox, track
):
    repository = track(HARD_CASES_REPO)
    busy = sandbox.world.hard_cases["many_reviews"].number
    sandbox.faults.update(review_races={busy: 10})

    with pytest.raises(Exception) as raised:
        sync_repository.fn(repository_id=repository.pk)

    from tformance.sync.tasks import PermanentSyncFailure

    assert not isinstance(raised.value, PermanentSyncFailure)  # Dramatiq will retry it
    state = shown(repository)
    assert state.status == "retrying" and f"#{busy}" in state.detail
    assert not PullRequest.objects.filter(repository=repository, number=busy).exists()
    sandbox.faults.update(review_races={})

    sync_repository.fn(repository_id=repository.pk)

    assert shown(repository).status == "complete"
    assert_matches_truth(sandbox.world, repository)


def test_exhausted_retries_of_an_old_message_leave_a_newer_live_run_alone(sandbox, track, settings):
    settings.GITHUB_PAGE_SIZE = 5
    settings.GITHUB_MAX_RETRIES = 1
    repository = track(HARD_CASES_REPO)
    old = sync_repository.message(repository_id=repository.pk)
    sandbox.faults.update(outage_after_requests=12)
    with pytest.raises(ServerError), current_message(old):
        sync_repository.fn(repository_id=repository.pk)
    sandbox.faults.clear()
    seen = []

    def old_message_gives_up_mid_run(progress):
        if progress.pages == 1:
            sync_repository_failed.fn(old.asdict(), {"retries": 3, "max_retries": 3})
            seen.append(shown(repository).status)

    newer = sync_repository.message(repository_id=repository.pk)  # the user's Retry
    with current_message(newer):
        progress = repository_sync(repository=repository, on_page=old_message_gives_up_mid_run)

    assert seen == ["syncing"]
    assert progress.outcome == "complete"
    assert shown(repository).status == "complete"
    assert_matches_truth(sandbox.world, repository)
