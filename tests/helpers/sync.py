"""The sync tests' world: a team connected to the sandbox's `acme` org, ground-truth checks,
and what a worker does with a message."""

import io

import dramatiq
import pytest
from django.core.management import call_command
from django.db.models import Count
from dramatiq.middleware import CurrentMessage

from github_sandbox.world import DEFAULT_ORG
from tests.helpers.factories import GitHubIntegrationFactory, TeamFactory, TrackedRepositoryFactory
from tformance.github.client import GitHubClient
from tformance.pulls.models import Commit, PRFile, PRReview, PullRequest, TrackedRepository
from tformance.sync.models import RepositorySync
from tformance.sync.selectors import repository_sync_state
from tformance.sync.tasks import sync_repository


@pytest.fixture
def sandbox(github_sandbox_factory, settings, request):
    """The GitHub sandbox; `@pytest.mark.world(prs=600, ...)` asks for another world."""
    marker = request.node.get_closest_marker("world")
    handle = github_sandbox_factory(**(marker.kwargs if marker else {}))
    settings.GITHUB_URL = handle.url
    settings.GITHUB_API_URL = handle.api_url
    settings.GITHUB_BACKOFF_BASE_SECONDS = 0.01
    return handle


@pytest.fixture
def acme(sandbox):
    """The team, connected with the viewer's token; a window wide enough for all history."""
    team = TeamFactory(name="Acme", slug="acme", days_back=3650)
    GitHubIntegrationFactory(
        team=team,
        org_login=DEFAULT_ORG,
        org_id=sandbox.world.org(DEFAULT_ORG).id,
        access_token=sandbox.token,
    )
    return team


@pytest.fixture
def track(acme, sandbox):
    def track(full_name: str, team=None):
        repo = sandbox.world.repo_by_full_name(full_name)
        return TrackedRepositoryFactory(team=team or acme, github_id=repo.id, full_name=full_name)

    return track


def _counts(model, repository) -> dict[int, int]:
    rows = (
        model.objects.filter(pull_request__repository=repository)
        .values("pull_request__number")
        .annotate(n=Count("id"))
    )
    return {r["pull_request__number"]: r["n"] for r in rows}


def assert_matches_truth(world, repository, *, numbers=None) -> int:
    """Every sandbox PR (or those in `numbers`) is stored whole and exactly; return how many."""
    truth = {pr.number: pr for pr in world.all_pulls(repository.full_name)}
    if numbers is not None:
        truth = {n: truth[n] for n in numbers}
    stored = {
        pr.number: pr
        for pr in PullRequest.objects.filter(repository=repository).select_related("author")
    }
    assert set(truth) <= set(stored), f"missing PRs: {sorted(set(truth) - set(stored))}"
    files, commits, reviews = (_counts(m, repository) for m in (PRFile, Commit, PRReview))
    for number, pr in truth.items():
        row = stored[number]
        where = f"{repository.full_name}#{number}"
        assert files.get(number, 0) == len(pr.files), where
        assert commits.get(number, 0) == len(pr.commits), where
        assert reviews.get(number, 0) == len(pr.reviews), where
        assert row.state == pr.graphql_state.lower(), where
        assert row.author.login == (pr.author.login if pr.author else "ghost"), where
        assert row.author.is_ghost == (pr.author is None), where
        assert (row.additions, row.deletions) == (pr.additions, pr.deletions), where
        assert row.merged_at == pr.merged_at and row.github_updated_at == pr.updated_at, where
    return len(truth)


def stored_paths(repository, number) -> set[str]:
    return set(
        PRFile.objects.filter(
            pull_request__repository=repository, pull_request__number=number
        ).values_list("path", flat=True)
    )


def shown(repository):
    """What every page says the repository's sync is doing."""
    fresh = TrackedRepository.objects.select_related("sync").get(pk=repository.pk)
    return repository_sync_state(repository=fresh)


def whole_pull_requests_patch(monkeypatch, change):
    """Every PR the client gives whole to a sync (its pages' PRs, and those it completes
    for the walk) passes through `change` (record -> record); a PR read again with
    `get_pull_request` does not."""
    real_complete = GitHubClient.complete_pull_requests
    real_pages = GitHubClient.iter_whole_pull_request_pages

    def complete(self, owner, name, prs):
        return [change(pr) for pr in real_complete(self, owner, name, prs)]

    def pages(self, *args, **kwargs):
        for page, whole in real_pages(self, *args, **kwargs):
            yield page, [change(pr) for pr in whole]

    monkeypatch.setattr(GitHubClient, "complete_pull_requests", complete)
    monkeypatch.setattr(GitHubClient, "iter_whole_pull_request_pages", pages)


def sync_row(repository):
    """The repository's sync state row, fresh from the database."""
    return RepositorySync.objects.get(pk=repository.pk)


def take_all(queue) -> list:
    """Decode the messages waiting in a StubBroker queue (it holds them encoded)."""
    return [dramatiq.Message.decode(queue.get()) for _ in range(queue.qsize())]


def run_queued_syncs(broker):
    """What a worker does with the queue: run every queued sync message."""
    messages = take_all(broker.queues["default"])
    assert messages, "nothing was queued"
    for message in messages:
        assert message.actor_name == "sync_repository"
        sync_repository.fn(**message.kwargs)


class current_message:
    """Run a block as a worker runs a message (Dramatiq's CurrentMessage middleware)."""

    def __init__(self, message):
        self.middleware = CurrentMessage()
        self.message = message

    def __enter__(self):
        self.middleware.before_process_message(None, self.message)

    def __exit__(self, *exc):
        self.middleware.after_process_message(None, self.message)


def run(*args, **env):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()
