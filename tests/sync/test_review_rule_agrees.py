"""`pulls.derived.review_by_other` (on a record, before it is stored) and
`metrics.expressions.review_by_other` (on stored rows) are one rule written for two places:
on every PR of the hard cases, with ghosts, bots, self-reviews and pending reviews, they
count the same reviews."""

import pytest
from django.db.models import F

from github_sandbox.world import HARD_CASES_REPO
from tformance.github.client import GitHubClient
from tformance.metrics.expressions import review_by_other as counts_on_rows
from tformance.pulls.derived import review_by_other as counts_on_record
from tformance.pulls.models import PRReview, PullRequest
from tformance.sync.repository import repository_sync

pytestmark = pytest.mark.django_db


def test_the_record_rule_and_the_row_rule_count_the_same_reviews(sandbox, track):
    repository = track(HARD_CASES_REPO)
    world = sandbox.world
    authored = [pr for pr in world.all_pulls(HARD_CASES_REPO) if pr.author is not None]
    for pr in authored[:3]:  # authors answering on their own PRs
        world.add_review(HARD_CASES_REPO, pr.number, state="COMMENTED", login=pr.author.login)
    repository_sync(repository=repository)
    owner, name = repository.owner_and_name
    client = GitHubClient(token=sandbox.token)

    on_record, on_rows = {}, {}
    for page in client.iter_pull_request_pages(owner, name):
        for partial in page.pull_requests:
            record = client.complete_pull_request(owner, name, partial)
            on_record[record.number] = sum(
                counts_on_record(r, author=record.author) for r in record.reviews.items
            )
    for pr in PullRequest.objects.filter(repository=repository):
        on_rows[pr.number] = PRReview.objects.filter(
            counts_on_rows(F("pull_request__author_id")), pull_request=pr
        ).count()

    assert on_record == on_rows
    assert len(on_rows) == len(sandbox.world.all_pulls(HARD_CASES_REPO))
    assert (
        0
        < sum(on_rows.values())
        < PRReview.objects.filter(pull_request__repository=repository).count()
    )
