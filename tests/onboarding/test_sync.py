"""Step 4: each repository's honest status, the JSON endpoint, Retry, Skip and Continue."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.helpers.factories import (
    PullRequestFactory,
    RepositorySyncFactory,
    TeamFactory,
    TrackedRepositoryFactory,
)
from tests.helpers.onboarding import queued
from tests.helpers.sync import shown, sync_row
from tformance.onboarding.models import OnboardingProgress
from tformance.sync.models import RepositorySync
from tformance.sync.tasks import sync_repository

pytestmark = pytest.mark.django_db
Status = RepositorySync.Status


def ago(seconds):
    return timezone.now() - dt.timedelta(seconds=seconds)


@pytest.fixture
def syncing(at_step):
    (repository,) = at_step("sync", ["acme/monolith"])
    return repository


def _set(repository, **fields):
    RepositorySyncFactory(repository=repository)
    RepositorySync.objects.filter(pk=repository.pk).update(**fields)


def _status(client):
    response = client.get(reverse("onboarding:sync_status"))
    assert response.status_code == 200
    return response.json()


def test_the_sync_page_shows_each_repository_with_its_progress_from_the_database(client, syncing):
    _set(
        syncing,
        status=Status.SYNCING,
        phase="pull_requests",
        prs_done=40,
        prs_total=120,
        heartbeat_at=ago(2),
    )

    body = client.get(reverse("onboarding:sync")).content.decode()

    assert "acme/monolith" in body and "Syncing pull requests" in body
    assert "40 / 120 PRs synced" in body
    assert "you can <strong>continue while it runs</strong>" in body
    assert f'data-sync-status-url="{reverse("onboarding:sync_status")}"' in body


def test_the_status_endpoint_reports_status_phase_and_counts(client, syncing):
    _set(
        syncing,
        status=Status.SYNCING,
        phase="pull_requests",
        prs_done=30,
        prs_total=120,
        heartbeat_at=ago(1),
    )
    PullRequestFactory.create_batch(3, repository=syncing)

    data = _status(client)

    (repo,) = data["repositories"]
    assert repo | {"id": None} == {
        "id": None,
        "full_name": "acme/monolith",
        "status": "syncing",
        "label": "Syncing pull requests",
        "detail": "30 / 120 PRs synced",
        "prs_done": 30,
        "prs_total": 120,
        "stored": 3,
        "counts": "3 PRs",
        "percent": 25,
        "can_retry": False,
        "can_skip": False,
    }
    assert data["pull_requests"] == 3 and data["all_done"] is False


def test_a_sync_whose_heartbeat_is_older_than_the_threshold_may_have_stalled(
    client, syncing, settings
):
    settings.SYNC_STALL_SECONDS = 45
    _set(syncing, status=Status.SYNCING, heartbeat_at=ago(46), prs_done=6)

    (repo,) = _status(client)["repositories"]

    assert repo["status"] == "stalled"
    assert repo["label"] == "This sync may have stalled"
    assert repo["can_retry"] and repo["can_skip"]
    assert "This sync may have stalled" in client.get(reverse("onboarding:sync")).content.decode()


def test_the_stall_threshold_is_a_setting(client, syncing, settings):
    settings.SYNC_STALL_SECONDS = 120
    _set(syncing, status=Status.SYNCING, heartbeat_at=ago(60))

    assert _status(client)["repositories"][0]["status"] == "syncing"


def test_a_sync_waiting_for_the_rate_limit_shows_when_it_resumes_not_a_stall(client, syncing):
    resume = timezone.now() + dt.timedelta(minutes=20)
    _set(
        syncing,
        status=Status.SYNCING,
        phase="rate_limited",
        resume_at=resume,
        heartbeat_at=ago(600),
    )

    (repo,) = _status(client)["repositories"]

    assert repo["status"] == "waiting"
    assert f"Resumes at {resume:%H:%M} UTC" in repo["detail"]
    assert not repo["can_retry"]


def test_an_error_row_shows_the_readable_error_and_retry(client, syncing):
    _set(
        syncing,
        status=Status.ERROR,
        error="GitHub rejected the token (401 Bad credentials); reconnect GitHub.",
    )

    (repo,) = _status(client)["repositories"]

    assert repo["status"] == "error"
    assert repo["detail"].startswith("GitHub rejected the token")
    assert repo["can_retry"]
    body = client.get(reverse("onboarding:sync")).content.decode()
    assert "Sync failed" in body and "GitHub rejected the token" in body


def test_retry_frees_a_stalled_sync_and_queues_it_again(
    client, syncing, wizard_team, broker, django_capture_on_commit_callbacks
):
    _set(syncing, status=Status.SYNCING, heartbeat_at=ago(300), claim="dead")
    url = reverse("onboarding:repository_retry", args=[wizard_team.slug, syncing.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"next": reverse("onboarding:sync")})

    assert response["Location"] == reverse("onboarding:sync")
    assert sync_row(syncing).claim == "" and shown(syncing).status == "pending"
    assert [m["repository_id"] for m in queued(broker, sync_repository)] == [syncing.pk]


def test_retry_leaves_a_live_sync_alone(
    client, syncing, wizard_team, django_capture_on_commit_callbacks
):
    _set(syncing, status=Status.SYNCING, heartbeat_at=ago(1), claim="alive")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("onboarding:repository_retry", args=[wizard_team.slug, syncing.pk]))

    row = sync_row(syncing)
    assert (row.status, row.claim) == ("syncing", "alive")


def test_skip_stops_tracking_the_repository_for_now(client, syncing, wizard_team):
    _set(syncing, status=Status.SYNCING, heartbeat_at=ago(300), claim="dead")

    response = client.post(
        reverse("onboarding:repository_skip", args=[wizard_team.slug, syncing.pk]),
        {"next": reverse("onboarding:sync")},
        follow=True,
    )

    syncing.refresh_from_db()
    row = sync_row(syncing)
    assert (syncing.is_active, row.status, row.claim) == (False, "pending", "")
    assert "no longer tracked; you can add it back from Settings" in response.content.decode()
    assert _status(client)["repositories"] == []


@pytest.mark.parametrize("action", ["onboarding:repository_retry", "onboarding:repository_skip"])
def test_another_teams_repository_id_in_a_post_is_a_404(client, syncing, wizard_team, action):
    theirs = TrackedRepositoryFactory(team=TeamFactory(), full_name="globex/secret")

    response = client.post(reverse(action, args=[wizard_team.slug, theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active and shown(theirs).status == "pending"


def test_another_teams_slug_in_a_post_is_a_404(client, syncing, outsider, other_team):
    theirs = TrackedRepositoryFactory(team=other_team)

    response = client.post(
        reverse("onboarding:repository_retry", args=[other_team.slug, theirs.pk])
    )

    assert response.status_code == 404


def test_an_unsafe_next_url_is_ignored(client, syncing, wizard_team):
    response = client.post(
        reverse("onboarding:repository_skip", args=[wizard_team.slug, syncing.pk]),
        {"next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("onboarding:settings", args=[wizard_team.slug])


def test_continue_moves_on_while_syncs_run(client, syncing, wizard_team):
    _set(syncing, status=Status.SYNCING, heartbeat_at=ago(1))

    response = client.post(reverse("onboarding:sync"))

    assert response["Location"] == reverse("onboarding:jira")
    assert OnboardingProgress.objects.get(team=wizard_team).furthest_step == "jira"


def test_the_status_endpoint_of_a_user_without_a_team_redirects(client, newcomer):
    response = client.get(reverse("onboarding:sync_status"))

    assert response.status_code == 302


def test_the_sync_page_says_the_import_is_done_once_every_repository_finished(
    client, syncing, wizard_team
):
    PullRequestFactory.create_batch(3, repository=syncing)
    _set(syncing, status=Status.COMPLETE, prs_done=3, prs_total=3)

    body = client.get(reverse("onboarding:sync")).content.decode()
    data = _status(client)

    assert 'data-testid="import-done">' in body  # not hidden
    assert "3 pull requests from 1 repository are in" in body
    assert data["all_done"] and data["done_text"].startswith("3 pull requests from 1 repository")
    (repo,) = data["repositories"]
    assert (repo["detail"], repo["counts"]) == ("3 PRs · 3 updated in the last sync", "3 PRs")


def test_while_a_sync_runs_the_import_is_not_said_to_be_done(client, syncing):
    _set(syncing, status=Status.SYNCING, heartbeat_at=ago(1))

    body = client.get(reverse("onboarding:sync")).content.decode()

    assert 'data-testid="import-done" hidden>' in body
    assert _status(client)["all_done"] is False
