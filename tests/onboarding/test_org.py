"""Step 2: the organisations arrive through htmx; choosing one creates the team."""

import pytest
from django.urls import reverse

from tests.onboarding.conftest import HTMX, queued
from tformance.github.models import GitHubIntegration
from tformance.onboarding.models import OnboardingProgress, PendingGitHubConnection
from tformance.sync.tasks import sync_team
from tformance.teams.models import Membership, Team

pytestmark = pytest.mark.django_db


def test_the_org_page_renders_its_shell_without_calling_github(client, pending, sandbox):
    before = sandbox.stats.snapshot()["total_requests"]

    response = client.get(reverse("onboarding:org"))

    assert response.status_code == 200
    assert "Fetching your organisations from GitHub" in response.content.decode()
    assert sandbox.stats.snapshot()["total_requests"] == before


def test_the_org_list_shows_every_organisation_the_token_can_see(client, pending):
    response = client.get(reverse("onboarding:org_list"), **HTMX)

    body = response.content.decode()
    assert 'value="acme"' in body and 'value="acme-labs"' in body


def test_with_a_single_organisation_the_choice_is_made_automatically(client, pending):
    pending.org_login = "acme"  # a personal token that named its organisation
    pending.save()

    body = client.get(reverse("onboarding:org_list"), **HTMX).content.decode()

    assert 'hx-trigger="load"' in body and 'value="acme"' in body
    assert "Setting up your team for acme" in body


def test_choosing_an_organisation_creates_the_team_with_the_user_as_admin(
    client, pending, newcomer, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("onboarding:org"), {"org": "acme"}, **HTMX)

    assert response["HX-Redirect"] == reverse("onboarding:repos")
    team = Team.objects.get()
    assert team.name == "Acme Corp"
    assert Membership.objects.get(team=team).user == newcomer
    assert Membership.objects.get(team=team).role == "admin"
    integration = GitHubIntegration.objects.get(team=team)
    assert (integration.org_login, integration.connection_method) == ("acme", "oauth")
    assert integration.viewer_login == "maya-chen"
    assert integration.access_token == pending.access_token
    assert not PendingGitHubConnection.objects.exists()
    assert OnboardingProgress.objects.get(team=team).furthest_step == "repos"
    assert queued(broker, sync_team) == [{"team_id": team.pk, "full": False}]  # members


def test_an_organisation_the_token_cannot_read_is_an_error_and_no_team(client, pending):
    response = client.post(reverse("onboarding:org"), {"org": "initech"}, **HTMX)

    assert "cannot read the organisation" in response.content.decode()
    assert not Team.objects.exists()
    assert PendingGitHubConnection.objects.exists()


def test_github_down_while_listing_organisations_shows_a_retry_panel(client, pending, sandbox):
    sandbox.faults.update(error_rate_502=1.0)

    response = client.get(reverse("onboarding:org_list"), **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert "GitHub did not answer properly" in body and "502" in body
    assert f'hx-get="{reverse("onboarding:org_list")}"' in body and "Retry" in body


def test_github_down_while_creating_the_team_shows_a_retry_not_a_500(client, pending, sandbox):
    sandbox.faults.update(error_rate_502=1.0)

    response = client.post(reverse("onboarding:org"), {"org": "acme"}, **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert "GitHub did not answer properly" in body and "Retry" in body
    assert not Team.objects.exists()


def test_skipping_ahead_to_the_org_step_without_github_goes_back_to_the_start(client, newcomer):
    response = client.get(reverse("onboarding:org"))

    assert response["Location"] == reverse("onboarding:start")


def test_a_revoked_token_on_the_org_step_names_the_problem(client, pending, sandbox):
    sandbox.revoke_token(pending.access_token)

    body = client.get(reverse("onboarding:org_list"), **HTMX).content.decode()

    assert "GitHub rejected the token" in body
