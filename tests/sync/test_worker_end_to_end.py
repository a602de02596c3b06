"""Syncs in real `rundramatiq` worker processes on Redis and PostgreSQL — the path that broke
in the previous product — including a worker killed with SIGKILL half-way."""

import threading

import pytest
from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from github_sandbox.world import DEFAULT_ORG, HARD_CASES_REPO
from tests.helpers.sync import assert_matches_truth, shown, sync_row
from tests.helpers.workers import wait_until
from tformance.pulls.derived import COMMITS_CAP, FILES_CAP
from tformance.pulls.models import Commit, PRFile, PRReview, PullRequest, TeamMember
from tformance.sync.services import repository_sync_enqueue, team_sync_enqueue

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _children(model):
    counts = (
        model.objects.filter(pull_request=OuterRef("pk"))
        .order_by()
        .values("pull_request")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def _expected(capped: str, cap: int, total: str):
    """GitHub's count, or its cap where the PR records that GitHub cut the list there."""
    return Case(
        When(**{capped: True}, then=Value(cap)), default=F(total), output_field=IntegerField()
    )


def partial_pull_requests() -> list[int]:
    """PR numbers whose stored children differ from GitHub's totals, in one snapshot."""
    return list(
        PullRequest.objects.annotate(
            n_files=_children(PRFile), n_commits=_children(Commit), n_reviews=_children(PRReview)
        )
        .exclude(
            n_files=_expected("files_capped", FILES_CAP, "files_total"),
            n_commits=_expected("commits_capped", COMMITS_CAP, "commits_total"),
            n_reviews=F("reviews_total"),
        )
        .values_list("number", flat=True)
    )


class PartialRowWatcher(threading.Thread):
    """Looks at the database again and again while workers write, as a dashboard would."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stopping = threading.Event()
        self.looks = 0
        self.partial: set[int] = set()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.partial.update(partial_pull_requests())
                self.looks += 1
                self.stopping.wait(0.05)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(10)


def status_of(*repositories) -> set[str]:
    return {shown(r).status.value for r in repositories}


def test_a_worker_process_syncs_a_team_enqueued_the_way_the_web_app_does(
    sandbox, acme, track, worker_factory
):
    org_repos = [
        r.full_name
        for r in sandbox.world.repos.values()
        if r.owner.login == DEFAULT_ORG and not r.archived
    ]
    repositories = [track(name) for name in org_repos[:3]]
    assert HARD_CASES_REPO in {r.full_name for r in repositories} or track(HARD_CASES_REPO)
    worker = worker_factory()

    with transaction.atomic():
        team_sync_enqueue(team=acme)

    wait_until(
        lambda: status_of(*repositories) <= {"complete", "error"},
        timeout=120,
        what=lambda: f"the syncs to finish (worker log:\n{worker.logs()[-3000:]})",
    )
    assert status_of(*repositories) == {"complete"}, [sync_row(r).error for r in repositories]
    for repository in repositories:
        assert_matches_truth(sandbox.world, repository)
    members = sandbox.world.org_members(DEFAULT_ORG)
    assert TeamMember.objects.filter(team=acme, is_active=True).count() == len(members)
    assert "[sync]" in worker.logs() and sandbox.token not in worker.logs()


def test_a_worker_killed_mid_sync_is_replaced_and_the_data_ends_whole(
    sandbox, acme, track, worker_factory
):
    repository = track(HARD_CASES_REPO)
    sandbox.faults.update(latency_ms=15)
    env = {
        "GITHUB_PAGE_SIZE": "3",
        "SYNC_CLAIM_STALE_SECONDS": "2",
        "DRAMATIQ_HEARTBEAT_TIMEOUT_MS": "2000",
        "DRAMATIQ_MAINTENANCE_CHANCE": "1000000",
    }
    watcher = PartialRowWatcher()
    watcher.start()
    first = worker_factory(**env)
    repository_sync_enqueue(repository=repository)

    def some_pages_written():
        return sync_row(repository).prs_done >= 6

    wait_until(
        some_pages_written,
        timeout=90,
        what=lambda: f"the first pages (log:\n{first.logs()[-3000:]})",
    )
    first.kill()
    done_when_killed = PullRequest.objects.filter(repository=repository).count()
    total = len(sandbox.world.all_pulls(HARD_CASES_REPO))
    assert 0 < done_when_killed < total

    second = worker_factory(**env)
    wait_until(
        lambda: status_of(repository) == {"complete"},
        timeout=120,
        what=lambda: f"the resumed sync (log:\n{second.logs()[-3000:]})",
    )
    watcher.stop()

    assert watcher.looks > 10 and watcher.partial == set()
    assert_matches_truth(sandbox.world, repository)
    assert "resuming after a checkpoint" in second.logs()
