"""Fetching while writing: follow-up pages batched across PRs, rename look-ups only where
there are renames, the next page fetched on a thread, and every failure or stop of that
thread leaving the run exactly where its last written page left it."""

import math
import threading
import time

import pytest

from github_sandbox.models import ChangedFile, fake_sha
from github_sandbox.world import HARD_CASES_REPO
from tests.helpers.sync import assert_matches_truth, sync_row
from tformance.github.budget import forget_budgets
from tformance.github.client import NESTED_PAGE_SIZE, GitHubClient
from tformance.github.errors import RateLimited, ServerError
from tformance.github.follow_ups import FOLLOW_UP_CONNECTIONS
from tformance.github.pull_requests import MAX_PAGE_SIZE
from tformance.pulls.models import PRFile, PullRequest
from tformance.sync import state
from tformance.sync.repository import repository_sync

pytestmark = pytest.mark.django_db

OWNER, NAME = HARD_CASES_REPO.split("/")
REST_FILES = "GET /repos/{owner}/{repo}/pulls/{number}/files"


def add_big_pull_requests(world):
    """Four new PRs at the top: 160 files (one renamed), 260 commits, 130 reviews, all three."""
    shapes = [(160, 0, 1), (0, 260, 1), (0, 0, 130), (160, 260, 130)]
    big = world.add_pull_requests(HARD_CASES_REPO, len(shapes))
    for pr, (files, commits, reviews) in zip(big, shapes, strict=True):
        if files:
            folder = f"src/big_{pr.number}"
            pr.files = [
                ChangedFile(f"{folder}/module_{i}.py", "added", 3, 0, fake_sha("big", pr.id, i))
                for i in range(files - 1)
            ] + [
                ChangedFile(
                    f"{folder}/new.py", "renamed", 1, 1, fake_sha("r", pr.id), f"{folder}/old.py"
                )
            ]
        for _ in range(commits):
            world.add_commit(HARD_CASES_REPO, pr.number)
        for _ in range(reviews):
            world.add_review(HARD_CASES_REPO, pr.number, state="COMMENTED")
    return big


def follow_up_pages(numbers, world) -> list[int]:
    """How many pages after the first each long nested list of these PRs needs."""
    pulls = {pr.number: pr for pr in world.all_pulls(HARD_CASES_REPO)}
    return [
        math.ceil((n - NESTED_PAGE_SIZE) / MAX_PAGE_SIZE)
        for number in numbers
        for n in (len(pulls[number].files), len(pulls[number].commits), len(pulls[number].reviews))
        if n > NESTED_PAGE_SIZE
    ]


def test_a_page_of_big_prs_is_completed_in_batched_follow_ups_and_matches_github(sandbox, track):
    world = sandbox.world
    big = add_big_pull_requests(world)
    repository = track(HARD_CASES_REPO)
    pages = [follow_up_pages(numbers, world) for *_, numbers in spent_by_page(sandbox)]
    assert len(pages[0]) >= 6  # the big PRs' lists, on the first page
    assert all(len(lists) <= FOLLOW_UP_CONNECTIONS for lists in pages)
    sandbox.stats.reset()

    progress = repository_sync(repository=repository)

    assert progress.outcome == "complete" and progress.pages == len(pages)
    assert_matches_truth(world, repository)
    stats = sandbox.stats
    # Each round asks for the next page of all the lists that have more, riding along in
    # the query of a page ahead while there is one: the big PRs' rounds cost nothing more
    # than the pages after them; only the rounds past the last page are queries of their own.
    rounds = max(pages[0])
    assert len(pages) - 1 >= rounds  # enough pages after the first for them to ride along
    assert stats.graphql_requests == len(pages) + _rounds_past_the_end(pages)
    separate_rounds = sum(1 + max(lists, default=0) for lists in pages)
    assert stats.graphql_requests < separate_rounds
    assert stats.graphql_points == stats.graphql_requests  # 1 point each
    for pr in big:
        stored = PullRequest.objects.get(repository=repository, number=pr.number)
        assert stored.files.count() == len(pr.files)
        assert stored.commits.count() == len(pr.commits)
        assert stored.reviews.count() == len(pr.reviews)


