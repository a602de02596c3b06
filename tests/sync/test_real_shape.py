"""A real-shaped history (the sandbox's `shape="real"`) syncs whole, its awkward text intact."""

import pytest

from github_sandbox.world import HARD_CASES_REPO
from tests.helpers.sync import assert_matches_truth, stored_paths
from tformance.pulls.models import PullRequest
from tformance.sync.repository import repository_sync

pytestmark = pytest.mark.django_db


@pytest.mark.world(shape="real", prs=150, repos=1, months=36)
def test_a_real_shaped_history_is_stored_whole(sandbox, track):
    repository = track(HARD_CASES_REPO)

    progress = repository_sync(repository=repository)

    assert progress.outcome == "complete"
    pulls = sandbox.world.all_pulls(HARD_CASES_REPO)
    assert assert_matches_truth(sandbox.world, repository) == len(pulls) > 150
    biggest = max(pulls, key=lambda pr: len(pr.files))
    stored = PullRequest.objects.get(repository=repository, number=biggest.number)
    assert stored.files.count() == len(biggest.files) > 300


@pytest.mark.world(shape="real", prs=5, repos=1, months=36)
def test_markup_formula_and_unicode_text_arrive_as_github_has_it(sandbox, track):
    repository = track(HARD_CASES_REPO)
    cases = sandbox.world.hard_cases

    repository_sync(repository=repository)

    for name in ("markup_text", "formula_text", "unicode_text"):
        pr = PullRequest.objects.get(repository=repository, number=cases[name].number)
        assert (pr.title, pr.body) == (cases[name].title, cases[name].body), name
        assert stored_paths(repository, pr.number) == {f.path for f in cases[name].files}, name
