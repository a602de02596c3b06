"""Step 7 and returning users: the summary, the way in, and resuming where one left off."""

import pytest
from django.urls import reverse

from tests.helpers.factories import PullRequestFactory, TeamMemberFactory
from tformance.onboarding.models import OnboardingProgress

pytestmark = pytest.mark.django_db


def test_the_summary_counts_repositories_prs_and_members(client, at_step, wizard_team):
    (repository,) = at_step("complete", ["acme/monolith"])
    PullRequestFactory.create_batch(4, repository=repository)
    TeamMemberFactory.create_batch(3, team=wizard_team)

    body = client.get(reverse("onboarding:complete")).content.decode()

    assert '<dd data-testid="summary-prs">4</dd>' in body
    assert "<dt>Repositories</dt><dd>1</dd>" in body
    assert "<dt>Jira</dt><dd>Skipped</dd>" in body


def test_going_to_the_dashboard_finishes_onboarding(client, at_step, wizard_team):
    at_step("complete", ["acme/monolith"])

    response = client.post(reverse("onboarding:complete"))

    assert response["Location"] == reverse("dashboard:team", args=[wizard_team.slug])
    wizard_team.refresh_from_db()
    assert wizard_team.onboarding_completed_at is not None


def test_a_user_who_finished_lands_on_the_dashboard_when_logging_in(
    client, at_step, wizard_team, newcomer
):
    at_step("complete", ["acme/monolith"])
    client.post(reverse("onboarding:complete"))
    client.logout()

    response = client.post(
        reverse("accounts:login"),
        {"username": newcomer.username, "password": "correct horse battery staple"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("dashboard:team", args=[wizard_team.slug])
    assert client.get(reverse("onboarding:repos"), follow=True).redirect_chain[-1][0] == (
        reverse("dashboard:team", args=[wizard_team.slug])
    )


@pytest.mark.parametrize("step", ["repos", "sync", "jira", "slack", "complete"])
def test_a_user_who_left_half_way_resumes_at_their_step(client, at_step, step):
    at_step(step)

    assert client.get(reverse("onboarding:resume"))["Location"] == reverse(f"onboarding:{step}")


def test_a_user_with_github_connected_but_no_team_resumes_at_the_org_step(client, pending):
    assert client.get(reverse("onboarding:resume"))["Location"] == reverse("onboarding:org")


def test_a_new_user_resumes_at_the_start(client, newcomer):
    assert client.get(reverse("onboarding:resume"))["Location"] == reverse("onboarding:start")


def test_a_plain_member_of_a_team_goes_to_its_dashboard(client, member, team):
    client.force_login(member)

    assert client.get(reverse("onboarding:resume"))["Location"] == reverse(
        "dashboard:team", args=[team.slug]
    )


def test_earlier_steps_stay_open_for_going_back(client, at_step):
    at_step("slack", ["acme/monolith"])

    for name in ("onboarding:repos", "onboarding:sync", "onboarding:jira", "onboarding:slack"):
        assert client.get(reverse(name)).status_code == 200, name
    assert OnboardingProgress.objects.get().furthest_step == "slack"
