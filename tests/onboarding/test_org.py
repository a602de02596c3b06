"""Step 2: the organisations arrive through htmx; choosing one creates the team."""

import pytest
from django.urls import reverse

from tests.helpers.onboarding import queued
from tests.helpers.web import HTMX
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


@pytest.fixture
def acme_has_a_team(sandbox):
    """Maya set up the team of `acme` already; Priya, also in the organisation, comes second."""
    from tests.helpers.factories import UserFactory
    from tests.helpers.onboarding import make_wizard_team

    maya = UserFactory(username="maya@acme.dev", first_name="Maya", last_name="Chen")
    return make_wizard_team(maya, sandbox)


@pytest.fixture
def priya_pending(client, sandbox, db):
    from tests.helpers.factories import UserFactory

    priya = UserFactory(username="priya@acme.dev")
    client.force_login(priya)
    return PendingGitHubConnection.objects.create(
        user=priya,
        access_token=sandbox.issue_token(login="priya-raman"),
        token_scopes="repo, read:org",
        method=PendingGitHubConnection.Method.OAUTH,
    )


def test_a_second_user_connecting_an_organisation_that_has_a_team_is_told_who_administers_it(
    client, acme_has_a_team, priya_pending
):
    response = client.post(reverse("onboarding:org"), {"org": "acme"}, **HTMX)

    body = response.content.decode()
    assert Team.objects.count() == 1  # no "Acme Corp 2" with a second copy of the data
    assert "acme already has a team on Tformance: Acme Corp" in body
    assert "Maya Chen" in body and "maya@acme.dev" in body
    assert "Ask to join Acme Corp" in body
    assert PendingGitHubConnection.objects.filter(user=priya_pending.user).exists()


def test_asking_to_join_records_the_request_and_emails_the_admins(
    client, acme_has_a_team, priya_pending, settings
):
    from django.core import mail

    from tformance.teams.models import JoinRequest

    settings.SITE_URL = "http://testserver"
    client.post(reverse("onboarding:org"), {"org": "acme"}, **HTMX)

    response = client.post(reverse("onboarding:org_join"))

    assert response["Location"] == reverse("onboarding:org")
    join_request = JoinRequest.objects.get()
    assert (join_request.team, join_request.user, join_request.status) == (
        acme_has_a_team,
        priya_pending.user,
        "pending",
    )
    assert join_request.github_login == "priya-raman"
    (message,) = mail.outbox
    assert message.to == ["maya@acme.dev"]
    assert "priya@acme.dev (priya-raman on GitHub)" in message.body
    assert f"http://testserver/onboarding/settings/{acme_has_a_team.slug}/" in message.body
    page = client.get(response["Location"]).content.decode()
    assert "was sent to its admins" in page
    assert "You asked to join <strong>Acme Corp</strong>" in page


def test_asking_twice_keeps_one_request_and_the_panel_says_it_was_asked(
    client, acme_has_a_team, priya_pending
):
    from tformance.teams.models import JoinRequest

    client.post(reverse("onboarding:org"), {"org": "acme"}, **HTMX)
    client.post(reverse("onboarding:org_join"))
    client.post(reverse("onboarding:org_join"))

    again = client.post(reverse("onboarding:org"), {"org": "acme"}, **HTMX).content.decode()

    assert JoinRequest.objects.count() == 1
    assert "You already asked to join" in again and "Ask to join Acme Corp" not in again


def test_a_requester_withdraws_their_request(client, acme_has_a_team, priya_pending):
    from tformance.teams.models import JoinRequest

    client.post(reverse("onboarding:org"), {"org": "acme"}, **HTMX)
    client.post(reverse("onboarding:org_join"))
    join_request = JoinRequest.objects.get()

    client.post(reverse("onboarding:org_join_withdraw", args=[join_request.pk]))

    join_request.refresh_from_db()
    assert join_request.status == "withdrawn"


def test_without_htmx_the_existing_team_is_a_409_with_the_same_panel(
    client, acme_has_a_team, priya_pending
):
    response = client.post(reverse("onboarding:org"), {"org": "acme"})

    assert response.status_code == 409
    assert "Ask to join Acme Corp" in response.content.decode()


def test_a_team_created_for_the_organisation_a_moment_ago_is_found_not_duplicated(
    client, acme_has_a_team, priya_pending, monkeypatch
):
    """Two users choosing the organisation at once: the unique org_id decides, no 500."""
    from tformance.onboarding import services

    real = services.organization_team_get
    calls = []

    def not_yet_committed(*, org_id):  # the first look happens before the other user commits
        calls.append(org_id)
        return None if len(calls) == 1 else real(org_id=org_id)

    monkeypatch.setattr(services, "organization_team_get", not_yet_committed)

    response = client.post(reverse("onboarding:org"), {"org": "acme"}, **HTMX)

    assert "acme already has a team on Tformance: Acme Corp" in response.content.decode()
    assert Team.objects.count() == 1
    assert PendingGitHubConnection.objects.filter(user=priya_pending.user).exists()
