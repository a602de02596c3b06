"""A team's repositories sync side by side in real `rundramatiq` worker threads, and pause
together when the token's shared rate limit runs out: no worker keeps sending into GitHub's
refusals, every one resumes after the reset, and every repository ends whole."""

import threading

import pytest
from django.db import connection, transaction

from github_sandbox.world import DEFAULT_ORG
from tests.helpers.sync import assert_matches_truth, sync_row
from tests.helpers.workers import wait_until
from tformance.pulls.models import PullRequest, TeamMember
from tformance.sync.models import RepositorySync
from tformance.sync.services import team_sync_enqueue

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
THREADS = 4


def org_repositories(sandbox) -> list[str]:
    return [
        r.full_name
        for r in sandbox.world.repos.values()
        if r.owner.login == DEFAULT_ORG and not r.archived
    ]


class PhaseWatcher(threading.Thread):
    """Looks at every repository's sync row again and again while the workers run."""

    def __init__(self, repositories) -> None:
        super().__init__(daemon=True)
        self.ids = [r.pk for r in repositories]
        self.stopping = threading.Event()
        self.snapshots: list[dict[int, tuple[str, str, object]]] = []

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                rows = RepositorySync.objects.filter(pk__in=self.ids)
                self.snapshots.append(
                    {
                        r.pk: (r.status, r.phase, r.resume_at)
                        for r in rows.only("status", "phase", "resume_at")
                    }
                )
                self.stopping.wait(0.05)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(10)

    def most_paused_together(self) -> tuple[int, set]:
        """The most repositories waiting for the rate limit at one moment, and until when."""
        best = (0, set())
        for snapshot in self.snapshots:
            waiting = [s for s in snapshot.values() if s[1] == RepositorySync.Phase.RATE_LIMITED]
            if len(waiting) > best[0]:
                best = (len(waiting), {s[2] for s in waiting})
        return best


def all_complete(repositories) -> bool:
    return {sync_row(r).status for r in repositories} == {RepositorySync.Status.COMPLETE}


@pytest.mark.world(prs=200, repos=4)
def test_a_teams_repositories_pause_together_when_the_shared_budget_runs_out_and_end_whole(
    sandbox, acme, track, worker_factory
):
    repositories = [track(name) for name in org_repositories(sandbox)]
    # The sync needs ~30 points; each window gives 10 and resets 3 s after it began.
    budget, reserve = 10, THREADS
    sandbox.faults.update(graphql_budget=budget, window_seconds=3, latency_ms=5)
    watcher = PhaseWatcher(repositories)
    watcher.start()
    worker = worker_factory(
        threads=THREADS, GITHUB_PAGE_SIZE="10", GITHUB_RATE_LIMIT_RESERVE=str(reserve)
    )

    with transaction.atomic():
        team_sync_enqueue(team=acme)
    wait_until(
        lambda: all_complete(repositories),
        timeout=180,
        what=lambda: f"every repository complete (worker log:\n{worker.logs()[-4000:]})",
    )
    watcher.stop()

    stats = sandbox.stats.snapshot()
    assert stats["graphql_points"] > 2 * budget  # the budget ran out and reset, twice at least
    # The workers stopped sending at the reserve: GitHub refused none of them, or at most the
    # requests they already had in flight, one per thread.
    assert stats["primary_limited_graphql"] <= THREADS
    paused, until = watcher.most_paused_together()
    assert paused >= 2 and len(until) == 1, watcher.snapshots[-1]  # together, for one reset
    for repository in repositories:
        assert_matches_truth(sandbox.world, repository)
    assert "waits for GitHub's rate limit" in worker.logs()


@pytest.mark.world(prs=160, repos=2)
def test_two_repositories_with_the_same_people_sync_at_the_same_time_in_one_worker(
    sandbox, acme, track, worker_factory
):
    first, second = repositories = [track(name) for name in org_repositories(sandbox)]
    authors = [
        {pr.author.id for pr in sandbox.world.all_pulls(r.full_name) if pr.author}
        for r in repositories
    ]
    shared = authors[0] & authors[1]
    assert len(shared) >= 3  # the same people open PRs in both
    sandbox.faults.update(latency_ms=10)
    worker = worker_factory(GITHUB_PAGE_SIZE="5")

    with transaction.atomic():
        team_sync_enqueue(team=acme)
    wait_until(
        lambda: all_complete(repositories),
        timeout=180,
        what=lambda: f"both repositories complete (worker log:\n{worker.logs()[-4000:]})",
    )

    a, b = sync_row(first), sync_row(second)
    # They ran side by side (two worker threads), not one after the other.
    assert a.run_started_at < b.run_finished_at and b.run_started_at < a.run_finished_at
    for repository in repositories:
        assert_matches_truth(sandbox.world, repository)
    members = TeamMember.objects.filter(team=acme, github_id__in=shared)
    assert members.count() == len(shared)  # one row per person, whichever sync met them first
    for member in members:
        written = PullRequest.objects.filter(author=member).values_list("repository", flat=True)
        assert set(written) == {first.pk, second.pk}
    assert "IntegrityError" not in worker.logs() and "Traceback" not in worker.logs()