def _rounds_past_the_end(pages: list[list[int]]) -> int:
    """The follow-up rounds that find no page left to ride along: each page's rounds ride
    on the pages after it, one a query (the oldest page waiting first)."""
    left = 0  # rounds still to go once a page is fetched
    for lists in pages:
        left = max(left - 1, max(lists, default=0), 0)
    return left


def test_renamed_files_keep_their_previous_path_and_only_prs_with_a_rename_ask_rest(sandbox, track):
    world = sandbox.world
    big = add_big_pull_requests(world)
    repository = track(HARD_CASES_REPO)
    sandbox.stats.reset()

    repository_sync(repository=repository)

    renamed = [
        pr
        for pr in world.all_pulls(HARD_CASES_REPO)
        if any(f.status == "renamed" for f in pr.files)
    ]
    assert len(renamed) >= 3
    # One REST list per PR with a rename (of 100 files a page), none for the others.
    expected = sum(math.ceil(len(pr.files) / 100) for pr in renamed)
    assert sandbox.stats.by_endpoint[REST_FILES] == sandbox.stats.rest_requests == expected
    stored = {
        (f.pull_request.number, f.path): f.previous_path
        for f in PRFile.objects.filter(pull_request__repository=repository, change_type="renamed")
    }
    truth = {(pr.number, f.path): f.previous_path for pr in renamed for f in pr.files}
    assert stored == {key: path for key, path in truth.items() if path}
    assert stored[big[0].number, f"src/big_{big[0].number}/new.py"] == (
        f"src/big_{big[0].number}/old.py"
    )


def spent_by_page(sandbox, *, page_size: int = 25) -> list[tuple[int, int, str, list[int]]]:
    """(requests, points, cursor, PR numbers) by the end of each page, as the sync fetches
    them (the next page's cursor is its end cursor)."""
    client = GitHubClient(token=sandbox.token, page_size=page_size)
    spent = []
    for page in client.iter_pull_request_pages(OWNER, NAME):
        client.complete_pull_requests(OWNER, NAME, page.pull_requests)
        numbers = [pr.number for pr in page.pull_requests]
        usage = client.usage
        spent.append((usage.requests, usage.graphql_points, page.end_cursor, numbers))
    return spent


@pytest.mark.parametrize("fault", ["a 502 outage", "the rate limit"])
def test_a_failure_while_the_next_page_is_fetched_leaves_the_run_at_its_last_written_page(
    sandbox, track, settings, fault
):
    settings.GITHUB_PAGE_SIZE = 5
    settings.GITHUB_MAX_RETRIES = 1
    repository = track(HARD_CASES_REPO)
    spent = spent_by_page(sandbox, page_size=5)
    used = sandbox.stats.graphql_points
    requests, points, *_ = spent[1]
    if fault == "a 502 outage":
        # Everything up to the second page's end and one more request gets through, then
        # GitHub is down: the page being fetched fails.
        sandbox.faults.update(outage_after_requests=requests + 1)
        written = [page for page in spent if page[0] <= requests + 1]
    else:
        sandbox.faults.update(graphql_budget=used + points)
        written = [page for page in spent if page[1] <= points]

    with pytest.raises(ServerError if fault == "a 502 outage" else RateLimited):
        repository_sync(repository=repository)

    # The fetch thread failed on the page after the last one written: that one stands.
    assert 2 <= len(written) < len(spent)
    written_numbers = {number for *_, numbers in written for number in numbers}
    row = sync_row(repository)
    assert row.phase == ("retrying" if fault == "a 502 outage" else "rate_limited")
    assert row.cursor == written[-1][2]
    assert row.prs_done == len(written_numbers)
    assert set(PullRequest.objects.values_list("number", flat=True)) == written_numbers
    assert_matches_truth(sandbox.world, repository, numbers=written_numbers)
    assert not [t for t in threading.enumerate() if t.name.startswith("sync-fetch")]
    sandbox.faults.clear()
    forget_budgets()  # GitHub's window reset: the token's shared budget is known again

    progress = repository_sync(repository=repository)

    assert progress.outcome == "complete" and progress.skipped == 0
    assert sync_row(repository).status == "complete"
    assert_matches_truth(sandbox.world, repository)


