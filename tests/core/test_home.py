"""The home page says what Tformance does and where to go next."""

import re

import pytest
from django.urls import reverse

from tests.helpers.factories import MembershipFactory
from tformance.teams.models import Membership

pytestmark = pytest.mark.django_db


def home(client) -> str:
    """The page's own content (the header's links are the navigation's, not the page's)."""
    page = client.get("/").content.decode()
    return re.search(r"<main.*</main>", page, re.S).group()


def test_a_visitor_is_asked_to_sign_up_or_log_in(client):
    page = home(client)

    assert f'<a class="button button-large" href="{reverse("accounts:signup")}"' in page
    assert f'href="{reverse("accounts:login")}"' in page


def test_a_user_without_a_team_is_asked_to_set_one_up(client, lonely_user):
    client.force_login(lonely_user)

    page = home(client)

    assert f'href="{reverse("onboarding:resume")}">Set up your team</a>' in page


def test_a_user_with_a_team_is_sent_to_the_dashboard(client, member):
    client.force_login(member)

    page = home(client)

    assert f'href="{reverse("onboarding:resume")}">Open your dashboard</a>' in page


def test_an_admin_who_has_not_finished_is_asked_to_finish(client, lonely_user):
    MembershipFactory(user=lonely_user, team__name="Initech", role=Membership.Role.ADMIN)
    client.force_login(lonely_user)

    page = home(client)

    assert f'href="{reverse("onboarding:resume")}">Finish setting up Initech</a>' in page
