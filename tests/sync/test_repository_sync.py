"""The sync loop against the sandbox over real HTTP: whole PRs, idempotent, incremental."""

import datetime as dt

import pytest
from django.db import DataError, connection
from django.utils import timezone

from github_sandbox.world import HARD_CASES_REPO
from tests.helpers.sync import (
    assert_matches_truth,
    stored_paths,
    sync_row,
    whole_pull_requests_patch,
)
from tformance.pulls.derived import issue_keys
from tformance.pulls.models import Commit, PRFile, PRReview, PullRequest, TeamMember
from tformance.sync.repository import repository_sync

pytestmark = pytest.mark.django_db


def all_rows() -> dict:
    models = (PullRequest, PRReview, Commit, PRFile, TeamMember)
    return {m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in models}


def test_a_first_sync_stores_every_pull_request_whole(sandbox, track):
    repository = track(HARD_CASES_REPO)

    progress = repository_sync(repository=repository)

    assert progress.outcome == "complete"
    synced = assert_matches_truth(sandbox.world, repository)
    assert progress.prs == synced == PullRequest.objects.count()
    row = sync_row(repository)
    assert row.status == "complete"
    assert row.prs_done == row.prs_total == synced
    assert row.last_synced_at == row.run_started_at and row.run_finished_at is not None
    assert row.cursor == "" and row.claim == ""
    assert row.requests == progress.requests > 0
    assert row.points == progress.points > 0


def test_the_hard_cases_arrive_with_every_nested_item(sandbox, track):
    repository = track(HARD_CASES_REPO)
    cases = sandbox.world.hard_cases

    repository_sync(repository=repository)

    def stored(name):
        return PullRequest.objects.get(repository=repository, number=cases[name].number)

    assert stored("many_files").files.count() == len(cases["many_files"].files) > 300
    assert stored("many_commits").commits.count() == len(cases["many_commits"].commits) > 100
    assert stored("many_reviews").reviews.count() == len(cases["many_reviews"].reviews) > 100
    assert stored("ghost_author").author.is_ghost
    assert stored("bot_dependabot").author.is_bot
    assert stored("draft").is_draft and stored("draft").state == "open"
    assert stored("closed_unmerged").state == "closed"
    assert stored("closed_unmerged").merged_at is None
    assert stored("ready_after_draft").ready_for_review_at is not None
    unicode_pr = cases["unicode_paths"]
    assert stored_paths(repository, unicode_pr.number) == {f.path for f in unicode_pr.files}
    renamed = PRFile.objects.get(pull_request=stored("unicode_paths"), path="src/new name.py")
    assert (renamed.change_type, renamed.previous_path) == ("renamed", "src/old_name.py")


def test_derived_fields_are_computed_at_sync_time(sandbox, track):
    repository = track(HARD_CASES_REPO)
    cases = sandbox.world.hard_cases

    repository_sync(repository=repository)

    ai = PullRequest.objects.get(repository=repository, number=cases["ai_trailers"].number)
    not_ai = PullRequest.objects.get(repository=repository, number=cases["no_ai_negative"].number)
    agent = PullRequest.objects.get(repository=repository, number=cases["bot_ai_agent"].number)
    assert ai.is_ai_assisted and "Claude" in ai.ai_tools
    assert not not_ai.is_ai_assisted and not_ai.ai_tools == []
    assert agent.is_ai_assisted and "Devin" in agent.ai_tools
    big = PullRequest.objects.get(repository=repository, number=cases["many_files"].number)
    assert big.size_bucket == "XL"
    assert big.first_review_at == min(
        r.submitted_at for r in cases["many_files"].reviews if r.submitted_at
    )
    lock = PRFile.objects.get(
        pull_request__number=cases["bot_dependabot"].number, path="poetry.lock"
    )
    assert lock.category == "generated"
    unreviewed = cases["merged_without_review"].number
    assert PullRequest.objects.get(repository=repository, number=unreviewed).first_review_at is None


def test_a_second_sync_changes_nothing_and_duplicates_nothing(sandbox, track):
    repository = track(HARD_CASES_REPO)
    repository_sync(repository=repository)
    before = all_rows()

    repository_sync(repository=repository, full=True)

    assert all_rows() == before
    assert_matches_truth(sandbox.world, repository)


def test_an_incremental_sync_fetches_only_what_changed(sandbox, track):
    repository = track(HARD_CASES_REPO)
    repository_sync(repository=repository)
    world = sandbox.world
    old = world.hard_cases["merged_without_review"].number
    open_pr = world.hard_cases["open"].number
    new = world.add_pull_requests(HARD_CASES_REPO, count=3)
    world.add_review(HARD_CASES_REPO, old, state="APPROVED")
    world.merge_pull_request(HARD_CASES_REPO, open_pr)
    sandbox.stats.reset()

    progress = repository_sync(repository=repository)

    changed = {old, open_pr, *(pr.number for pr in new)}
    assert progress.prs == len(changed)
    # One page holds all five changed PRs; nothing else is re-read.
    assert sandbox.stats.graphql_requests == 1
    assert_matches_truth(world, repository)
    assert PullRequest.objects.get(repository=repository, number=open_pr).state == "merged"
    assert PullRequest.objects.get(repository=repository, number=old).first_review_at


