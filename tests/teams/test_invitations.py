"""Invitations: an admin invites an address; its owner signs up or logs in and joins."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.helpers.factories import MembershipFactory, UserFactory
from tests.helpers.teams import PASSWORD, emailed_link
from tests.helpers.web import HTMX
from tformance.teams.models import Invitation, Membership

pytestmark = pytest.mark.django_db


def _invite(client, team, email="new.lead@example.com", role="member", **extra):
    return client.post(
        reverse("teams:invite", args=[team.slug]), {"email": email, "role": role}, **extra
    )


def test_an_admin_invites_by_email_and_the_email_states_the_link_and_its_expiry(
    client, team, owner
):
    client.force_login(owner)

    response = _invite(client, team, email=" New.Lead@Example.com ", role="admin", **HTMX)

    assert response.status_code == 200
    assert "Invitation sent to new.lead@example.com. The link works for 7 days." in (
        response.content.decode()
    )
    invitation = Invitation.objects.get()
    assert (invitation.team, invitation.email, invitation.role) == (
        team,
        "new.lead@example.com",
        "admin",
    )
    (message,) = mail.outbox
    assert message.to == ["new.lead@example.com"]
    assert message.subject == "owner@example.com invited you to join Acme on Tformance"
    assert "as admin" in message.body
    assert (
        "for 7 days: until " in message.body
        and invitation.expires_at.strftime("%Y") in message.body
    )
    assert emailed_link(message).startswith("/invitations/")


def test_the_settings_page_lists_pending_invitations_with_their_expiry(client, team, owner, invite):
    invite("pending@example.com")
    client.force_login(owner)

    body = client.get(reverse("onboarding:settings", args=[team.slug])).content.decode()

    assert 'data-invitation="pending@example.com"' in body
    expires = timezone.now() + dt.timedelta(days=7)
    assert f"Expires on {expires.day} {expires:%b %Y}" in body
    assert "Resend" in body and "Revoke" in body


def test_opening_the_link_shows_the_invitation_and_does_not_accept_it(client, team, invite):
    link = invite()

    response = client.get(link)

    body = response.content.decode()
    assert response.status_code == 200
    assert "owner@example.com</strong> invited" in body and "Join Acme" in body
    assert "new.lead@example.com only, until" in body
    assert "Create the account and join" in body
    assert not Membership.objects.filter(user__username="new.lead@example.com").exists()


def test_a_newcomer_signs_up_from_the_link_and_joins_without_a_confirmation_email(
    client, team, invite
):
    link = invite()
    mail.outbox.clear()

    response = client.post(link, {"password": PASSWORD})

    assert response["Location"] == reverse("dashboard:team", args=[team.slug])
    user = get_user_model().objects.get(username="new.lead@example.com")
    assert user.is_active and user.check_password(PASSWORD)
    assert Membership.objects.get(user=user).team == team
    assert Membership.objects.get(user=user).role == "member"
    assert mail.outbox == []  # the invitation proved the address already
    assert client.get(reverse("dashboard:team", args=[team.slug])).status_code == 200


def test_signing_up_from_the_link_activates_an_unconfirmed_account_with_the_new_password(
    client, team, invite
):
    UserFactory(username="new.lead@example.com", is_active=False, password="someone-elses-guess")
    link = invite()

    client.post(link, {"password": PASSWORD})

    user = get_user_model().objects.get(username="new.lead@example.com")
    assert user.is_active and user.check_password(PASSWORD)
    assert Membership.objects.filter(user=user, team=team).exists()


def test_a_weak_password_on_the_invitation_page_is_refused_with_the_reason(client, team, invite):
    link = invite()

    response = client.post(link, {"password": "12345678"})

    assert response.status_code == 400
    assert "too common" in response.content.decode()
    assert not get_user_model().objects.filter(username="new.lead@example.com").exists()


def test_an_invitee_with_an_account_logs_in_and_then_joins(client, team, invite, lonely_user):
    link = invite(lonely_user.username)

    page = client.get(link).content.decode()
    assert "has a Tformance account: log in with it to join" in page
    login = client.post(
        f"{reverse('accounts:login')}?next={link}",
        {
            "username": lonely_user.username,
            "password": "correct horse battery staple",
            "next": link,
        },
    )
    assert login["Location"] == link
    assert "Join Acme" in client.get(link).content.decode()

    response = client.post(link)

    assert response["Location"] == reverse("dashboard:team", args=[team.slug])
    assert Membership.objects.get(user=lonely_user).team == team


def test_an_address_with_an_active_account_cannot_sign_up_again_from_the_link(
    client, team, invite, lonely_user
):
    link = invite(lonely_user.username)

    response = client.post(link, {"password": PASSWORD})

    assert response.status_code == 400
    assert "already has an account: log in to accept" in response.content.decode()
    assert lonely_user.check_password("correct horse battery staple")
    assert not Membership.objects.filter(user=lonely_user).exists()


def test_a_used_link_is_refused_with_a_clear_message(client, team, invite, lonely_user):
    link = invite(lonely_user.username)
    client.force_login(lonely_user)
    client.post(link)
    client.logout()

    response = client.get(link)

    assert response.status_code == 410
    assert "This invitation to Acme was already used" in response.content.decode()
    assert client.post(link, {"password": PASSWORD}).status_code == 410


def test_the_invitee_opening_their_used_link_again_goes_to_the_team(
    client, team, invite, lonely_user
):
    link = invite(lonely_user.username)
    client.force_login(lonely_user)
    client.post(link)

    response = client.get(link)

    assert response["Location"] == reverse("dashboard:team", args=[team.slug])


def test_an_expired_link_is_refused_with_its_date_and_who_to_ask(client, team, invite, settings):
    link = invite()
    sent = timezone.now() - dt.timedelta(days=8)
    Invitation.objects.update(sent_at=sent)

    response = client.get(link)

    body = response.content.decode()
    assert response.status_code == 410
    expired = sent + dt.timedelta(days=7)
    assert f"This invitation to Acme expired on {expired.day} {expired:%b %Y}" in body
    assert "Ask owner@example.com to send it again" in body
    assert client.post(link, {"password": PASSWORD}).status_code == 410
    assert not get_user_model().objects.filter(username="new.lead@example.com").exists()


def test_the_expiry_follows_the_setting(client, team, invite, settings):
    settings.INVITATION_EXPIRY_DAYS = 2
    link = invite()
    Invitation.objects.update(sent_at=timezone.now() - dt.timedelta(days=2, seconds=1))

    assert client.get(link).status_code == 410


def test_resending_gives_a_fresh_link_and_voids_the_earlier_one(client, team, owner, invite):
    first = invite()
    Invitation.objects.update(sent_at=timezone.now() - dt.timedelta(days=8))
    client.force_login(owner)
    invitation = Invitation.objects.get()

    response = client.post(
        reverse("teams:invitation_resend", args=[team.slug, invitation.pk]), **HTMX
    )

    assert "A new link was sent to new.lead@example.com; it works for 7 days." in (
        response.content.decode()
    )
    second = emailed_link(mail.outbox[-1])
    client.logout()
    assert "A newer invitation to Acme was sent" in client.get(first).content.decode()
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_a_revoked_invitation_is_refused(client, team, owner, invite):
    link = invite()
    client.force_login(owner)
    invitation = Invitation.objects.get()

    response = client.post(
        reverse("teams:invitation_revoke", args=[team.slug, invitation.pk]), **HTMX
    )

    assert "was withdrawn; its link no longer works" in response.content.decode()
    client.logout()
    refused = client.get(link)
    assert refused.status_code == 410
    assert "This invitation to Acme was withdrawn" in refused.content.decode()
    assert 'data-invitation="new.lead@example.com"' not in response.content.decode()


def test_a_tampered_link_is_not_valid(client, team, invite):
    link = invite()

    response = client.get(link.replace("/invitations/", "/invitations/x"))

    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


def test_another_logged_in_user_is_told_the_invitation_is_for_someone_else(
    client, team, invite, outsider
):
    link = invite()
    client.force_login(outsider)

    page = client.get(link)
    accepted = client.post(link)

    assert page.status_code == accepted.status_code == 403
    body = page.content.decode()
    assert "This invitation is for new.lead@example.com" in body
    assert "logged in as <strong>outsider@example.com</strong>" in body
    assert "Log out and open the invitation again" in body
    assert not Membership.objects.filter(user=outsider, team=team).exists()


def test_logging_out_from_that_page_comes_back_to_the_invitation(client, team, invite, outsider):
    link = invite()
    client.force_login(outsider)

    response = client.post(reverse("accounts:logout"), {"next": link})

    assert response["Location"] == link
    assert "Create the account and join" in client.get(link).content.decode()


def test_inviting_someone_already_in_the_team_says_so(client, team, owner, member):
    client.force_login(owner)

    response = _invite(client, team, email="Member@Example.com", **HTMX)

    assert "member@example.com is already in Acme, as Member." in response.content.decode()
    assert not Invitation.objects.exists() and mail.outbox == []


def test_inviting_an_invited_address_again_sends_a_fresh_link(client, team, owner, invite):
    invite()
    client.force_login(owner)

    response = _invite(client, team, role="admin", **HTMX)

    assert "was already invited: a new link was sent" in response.content.decode()
    invitation = Invitation.objects.get()
    assert (invitation.sends, invitation.role) == (2, "admin")


def test_a_bad_address_or_role_is_refused_with_the_reason(client, team, owner):
    client.force_login(owner)

    bad_email = _invite(client, team, email="not-an-address", **HTMX).content.decode()
    bad_role = _invite(client, team, role="owner", **HTMX).content.decode()

    assert "not-an-address is not an email address." in bad_email
    assert 'value="not-an-address"' in bad_email  # kept in the field to correct it
    assert "&#x27;owner&#x27; is not a role" in bad_role
    assert not Invitation.objects.exists()


def test_an_invitation_the_email_could_not_carry_is_not_recorded(client, team, owner, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    client.force_login(owner)

    response = _invite(client, team, **HTMX)

    assert "The email could not be sent just now, so nothing changed" in response.content.decode()
    assert not Invitation.objects.exists()


def test_without_htmx_an_invitation_redirects_to_the_members_section_with_a_message(
    client, team, owner
):
    client.force_login(owner)

    response = _invite(client, team)

    assert response["Location"] == reverse("onboarding:settings", args=[team.slug]) + "#members"
    assert (
        "Invitation sent to new.lead@example.com"
        in client.get(response["Location"]).content.decode()
    )


def test_a_plain_member_cannot_invite_and_a_stranger_gets_a_404(client, team, member, outsider):
    client.force_login(member)
    assert _invite(client, team).status_code == 403
    client.force_login(outsider)
    assert _invite(client, team).status_code == 404
    assert not Invitation.objects.exists()


def test_a_confirmed_user_with_a_pending_invitation_is_shown_it_on_the_first_step(
    client, team, invite, lonely_user
):
    invite(lonely_user.username)
    client.force_login(lonely_user)

    body = client.get(reverse("onboarding:start")).content.decode()

    assert "owner@example.com invited you to join <strong>Acme</strong>" in body
    assert "/invitations/" in body


def test_accepting_an_invitation_as_admin_gives_the_settings(client, team, invite, lonely_user):
    link = invite(lonely_user.username, role="admin")
    client.force_login(lonely_user)

    client.post(link)

    assert Membership.objects.get(user=lonely_user).role == "admin"
    assert client.get(reverse("onboarding:settings", args=[team.slug])).status_code == 200


def test_a_member_who_joined_meanwhile_keeps_their_role_when_accepting(client, team, invite):
    user = UserFactory(username="new.lead@example.com")
    link = invite(role="admin")
    MembershipFactory(team=team, user=user, role="member")
    client.force_login(user)

    client.post(link)

    assert Membership.objects.get(user=user).role == "member"
    assert Invitation.objects.get().accepted_by == user
