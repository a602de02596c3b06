"""Tenant isolation of invitations and join requests: a link or a pk of team A never
reaches team B, and another team's rows are a 404."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.urls import reverse

from tests.helpers.factories import GitHubIntegrationFactory, MembershipFactory, UserFactory
from tests.helpers.teams import PASSWORD
from tests.helpers.web import HTMX
from tformance.teams.models import Invitation, JoinRequest, Membership
from tformance.teams.selectors import Refusal, invitation_link_read
from tformance.teams.services.join_requests import join_request_create
from tformance.teams.tokens import SALT, invitation_token_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def globex_admin(other_team):
    return MembershipFactory(
        team=other_team, user__username="globex.admin@example.com", role=Membership.Role.ADMIN
    ).user


def test_an_invitation_link_for_team_a_grants_team_a_only(client, team, other_team, invite):
    link = invite("both@example.com")
    invite("both@example.com", to_team=other_team)  # the same address, invited to B as well

    client.post(link, {"password": PASSWORD, "team": other_team.slug, "slug": other_team.slug})

    user = Membership.objects.get(user__username="both@example.com").user
    assert list(user.teams.all()) == [team]
    assert Invitation.objects.get(team=other_team).accepted_at is None
    assert client.get(reverse("dashboard:team", args=[other_team.slug])).status_code == 404


def test_a_link_with_the_id_of_team_bs_invitation_but_not_our_signature_is_refused(
    client, team, other_team, invite
):
    link = invite()
    invite("b.person@example.com", to_team=other_team)
    theirs = Invitation.objects.get(team=other_team)
    token = link.split("/")[2]
    payload, signature = token.split(":", 1)
    forged = signing.b64_encode(f"[{theirs.pk},1]".encode()).decode() + ":" + signature

    response = client.get(f"/invitations/{forged}/")

    assert response.status_code == 404
    assert client.post(f"/invitations/{forged}/", {"password": PASSWORD}).status_code == 404
    assert not Membership.objects.filter(user__username="b.person@example.com").exists()


def test_a_token_signed_for_something_else_is_not_an_invitation(team, invite, lonely_user):
    invite()
    invitation = Invitation.objects.get()
    other_salt = signing.dumps([invitation.pk, invitation.sends], salt="another.purpose")
    reset_token = default_token_generator.make_token(lonely_user)

    assert invitation_link_read(token=other_salt).refusal == Refusal.INVALID
    assert invitation_link_read(token=reset_token).refusal == Refusal.INVALID
    good = invitation_token_make(invitation_id=invitation.pk, sends=invitation.sends)
    assert invitation_link_read(token=good).refusal is None
    assert good.count(":") == 2 and signing.loads(good, salt=SALT) == [invitation.pk, 1]


def test_an_admin_of_team_b_cannot_resend_or_revoke_team_as_invitations(
    client, team, other_team, invite, globex_admin
):
    invite()
    ours = Invitation.objects.get()
    client.force_login(globex_admin)

    for name in ("teams:invitation_resend", "teams:invitation_revoke"):
        assert (
            client.post(reverse(name, args=[other_team.slug, ours.pk]), **HTMX).status_code == 404
        )
        assert client.post(reverse(name, args=[team.slug, ours.pk]), **HTMX).status_code == 404
    ours.refresh_from_db()
    assert ours.is_open and ours.sends == 1


def test_an_admin_of_team_b_cannot_change_or_remove_team_as_members(
    client, team, other_team, member, globex_admin
):
    ours = Membership.objects.get(user=member)
    client.force_login(globex_admin)

    role = reverse("teams:member_role", args=[other_team.slug, ours.pk])
    remove = reverse("teams:member_remove", args=[other_team.slug, ours.pk])

    assert client.post(role, {"role": "admin"}).status_code == 404
    assert client.post(remove).status_code == 404
    assert Membership.objects.get(pk=ours.pk).role == "member"


def test_an_admin_of_team_b_cannot_answer_a_request_to_join_team_a(
    client, team, other_team, owner, globex_admin
):
    asker = UserFactory(username="asker@example.com")
    join_request, _ = join_request_create(team=team, user=asker)
    client.force_login(globex_admin)

    for name in ("teams:join_request_accept", "teams:join_request_decline"):
        assert (
            client.post(reverse(name, args=[other_team.slug, join_request.pk])).status_code == 404
        )
        assert client.post(reverse(name, args=[team.slug, join_request.pk])).status_code == 404
    join_request.refresh_from_db()
    assert join_request.status == "pending"
    assert not Membership.objects.filter(user=asker).exists()


def test_the_settings_page_lists_only_the_teams_own_invitations_and_requests(
    client, team, other_team, owner, invite
):
    invite("ours@example.com")
    invite("theirs@example.com", to_team=other_team)
    join_request_create(team=other_team, user=UserFactory(username="wants.globex@example.com"))
    client.force_login(owner)

    body = client.get(reverse("onboarding:settings", args=[team.slug])).content.decode()

    assert "ours@example.com" in body
    assert "theirs@example.com" not in body and "wants.globex@example.com" not in body


def test_asking_to_join_takes_the_team_from_the_org_step_never_from_the_request(
    client, team, other_team, lonely_user
):
    from tests.helpers.factories import PendingGitHubConnectionFactory

    PendingGitHubConnectionFactory(user=lonely_user)
    GitHubIntegrationFactory(team=team)
    client.force_login(lonely_user)

    response = client.post(reverse("onboarding:org_join"), {"team": team.pk, "slug": team.slug})

    assert response["Location"] == reverse("onboarding:org")
    assert not JoinRequest.objects.exists()


def test_a_member_of_team_a_gets_a_404_for_team_bs_leave_page(client, member, other_team):
    client.force_login(member)

    assert client.get(reverse("teams:leave", args=[other_team.slug])).status_code == 404
    assert client.post(reverse("teams:leave", args=[other_team.slug])).status_code == 404


def test_withdrawing_someone_elses_join_request_is_a_404(client, team, lonely_user):
    theirs, _ = join_request_create(team=team, user=UserFactory(username="asker@example.com"))
    client.force_login(lonely_user)

    response = client.post(reverse("onboarding:org_join_withdraw", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "pending"
