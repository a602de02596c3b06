"""Roles and membership: admins change roles and remove people; a team keeps an admin."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from tests.helpers.factories import MembershipFactory
from tests.helpers.web import HTMX
from tformance.teams.errors import TeamProblem
from tformance.teams.models import Membership
from tformance.teams.services.members import membership_role_set

pytestmark = pytest.mark.django_db


def _role(client, team, user, role, **extra):
    membership = Membership.objects.get(team=team, user=user)
    return client.post(
        reverse("teams:member_role", args=[team.slug, membership.pk]), {"role": role}, **extra
    )


def _remove(client, team, user, **extra):
    membership = Membership.objects.get(team=team, user=user)
    return client.post(reverse("teams:member_remove", args=[team.slug, membership.pk]), **extra)


def test_the_members_section_lists_people_with_their_roles(client, team, owner, member):
    client.force_login(owner)

    body = client.get(reverse("onboarding:settings", args=[team.slug])).content.decode()

    assert 'data-member="owner@example.com"' in body and 'data-member="member@example.com"' in body
    assert "The only admin" in body  # no demote or leave button on the only admin
    assert "Make member@example.com an admin" in body and "Remove member@example.com" in body


def test_an_admin_makes_a_member_admin_and_back(client, team, owner, member):
    client.force_login(owner)

    promoted = _role(client, team, member, "admin", **HTMX)
    assert "member@example.com is now admin." in promoted.content.decode()
    assert Membership.objects.get(user=member).role == "admin"

    demoted = _role(client, team, member, "member", **HTMX)
    assert "member@example.com is now member." in demoted.content.decode()
    assert Membership.objects.get(user=member).role == "member"


def test_the_only_admin_cannot_be_demoted(client, team, owner, member):
    client.force_login(owner)

    response = _role(client, team, owner, "member", **HTMX)

    body = response.content.decode()
    assert "owner@example.com is the only admin of Acme" in body
    assert "make someone else an admin first" in body
    assert Membership.objects.get(user=owner).role == "admin"


def test_the_only_admin_cannot_be_removed_or_leave(client, team, owner, member):
    client.force_login(owner)

    removed = _remove(client, team, owner, **HTMX)
    page = client.get(reverse("teams:leave", args=[team.slug]))
    left = client.post(reverse("teams:leave", args=[team.slug]))

    assert "the only admin of Acme, so they cannot leave the team" in removed.content.decode()
    assert "You are the only admin of Acme" in page.content.decode()
    assert left.status_code == 409
    assert Membership.objects.filter(user=owner, team=team, role="admin").exists()


def test_an_admin_removes_a_member_who_then_gets_a_404(client, team, owner, member):
    client.force_login(owner)

    response = _remove(client, team, member, **HTMX)

    assert "member@example.com was removed from Acme." in response.content.decode()
    assert not Membership.objects.filter(user=member).exists()
    client.force_login(member)
    assert client.get(reverse("dashboard:team", args=[team.slug])).status_code == 404


def test_a_member_leaves_from_the_leave_page(client, team, owner, member):
    client.force_login(member)

    page = client.get(reverse("teams:leave", args=[team.slug])).content.decode()
    response = client.post(reverse("teams:leave", args=[team.slug]))

    assert "ask an admin to invite you again" in page and "owner@example.com" in page
    assert response["Location"] == reverse("onboarding:resume")
    assert not Membership.objects.filter(user=member).exists()


def test_an_admin_who_makes_themself_a_member_is_sent_to_the_dashboard(client, team, owner, member):
    Membership.objects.filter(user=member).update(role="admin")
    client.force_login(owner)

    response = _role(client, team, owner, "member", **HTMX)

    assert response["HX-Redirect"] == reverse("dashboard:team", args=[team.slug])
    assert client.get(reverse("onboarding:settings", args=[team.slug])).status_code == 403


def test_a_plain_member_cannot_change_roles_or_remove_anyone(client, team, owner, member):
    client.force_login(member)

    assert _role(client, team, member, "admin").status_code == 403
    assert _remove(client, team, owner).status_code == 403
    assert Membership.objects.get(user=member).role == "member"


def test_an_unknown_role_is_refused(client, team, owner, member):
    client.force_login(owner)

    response = _role(client, team, member, "owner", **HTMX)

    assert "is not a role; choose admin or member" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin(team):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    a = MembershipFactory(team=team, role="admin")
    b = MembershipFactory(team=team, role="admin")
    barrier = threading.Barrier(2)
    outcomes = []

    def demote(membership):
        from django.db import connections

        try:
            barrier.wait()
            membership_role_set(membership=membership, role="member")
            outcomes.append("demoted")
        except TeamProblem:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=demote, args=(m,)) for m in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["demoted", "refused"]
    assert Membership.objects.filter(team=team, role="admin").count() == 1