def test_the_heartbeat_is_written_only_from_the_syncing_thread(
    sandbox, track, settings, monkeypatch
):
    settings.GITHUB_PAGE_SIZE = 5
    monkeypatch.setattr(state, "heartbeat_seconds", lambda: 0.0)  # beat on every call
    repository = track(HARD_CASES_REPO)
    writers = []
    real_update = state.Claim.update

    def update(self, **fields):
        writers.append(threading.current_thread())
        return real_update(self, **fields)

    monkeypatch.setattr(state.Claim, "update", update)

    repository_sync(repository=repository)

    assert len(writers) > 20 and set(writers) == {threading.current_thread()}
    assert_matches_truth(sandbox.world, repository)


def test_a_sync_that_stops_while_the_next_page_waits_out_a_limit_stops_at_once(
    sandbox, track, settings
):
    settings.GITHUB_PAGE_SIZE = 5
    repository = track(HARD_CASES_REPO)
    requests, _, _, first_page = spent_by_page(sandbox, page_size=5)[0]
    sandbox.stats.reset()
    # The first request for the second page meets a secondary limit: a minute's wait.
    sandbox.faults.update(secondary_limit_every=requests + 1, secondary_retry_after=60)

    def stop_once_the_fetch_waits(progress):
        deadline = time.monotonic() + 10
        while not sandbox.stats.secondary_limited and time.monotonic() < deadline:
            time.sleep(0.01)
        raise KeyboardInterrupt  # a worker shutting down

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        repository_sync(repository=repository, on_page=stop_once_the_fetch_waits)

    assert sandbox.stats.secondary_limited == 1
    assert time.monotonic() - started < 15  # not the minute the fetch thread was told to wait
    assert not [t for t in threading.enumerate() if t.name.startswith("sync-fetch")]
    row = sync_row(repository)
    assert row.phase == "interrupted" and row.prs_done == len(first_page)
    assert set(PullRequest.objects.values_list("number", flat=True)) == set(first_page)


def test_an_incremental_sync_completes_big_prs_without_fetching_pages_past_its_watermark(
    sandbox, track
):
    world = sandbox.world
    repository = track(HARD_CASES_REPO)
    repository_sync(repository=repository)
    big = add_big_pull_requests(world)  # at the top, above what is stored
    rounds = max(follow_up_pages([pr.number for pr in big], world))
    sandbox.stats.reset()

    progress = repository_sync(repository=repository)

    # The first page reaches the watermark: its big PRs' rounds are queries of their own,
    # and no page after it is fetched to carry them.
    assert progress.outcome == "complete" and progress.pages == 1
    assert progress.prs == len(big)
    assert sandbox.stats.by_operation == {"PullRequests": 1, "PullRequestFollowUps": rounds}
    assert_matches_truth(world, repository)


def test_a_sync_past_its_time_slice_fetches_no_page_ahead_for_its_big_prs(sandbox, track):
    world = sandbox.world
    big = add_big_pull_requests(world)  # on the first page
    rounds = max(follow_up_pages([pr.number for pr in big], world))
    repository = track(HARD_CASES_REPO)
    sandbox.stats.reset()

    progress = repository_sync(repository=repository, max_seconds=0)

    # The slice ended before the first page was taken: it is written and the walk pauses,
    # so its rounds went in queries of their own, with no page fetched ahead to be dropped.
    assert progress.outcome == "paused" and progress.pages == 1
    assert sandbox.stats.by_operation == {"PullRequests": 1, "PullRequestFollowUps": rounds}
    assert {pr.number for pr in big} <= set(PullRequest.objects.values_list("number", flat=True))
