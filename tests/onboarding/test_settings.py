"""The team settings page: admins add or remove repositories and re-run syncs."""

import pytest
from django.urls import reverse

from tests.helpers.factories import GitHubIntegrationFactory, RepositorySyncFactory, TeamFactory
from tests.helpers.onboarding import queued
from tests.helpers.web import HTMX
from tformance.pulls.models import TrackedRepository
from tformance.sync.tasks import sync_repository, sync_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(client, at_step, wizard_team):
    at_step("complete", ["acme/monolith"])
    TrackedRepository.objects.filter(team=wizard_team).update(github_id=600_001)
    for repository in TrackedRepository.objects.filter(team=wizard_team):
        RepositorySyncFactory(repository=repository, status="complete")
    client.post(reverse("onboarding:complete"))
    return wizard_team


def test_the_settings_page_shows_the_syncs_and_fetches_the_repositories_with_htmx(
    client, finished, sandbox
):
    before = sandbox.stats.snapshot()["total_requests"]

    body = client.get(reverse("onboarding:settings", args=[finished.slug])).content.decode()

    assert "acme/monolith" in body and "Re-run the sync" in body
    assert "Fetching repositories from GitHub…" in body
    assert sandbox.stats.snapshot()["total_requests"] == before


def test_the_settings_page_names_the_organisation_and_the_github_login_connected(client, finished):
    finished.github_integration.viewer_login = "maya-chen"
    finished.github_integration.save()

    body = client.get(reverse("onboarding:settings", args=[finished.slug])).content.decode()

    assert "Connected to GitHub as <strong>maya-chen</strong>" in body
    assert "organisation <strong>acme</strong>" in body


def test_the_settings_list_checks_the_tracked_repositories(client, finished, sandbox):
    monolith = sandbox.world.repo_by_full_name("acme/monolith")
    TrackedRepository.objects.filter(team=finished).update(github_id=monolith.id)

    body = client.get(
        reverse("onboarding:settings_repos_list", args=[finished.slug]), **HTMX
    ).content.decode()

    assert f'value="{monolith.id}" checked' in body


def test_an_admin_adds_and_removes_repositories(
    client, finished, sandbox, broker, django_capture_on_commit_callbacks
):
    client.get(reverse("onboarding:settings_repos_list", args=[finished.slug]), **HTMX)
    web_app = sandbox.world.repo_by_full_name("acme/web-app")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("onboarding:settings", args=[finished.slug]),
            {"repositories": [str(web_app.id)]},
        )

    assert response.status_code == 302
    active = TrackedRepository.objects.filter(team=finished, is_active=True)
    assert list(active.values_list("full_name", flat=True)) == ["acme/web-app"]
    assert not TrackedRepository.objects.get(full_name="acme/monolith").is_active
    assert [m["repository_id"] for m in queued(broker, sync_repository)] == [active.get().pk]


def test_an_admin_re_runs_the_sync(client, finished, broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("onboarding:settings_resync", args=[finished.slug]))

    assert queued(broker, sync_team) == [{"team_id": finished.pk, "full": False}]


def test_a_member_is_forbidden_and_an_outsider_does_not_see_the_team(
    client, team, member, outsider
):
    GitHubIntegrationFactory(team=team)
    client.force_login(member)
    assert client.get(reverse("onboarding:settings", args=[team.slug])).status_code == 403
    assert client.post(reverse("onboarding:settings_resync", args=[team.slug])).status_code == 403

    client.force_login(outsider)
    assert client.get(reverse("onboarding:settings", args=[team.slug])).status_code == 404
    assert client.get(reverse("onboarding:settings_status", args=[team.slug])).status_code == 404


def test_another_teams_repository_id_on_the_settings_page_is_a_404(client, finished, sandbox):
    client.get(reverse("onboarding:settings_repos_list", args=[finished.slug]), **HTMX)
    GitHubIntegrationFactory(team=TeamFactory())

    response = client.post(
        reverse("onboarding:settings", args=[finished.slug]), {"repositories": ["999999"]}
    )

    assert response.status_code == 404


def test_the_settings_status_endpoint_answers_json(client, finished):
    data = client.get(reverse("onboarding:settings_status", args=[finished.slug])).json()

    assert [r["full_name"] for r in data["repositories"]] == ["acme/monolith"]
