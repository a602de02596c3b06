"""A real worker killed mid-sync: the page says the sync may have stalled; Retry finishes it."""

import pytest
from django.urls import reverse

from github_sandbox.world import HARD_CASES_REPO
from tests.helpers.sync import assert_matches_truth, sync_row
from tests.helpers.web import HTMX
from tests.helpers.workers import wait_until
from tformance.pulls.models import TrackedRepository

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
WORKER_ENV = {"GITHUB_PAGE_SIZE": "3"}


def test_a_killed_worker_shows_as_stalled_and_retry_completes_the_sync(
    client, wizard_team, sandbox, settings, worker_factory
):
    settings.SYNC_STALL_SECONDS = 3
    sandbox.faults.update(latency_ms=15)
    first = worker_factory(**WORKER_ENV)
    client.get(reverse("onboarding:repos_list"), **HTMX)
    monolith = sandbox.world.repo_by_full_name(HARD_CASES_REPO)
    client.post(reverse("onboarding:repos"), {"repositories": [monolith.id], "days_back": "365"})
    repository = TrackedRepository.objects.get(team=wizard_team)  # 365 days: all its history

    def some_pages_written():
        return sync_row(repository).prs_done >= 6

    wait_until(some_pages_written, timeout=90, what=lambda: f"pages ({first.logs()[-2000:]})")
    first.kill()

    def stalled():
        (row,) = client.get(reverse("onboarding:sync_status")).json()["repositories"]
        return row if row["status"] == "stalled" else None

    row = wait_until(stalled, timeout=30, what="the stall to show")
    assert row["label"] == "This sync may have stalled" and row["can_retry"] and row["can_skip"]
    page = client.get(reverse("onboarding:sync")).content.decode()
    assert "This sync may have stalled" in page
    done_when_killed = sync_row(repository).prs_done

    response = client.post(
        reverse("onboarding:repository_retry", args=[wizard_team.slug, repository.pk]),
        {"next": reverse("onboarding:sync")},
    )
    assert response["Location"] == reverse("onboarding:sync")
    assert client.get(reverse("onboarding:sync_status")).json()["repositories"][0]["status"] in (
        "pending",
        "syncing",
    )
    second = worker_factory(**WORKER_ENV)

    def complete():
        (row,) = client.get(reverse("onboarding:sync_status")).json()["repositories"]
        return row["status"] == "complete"

    wait_until(complete, timeout=120, what=lambda: f"the retried sync ({second.logs()[-2000:]})")
    assert "resuming after a checkpoint" in second.logs()
    assert sync_row(repository).prs_done > done_when_killed
    assert_matches_truth(sandbox.world, repository)
