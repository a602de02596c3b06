"""Step 3: the repository list arrives through htmx; submitting tracks and queues syncs."""

import pytest
from django.urls import reverse

from tests.helpers.factories import TeamFactory, TrackedRepositoryFactory
from tests.helpers.onboarding import queued
from tests.helpers.web import HTMX
from tformance.onboarding.models import OnboardingProgress
from tformance.pulls.models import TrackedRepository
from tformance.sync.tasks import sync_repository

pytestmark = pytest.mark.django_db


def _ids(sandbox, *names):
    return [str(sandbox.world.repo_by_full_name(n).id) for n in names]


def test_the_repos_page_renders_its_shell_without_calling_github(client, wizard_team, sandbox):
    before = sandbox.stats.snapshot()["total_requests"]

    response = client.get(reverse("onboarding:repos"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Fetching repositories from GitHub…" in body
    assert f'hx-get="{reverse("onboarding:repos_list")}"' in body
    assert 'value="365"' in body and "Select all" in body and "Select none" in body
    assert sandbox.stats.snapshot()["total_requests"] == before


def test_the_list_leaves_out_archived_repositories_and_puts_recent_pushes_first(
    client, wizard_team, sandbox
):
    body = client.get(reverse("onboarding:repos_list"), **HTMX).content.decode()

    active = sorted(
        (r for r in sandbox.world.repos.values() if r.owner.login == "acme" and not r.archived),
        key=lambda r: r.pushed_at,
        reverse=True,
    )
    positions = [body.index(f">{r.full_name}<") for r in active]
    assert positions == sorted(positions)
    assert "acme/legacy-billing" not in body


def test_github_down_shows_an_error_panel_with_the_reason_and_a_retry(client, wizard_team, sandbox):
    sandbox.faults.update(error_rate_502=1.0)

    response = client.get(reverse("onboarding:repos_list"), **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert "GitHub did not answer properly" in body and "502" in body
    assert "Retry" in body and f'hx-get="{reverse("onboarding:repos_list")}"' in body

    sandbox.faults.clear()
    assert "acme/monolith" in client.get(reverse("onboarding:repos_list"), **HTMX).content.decode()


def test_submitting_tracks_the_chosen_repositories_and_queues_their_syncs_after_commit(
    client, wizard_team, sandbox, broker, django_capture_on_commit_callbacks
):
    client.get(reverse("onboarding:repos_list"), **HTMX)
    chosen = _ids(sandbox, "acme/api-gateway", "acme/web-app")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("onboarding:repos"), {"repositories": chosen, "days_back": "180"}
        )

    assert response["Location"] == reverse("onboarding:sync")
    tracked = TrackedRepository.objects.filter(team=wizard_team)
    assert sorted(tracked.values_list("full_name", flat=True)) == [
        "acme/api-gateway",
        "acme/web-app",
    ]
    assert len(callbacks) == 2
    queued_ids = sorted(m["repository_id"] for m in queued(broker, sync_repository))
    assert queued_ids == sorted(tracked.values_list("pk", flat=True))
    wizard_team.refresh_from_db()
    assert wizard_team.days_back == 180
    assert OnboardingProgress.objects.get(team=wizard_team).furthest_step == "sync"


def test_a_repository_id_that_was_not_offered_is_a_404(client, wizard_team, sandbox):
    client.get(reverse("onboarding:repos_list"), **HTMX)
    stranger = TrackedRepositoryFactory(team=TeamFactory(), github_id=4242)

    response = client.post(
        reverse("onboarding:repos"),
        {"repositories": [str(stranger.github_id)], "days_back": "90"},
    )

    assert response.status_code == 404
    assert not TrackedRepository.objects.filter(team=wizard_team).exists()


def test_submitting_nothing_asks_for_at_least_one_repository(client, wizard_team, sandbox):
    client.get(reverse("onboarding:repos_list"), **HTMX)

    response = client.post(reverse("onboarding:repos"), {"days_back": "90"})

    assert response.status_code == 400
    assert "Choose at least one repository" in response.content.decode()


def test_an_unknown_history_window_is_refused(client, wizard_team, sandbox):
    client.get(reverse("onboarding:repos_list"), **HTMX)

    response = client.post(
        reverse("onboarding:repos"),
        {"repositories": _ids(sandbox, "acme/web-app"), "days_back": "5000"},
    )

    assert response.status_code == 400
    assert not TrackedRepository.objects.exists()


def test_a_submission_after_the_list_expired_asks_to_choose_again(client, wizard_team):
    response = client.post(reverse("onboarding:repos"), {"repositories": ["1"], "days_back": "90"})

    assert response.status_code == 400
    assert "expired" in response.content.decode()


def test_skipping_ahead_to_the_sync_step_goes_back_to_the_repositories(client, wizard_team):
    for name in ("onboarding:sync", "onboarding:jira", "onboarding:slack", "onboarding:complete"):
        assert client.get(reverse(name))["Location"] == reverse("onboarding:repos"), name


def test_a_user_without_a_team_cannot_reach_the_repositories_step(client, newcomer):
    response = client.get(reverse("onboarding:repos"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("onboarding:start")
