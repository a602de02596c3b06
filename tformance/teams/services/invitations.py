"""Invitations: an admin invites an email address; its owner signs up or logs in and joins.

The email is sent inside the transaction that records the send, so an invitation that could
not be emailed is not recorded (the admin is told to try again) and a link never points at
an unsaved send.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from tformance.accounts.services import signup_confirm, user_create
from tformance.core.mail import email_send
from tformance.teams.errors import TeamProblem
from tformance.teams.models import Invitation, Membership, Team
from tformance.teams.selectors import invitation_link_read, invitation_url, user_for_email
from tformance.teams.services.join_requests import join_requests_close
from tformance.teams.services.members import membership_add

logger = logging.getLogger(__name__)


class InvitationRefused(TeamProblem):
    """The link cannot be used (used, revoked, replaced, expired, or another account)."""


@dataclass(frozen=True)
class InvitationSent:
    invitation: Invitation
    resent: bool  # the address had an open invitation: it was sent again


def invitation_create(
    *, team: Team, email: str, role: str, invited_by: AbstractBaseUser
) -> InvitationSent:
    """Invite `email` to the team as `role`; an address already invited gets a fresh link."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise TeamProblem(f"{email or 'That'} is not an email address.") from exc
    if len(email) > Invitation._meta.get_field("email").max_length:
        raise TeamProblem("An email address here can have at most 150 characters.")
    if role not in Membership.Role.values:
        raise TeamProblem(f"{role!r} is not a role; choose admin or member.")
    member = Membership.objects.filter(team=team, user__username__iexact=email).first()
    if member is not None:
        raise TeamProblem(f"{email} is already in {team.name}, as {member.get_role_display()}.")
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(team=team, email=email, accepted_at__isnull=True, revoked_at__isnull=True)
            .first()
        )
        if invitation is not None:
            invitation.role, invitation.invited_by = role, invited_by
            _send(invitation, again=True)
            return InvitationSent(invitation=invitation, resent=True)
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    team=team, email=email, role=role, invited_by=invited_by, sent_at=timezone.now()
                )
        except IntegrityError as exc:  # another admin invited the address this very moment
            raise TeamProblem(f"{email} was invited a moment ago; see the list below.") from exc
        _send(invitation, again=False)
    logger.info("[teams] %s invited to %s as %s", email, team.slug, role)
    return InvitationSent(invitation=invitation, resent=False)


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> Invitation:
    """A fresh link, good for INVITATION_EXPIRY_DAYS again; the links sent before stop working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise TeamProblem(f"The invitation of {invitation.email} was already used or withdrawn.")
    _send(invitation, again=True)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    updated = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not updated:
        raise TeamProblem(f"The invitation of {invitation.email} was already used or withdrawn.")


@transaction.atomic
def invitation_accept(*, token: str, user: AbstractBaseUser) -> Membership:
    """Add the invited user to the invitation's team (never another) and spend the link."""
    link = invitation_link_read(token=token, user=user, for_update=True)
    if link.refusal is not None:
        raise InvitationRefused(link.message)
    invitation = link.invitation
    membership = membership_add(team=invitation.team, user=user, role=invitation.role)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    join_requests_close(team=invitation.team, user=user)
    logger.info("[teams] %s accepted the invitation to %s", user, invitation.team.slug)
    return membership


@transaction.atomic
def invitation_signup(*, token: str, password: str) -> AbstractBaseUser:
    """Create the invited address's account (or activate an unconfirmed one) and join.

    The link reached the address, which proves it as the sign-up confirmation would, so the
    account is active at once. An address that has an active account logs in instead.
    """
    link = invitation_link_read(token=token, for_update=True)
    if link.refusal is not None:
        raise InvitationRefused(link.message)
    email = link.invitation.email
    user = user_for_email(email=email)
    if user is not None and user.is_active:
        raise TeamProblem(f"{email} already has an account: log in to accept the invitation.")
    if user is None:
        user = user_create(email=email, password=password)
    else:  # signed up but never confirmed: this password replaces the unconfirmed one
        user.set_password(password)
        user.save(update_fields=["password"])
        signup_confirm(user=user)
    invitation_accept(token=token, user=user)
    return user


def _send(invitation: Invitation, *, again: bool) -> None:
    """Record a send and email the link (inside the caller's transaction)."""
    if again:
        invitation.sends += 1
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sends", "sent_at", "role", "invited_by"])
    inviter = invitation.invited_by
    email_send(
        to=invitation.email,
        template="teams/email/invitation",
        context={
            "team": invitation.team,
            "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else None,
            "role": invitation.get_role_display(),
            "url": invitation_url(invitation=invitation),
            "expires_at": invitation.expires_at,
            "days": settings.INVITATION_EXPIRY_DAYS,
        },
    )
