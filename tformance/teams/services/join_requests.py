"""Join requests: a user whose GitHub organisation already has a team asks its admins to join.

The request is recorded whatever happens to the emails about it: the admins see it on the
team's settings page and the requester on the organisation step, so an email that could
not be sent is logged and said, never a lost request.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tformance.core.mail import email_send
from tformance.onboarding.models import PendingGitHubConnection
from tformance.teams.errors import TeamProblem
from tformance.teams.models import JoinRequest, Membership, Team
from tformance.teams.selectors import team_admins
from tformance.teams.services.members import membership_add

logger = logging.getLogger(__name__)
Status = JoinRequest.Status


def join_request_create(
    *, team: Team, user: AbstractBaseUser, github_login: str = ""
) -> tuple[JoinRequest, bool]:
    """Ask to join (once: a pending request is returned as it is); email the team's admins.

    Returns the request and whether every admin was emailed.
    """
    if Membership.objects.filter(team=team, user=user).exists():
        raise TeamProblem(f"You are already in {team.name}.")
    pending = JoinRequest.objects.filter(team=team, user=user, status=Status.PENDING).first()
    if pending is not None:
        return pending, True
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                team=team, user=user, github_login=github_login
            )
    except IntegrityError:  # the same request, a double click apart
        return JoinRequest.objects.get(team=team, user=user, status=Status.PENDING), True
    logger.info("[teams] %s asked to join %s", user, team.slug)
    settings_url = settings.SITE_URL + reverse("onboarding:settings", args=[team.slug])
    sent = [
        _email(
            to=admin.get_username(),
            template="join_request",
            context={"join_request": join_request, "team": team, "settings_url": settings_url},
        )
        for admin in team_admins(team=team)
    ]
    return join_request, all(sent)


def join_request_accept(
    *, join_request: JoinRequest, by: AbstractBaseUser
) -> tuple[Membership, bool]:
    """Make the requester a member, drop their now unneeded GitHub token, and tell them.

    Returns the membership and whether the requester was emailed.
    """
    with transaction.atomic():
        join_request = _decide(join_request, status=Status.ACCEPTED, by=by)
        membership = membership_add(
            team=join_request.team, user=join_request.user, role=Membership.Role.MEMBER
        )
        # The team has its own connection; the requester's token served only to prove access.
        PendingGitHubConnection.objects.filter(user=join_request.user).delete()
    url = settings.SITE_URL + reverse("dashboard:team", args=[join_request.team.slug])
    sent = _email(
        to=join_request.user.get_username(),
        template="join_request_accepted",
        context={"join_request": join_request, "team": join_request.team, "url": url, "by": by},
    )
    return membership, sent


def join_request_decline(*, join_request: JoinRequest, by: AbstractBaseUser) -> bool:
    """Decline the request; returns whether the requester was emailed."""
    with transaction.atomic():
        join_request = _decide(join_request, status=Status.DECLINED, by=by)
    return _email(
        to=join_request.user.get_username(),
        template="join_request_declined",
        context={
            "join_request": join_request,
            "team": join_request.team,
            "by": by,
            "admins": team_admins(team=join_request.team),
        },
    )


def join_request_withdraw(*, join_request: JoinRequest) -> None:
    JoinRequest.objects.filter(pk=join_request.pk, status=Status.PENDING).update(
        status=Status.WITHDRAWN, decided_at=timezone.now()
    )


def join_requests_close(*, team: Team, user: AbstractBaseUser) -> None:
    """The user joined another way (an invitation): their pending request is granted."""
    JoinRequest.objects.filter(team=team, user=user, status=Status.PENDING).update(
        status=Status.ACCEPTED, decided_at=timezone.now()
    )


def _decide(join_request: JoinRequest, *, status: str, by: AbstractBaseUser) -> JoinRequest:
    row = (
        JoinRequest.objects.select_for_update(of=("self",))
        .select_related("team", "user")
        .filter(pk=join_request.pk)
        .first()
    )
    if row is None or row.status != Status.PENDING:
        raise TeamProblem("That request was already answered or withdrawn.")
    row.status, row.decided_at, row.decided_by = status, timezone.now(), by
    row.save(update_fields=["status", "decided_at", "decided_by"])
    return row


def _email(*, to: str, template: str, context: dict) -> bool:
    try:
        email_send(to=to, template=f"teams/email/{template}", context=context)
    except (smtplib.SMTPException, OSError):
        logger.exception("[teams] the %s email to %s could not be sent", template, to)
        return False
    return True
