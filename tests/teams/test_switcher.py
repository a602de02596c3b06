"""The header's team switcher: every team of the user, the page's own marked current."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.helpers.factories import MembershipFactory
from tformance.teams.models import Membership, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_two_teams(team, other_team, member):
    """The member of Acme is also an admin of Globex; both teams are set up."""
    Team.objects.update(onboarding_completed_at=timezone.now())
    MembershipFactory(team=other_team, user=member, role=Membership.Role.ADMIN)
    return member


def _switcher(body: str) -> str:
    start = body.index('data-testid="team-switcher"')
    return body[start : body.index("</details>", start)]


def test_the_switcher_lists_every_team_and_marks_the_current_one(client, in_two_teams):
    client.force_login(in_two_teams)

    body = client.get(reverse("dashboard:team", args=["globex"])).content.decode()

    switcher = _switcher(body)
    assert 'aria-label="Team: Globex. Switch team">Globex</summary>' in switcher
    assert '<a href="/t/acme/">Acme</a>' in switcher
    assert '<a href="/t/globex/" aria-current="true">Globex</a>' in switcher
    assert "Leave Globex" in switcher
    assert 'aria-label="Settings of Globex"' in body  # an admin there


def test_switching_to_a_team_where_the_user_is_a_member_shows_no_settings_link(
    client, in_two_teams
):
    client.force_login(in_two_teams)

    body = client.get(reverse("dashboard:team", args=["acme"])).content.decode()

    assert '<a href="/t/acme/" aria-current="true">Acme</a>' in _switcher(body)
    assert "Settings of" not in body


def test_a_user_without_a_team_is_offered_to_set_one_up(client, lonely_user):
    client.force_login(lonely_user)

    body = client.get(reverse("home")).content.decode()

    assert "Set up your team" in body and "team-switcher" not in body


def test_an_admins_unfinished_team_links_to_the_wizard(client, owner, team):
    client.force_login(owner)

    body = client.get(reverse("home")).content.decode()

    assert f'<a href="{reverse("onboarding:resume")}">Finish setting up Acme</a>' in body


def test_the_teams_are_read_only_when_the_header_is_rendered(rf, member, django_assert_num_queries):
    from tformance.teams.context_processors import teams

    request = rf.get("/")
    request.user = member

    with django_assert_num_queries(0):  # htmx fragments have no header: they pay nothing
        context = teams(request)
    with django_assert_num_queries(1):
        assert [t.name for t in context["team_nav"].teams] == ["Acme"]
