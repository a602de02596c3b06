"""The tech stack by day and by month that each PR's write keeps (`pulls.stack_days`) is what
the stored PRs and files add up to, after every sync: new PRs, a PR merged, a PR with fewer
files, a PR deleted."""

import datetime as dt

import pytest

from github_sandbox.world import HARD_CASES_REPO
from tests.helpers.sync import assert_matches_truth
from tformance.pulls.models import PullRequest, TechStackDay, TechStackMonth
from tformance.pulls.stack_days import pull_request_stack_refresh, stack_rebuild
from tformance.sync.repository import repository_sync

pytestmark = pytest.mark.django_db


def stack_rows() -> list[tuple]:
    """Every counted row of days and months (a row whose PRs all left it counts nothing)."""
    found = []
    for model, when in ((TechStackDay, "day"), (TechStackMonth, "month")):
        rows = model.objects.exclude(lines=0, prs=0)
        found.append(
            sorted(rows.values_list("repository_id", when, "bot", "kind", "name", "lines", "prs"))
        )
    return found


def stack_keys() -> dict[int, tuple]:
    return {
        pk: (day, bot)
        for pk, day, bot in PullRequest.objects.values_list("pk", "stack_day", "stack_bot")
    }


def assert_as_if_counted_anew() -> None:
    written, keys = stack_rows(), stack_keys()
    assert all(written)  # the hard cases touch several categories and languages

    stack_rebuild()

    assert stack_rows() == written
    assert stack_keys() == keys


def test_the_tech_stack_by_day_is_what_the_stored_files_add_up_to_after_each_sync(sandbox, track):
    repository = track(HARD_CASES_REPO)
    world = sandbox.world

    repository_sync(repository=repository)
    assert_as_if_counted_anew()

    merged = next(p for p in world.all_pulls(HARD_CASES_REPO) if p.merged and len(p.files) > 2)
    with world.lock:  # the PR is pushed to again, with fewer files (the others reverted)
        pr, _ = world._touch(HARD_CASES_REPO, merged.number)
        del pr.files[1:]
    world.merge_pull_request(HARD_CASES_REPO, world.hard_cases["open"].number)
    world.add_pull_requests(HARD_CASES_REPO, count=4)
    repository_sync(repository=repository)

    assert_matches_truth(world, repository)
    stored = PullRequest.objects.get(repository=repository, number=merged.number)
    assert stored.files.count() == 1
    assert PullRequest.objects.get(
        repository=repository, number=world.hard_cases["open"].number
    ).stack_day
    assert_as_if_counted_anew()

    repository_sync(repository=repository, full=True)  # every PR written again: no change
    assert_as_if_counted_anew()


def test_the_months_are_their_days_added_up_after_a_pr_moves_across_months(sandbox, track):
    repository = track(HARD_CASES_REPO)
    repository_sync(repository=repository)
    pr = PullRequest.objects.filter(repository=repository, stack_day__isnull=False).first()
    old_month = pr.stack_day.replace(day=1)

    # Merged again a month and a half later, as a re-sync of a reopened PR would write it.
    pr.merged_at += dt.timedelta(days=45)
    pr.save(update_fields=["merged_at"])
    pull_request_stack_refresh(pull_request=pr)

    pr.refresh_from_db()
    assert pr.stack_day.replace(day=1) != old_month
    assert_as_if_counted_anew()

    pr.delete()  # its files go with it; the days and months it was counted in are redone
    stack_rebuild(repository_ids=[repository.pk], days={pr.stack_day})
    assert_as_if_counted_anew()
