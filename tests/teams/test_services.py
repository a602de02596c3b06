import pytest

from tformance.teams.models import Membership
from tformance.teams.services import team_create

pytestmark = pytest.mark.django_db


def test_creating_a_team_makes_its_creator_an_admin(lonely_user):
    team = team_create(name="Acme Corp", owner=lonely_user)

    membership = Membership.objects.get(team=team)
    assert (membership.user, membership.role) == (lonely_user, Membership.Role.ADMIN)
    assert team.slug == "acme-corp"
    assert team.days_back == 90


def test_a_taken_slug_gets_a_numeric_suffix(lonely_user):
    team_create(name="Acme", owner=lonely_user)

    assert team_create(name="Acme", owner=lonely_user).slug == "acme-2"
