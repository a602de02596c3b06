"""The migration that moves each repository's sync state from pulls into the sync app."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.helpers.migrations import migrate, migrate_to_latest
from tformance.sync.models import RepositorySync

BEFORE = [("pulls", "0001_initial"), ("sync", None)]


@pytest.mark.django_db(transaction=True)
def test_existing_sync_state_moves_and_an_ended_runs_leftover_cursor_is_dropped():
    old = migrate(BEFORE)
    Team = old.get_model("teams", "Team")
    TrackedRepository = old.get_model("pulls", "TrackedRepository")
    team = Team.objects.create(name="Acme", slug="acme")
    now = timezone.now()
    hour = dt.timedelta(hours=1)

    def repo(name, **state):
        return TrackedRepository.objects.create(
            team=team, github_id=len(name), full_name=f"acme/{name}", **state
        ).pk

    complete = repo(
        "done",
        sync_status="complete",
        sync_prs_done=40,
        sync_prs_total=40,
        last_sync_started_at=now - 2 * hour,
        last_sync_finished_at=now - hour,
        last_synced_at=now - 2 * hour,
        last_sync_requests=12,
    )
    failed = repo(
        "failed",
        sync_status="error",
        last_sync_error="GitHub rejected the token",
        sync_cursor="left-behind",  # the bug: an ended run's cursor
        last_sync_started_at=now - 2 * hour,
        last_sync_finished_at=now - hour,
    )
    waiting = repo(
        "waiting",
        sync_status="syncing",
        sync_phase="waiting for GitHub's rate limit",
        sync_cursor="checkpoint",
        sync_resume_at=now + hour,
        last_sync_started_at=now - hour,
    )
    repo("new")

    migrate_to_latest()

    rows = {r.pk: r for r in RepositorySync.objects.all()}
    assert len(rows) == 4
    done = rows[complete]
    assert (done.status, done.prs_done, done.requests) == ("complete", 40, 12)
    assert done.last_synced_at == now - 2 * hour and not done.run_is_open
    gone = rows[failed]
    assert (gone.status, gone.cursor, gone.error) == ("error", "", "GitHub rejected the token")
    paused = rows[waiting]
    assert (paused.phase, paused.cursor, paused.resume_at) == (
        "rate_limited",
        "checkpoint",
        now + hour,
    )
    assert paused.run_is_open and paused.team_id == team.pk