def test_a_first_sync_reaches_back_only_to_the_teams_window(sandbox, track, acme):
    acme.days_back = 30
    acme.save()
    repository = track(HARD_CASES_REPO)
    cutoff = timezone.now() - dt.timedelta(days=30)

    repository_sync(repository=repository)

    recent = {p.number for p in sandbox.world.all_pulls(HARD_CASES_REPO) if p.updated_at >= cutoff}
    stored = set(PullRequest.objects.values_list("number", flat=True))
    assert recent and stored == recent
    assert_matches_truth(sandbox.world, repository, numbers=recent)


def test_another_running_sync_makes_a_second_one_return_quietly(sandbox, track):
    repository = track(HARD_CASES_REPO)
    from tformance.sync.state import repository_claim

    assert repository_claim(repository=repository)

    progress = repository_sync(repository=repository)

    assert progress.outcome == "skipped"
    assert PullRequest.objects.count() == 0
    assert sandbox.stats.total_requests == 0


@pytest.mark.world(include_giant_pr=True)
def test_a_pr_past_the_rest_apis_caps_is_still_stored_whole(sandbox, track):
    repository = track(HARD_CASES_REPO)
    giant = sandbox.world.hard_cases["giant"]

    repository_sync(repository=repository)

    pr = PullRequest.objects.get(repository=repository, number=giant.number)
    assert len(giant.files) > 3000 and len(giant.commits) > 250
    assert pr.files.count() == pr.files_total == len(giant.files)
    assert pr.commits.count() == pr.commits_total == len(giant.commits)
    assert not pr.files_capped and not pr.commits_capped
    assert_matches_truth(sandbox.world, repository)


def test_a_pr_that_github_cuts_at_its_cap_is_kept_and_marked_capped(sandbox, track, monkeypatch):
    import dataclasses

    from tformance.pulls import derived

    monkeypatch.setattr(derived, "FILES_CAP", 300)  # as if GitHub stopped listing at 300
    repository = track(HARD_CASES_REPO)
    victim = sandbox.world.hard_cases["many_files"].number

    def cut_at_cap(pr):
        if pr.number == victim:
            pr = dataclasses.replace(
                pr, files=dataclasses.replace(pr.files, items=pr.files.items[:300])
            )
        return pr

    whole_pull_requests_patch(monkeypatch, cut_at_cap)

    repository_sync(repository=repository)

    pr = PullRequest.objects.get(repository=repository, number=victim)
    assert pr.files_capped and pr.files.count() == 300 < pr.files_total


def test_a_bots_review_is_not_the_first_review(sandbox, track):
    world = sandbox.world
    repository = track(HARD_CASES_REPO)
    number = world.hard_cases["merged_without_review"].number
    world.add_review(HARD_CASES_REPO, number, state="COMMENTED", login="dependabot[bot]")

    repository_sync(repository=repository)

    pr = PullRequest.objects.get(repository=repository, number=number)
    assert pr.reviews.count() == 1 and pr.first_review_at is None


def test_text_is_stored_as_github_sent_it_escapes_and_all(sandbox, track):
    repository = track(HARD_CASES_REPO)
    pr = sandbox.world.hard_cases["unicode_paths"]
    message = 'Ünïcode ✓ 🚀, a "quote", a \\ and a literal \\u0000, \\x00 and \\\\u0000'
    sandbox.world.add_commit(HARD_CASES_REPO, pr.number, message=message)

    repository_sync(repository=repository)

    assert_matches_truth(sandbox.world, repository)
    assert Commit.objects.filter(pull_request__number=pr.number, message=message).count() == 1


def test_a_nul_in_a_commit_message_is_refused_before_its_pr_is_sent(sandbox, track):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's text holds NUL; PostgreSQL's cannot")
    repository = track(HARD_CASES_REPO)
    pr = sandbox.world.hard_cases["unicode_paths"]
    sandbox.world.add_commit(HARD_CASES_REPO, pr.number, message="Fix\x00it")

    with pytest.raises(DataError, match=r"cannot contain NUL \(0x00\) bytes"):
        repository_sync(repository=repository)

    # Nothing was sent: the test's transaction is not aborted, and the PR is not stored.
    assert not PullRequest.objects.filter(repository=repository, number=pr.number).exists()


def test_a_pull_request_keeps_the_issue_keys_it_mentions_branch_first_then_title_then_body(
    sandbox, track
):
    repository = track(HARD_CASES_REPO)
    repository_sync(repository=repository)
    number = sandbox.world.hard_cases["draft"].number
    with sandbox.world.lock:  # GitHub: the author renames the branch and edits the PR
        pr, _ = sandbox.world._touch(HARD_CASES_REPO, number)
        pr.head_ref = "feature/CORE-7-login"
        pr.title = "[WEB-3] Login, after CORE-7"
        pr.body = "Also fixes CORE-9 (and UTF-8 names, not an issue: kept, filtered on reading)."

    repository_sync(repository=repository)

    stored = PullRequest.objects.get(repository=repository, number=number)
    assert stored.issue_keys == ["CORE-7", "WEB-3", "CORE-9", "UTF-8"]
    for other in PullRequest.objects.all():  # each PR's keys are those of what it says
        assert other.issue_keys == issue_keys(
            head_ref=other.head_ref, title=other.title, body=other.body
        )
