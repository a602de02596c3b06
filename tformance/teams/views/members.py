"""The Members section of the team's settings page: invite, resend, revoke, change roles,
remove, answer join requests; and Leave for everyone.

Every action takes the team from `admin_team_get` (404 for strangers, 403 for plain
members) and the row from the team's own rows, so a pk of another team's row is a 404.
htmx requests get the section back with a notice; plain posts a redirect and a message.
"""

import smtplib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from tformance.onboarding.selectors import admin_team_get
from tformance.teams.errors import TeamProblem
from tformance.teams.models import Membership
from tformance.teams.selectors import (
    invitation_get_in_team,
    invitation_list_open,
    join_request_get_pending,
    join_request_list_pending,
    membership_get,
    membership_get_in_team,
    membership_list,
    team_admins,
    team_get_for_user,
)
from tformance.teams.services.invitations import (
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from tformance.teams.services.join_requests import join_request_accept, join_request_decline
from tformance.teams.services.members import (
    membership_leave,
    membership_remove,
    membership_role_set,
)

EMAIL_DOWN = "The email could not be sent just now, so nothing changed; try again in a minute."


def members_context(*, team, user) -> dict:
    """What `teams/_members.html` shows (also used by the settings page that includes it)."""
    memberships = list(membership_list(team=team))
    return {
        "team": team,
        "memberships": memberships,
        "admin_count": sum(m.is_admin for m in memberships),
        "invitations": invitation_list_open(team=team),
        "join_requests": join_request_list_pending(team=team),
        "me": user,
        "roles": Membership.Role.choices,
        "default_role": Membership.Role.MEMBER,
        "expiry_days": settings.INVITATION_EXPIRY_DAYS,
    }


def _answer(request, team, *, notice: str = "", error: str = "", email: str = ""):
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif notice:
            messages.success(request, notice)
        return redirect(f"{reverse('onboarding:settings', args=[team.slug])}#members")
    context = members_context(team=team, user=request.user) | {
        "members_notice": notice,
        "members_error": error,
        "invite_email": email,
    }
    return render(request, "teams/_members.html", context)


def _left_admin(request, team, notice: str):
    """The user is no longer the team's admin: the settings page is not theirs any more."""
    messages.success(request, notice)
    still_in = membership_get(user=request.user, team=team) is not None
    url = reverse("dashboard:team", args=[team.slug]) if still_in else reverse("onboarding:resume")
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def members_action(view):
    """A POST of the Members section: the admin's team, and any refusal said in the section."""

    @login_required
    @require_POST
    @wraps(view)
    def wrapper(request, slug, **kwargs):
        team = admin_team_get(user=request.user, slug=slug)
        email = request.POST.get("email", "")  # kept in the invitation form to correct it
        try:
            return view(request, team, **kwargs)
        except TeamProblem as exc:
            return _answer(request, team, error=str(exc), email=email)
        except (smtplib.SMTPException, OSError):
            return _answer(request, team, error=EMAIL_DOWN, email=email)

    return wrapper


@members_action
def invite(request, team):
    role = request.POST.get("role", Membership.Role.MEMBER)
    sent = invitation_create(
        team=team, email=request.POST.get("email", ""), role=role, invited_by=request.user
    )
    address, days = sent.invitation.email, settings.INVITATION_EXPIRY_DAYS
    if sent.resent:
        notice = f"{address} was already invited: a new link was sent, and the earlier one no longer works."
    else:
        notice = f"Invitation sent to {address}. The link works for {days} days."
    return _answer(request, team, notice=notice)


@members_action
def invitation_resend_view(request, team, pk):
    invitation = invitation_resend(invitation=invitation_get_in_team(team=team, pk=pk))
    days = settings.INVITATION_EXPIRY_DAYS
    notice = f"A new link was sent to {invitation.email}; it works for {days} days."
    return _answer(request, team, notice=notice)


@members_action
def invitation_revoke_view(request, team, pk):
    invitation = invitation_get_in_team(team=team, pk=pk)
    invitation_revoke(invitation=invitation)
    notice = f"The invitation of {invitation.email} was withdrawn; its link no longer works."
    return _answer(request, team, notice=notice)


@members_action
def membership_role(request, team, pk):
    membership = membership_get_in_team(team=team, pk=pk)
    membership = membership_role_set(membership=membership, role=request.POST.get("role", ""))
    notice = f"{membership.user.get_username()} is now {membership.get_role_display().lower()}."
    if membership.user_id == request.user.pk and not membership.is_admin:
        return _left_admin(request, team, notice)
    return _answer(request, team, notice=notice)


@members_action
def membership_remove_view(request, team, pk):
    membership = membership_get_in_team(team=team, pk=pk)
    membership_remove(membership=membership)
    if membership.user_id == request.user.pk:
        return _left_admin(request, team, f"You left {team.name}.")
    notice = f"{membership.user.get_username()} was removed from {team.name}."
    return _answer(request, team, notice=notice)


@members_action
def join_request_answer(request, team, pk, answer):
    join_request = join_request_get_pending(team=team, pk=pk)
    who = join_request.user.get_username()
    if answer == "accept":
        _, told = join_request_accept(join_request=join_request, by=request.user)
        notice = f"{who} joined {team.name} as member."
    else:
        told = join_request_decline(join_request=join_request, by=request.user)
        notice = f"You declined the request of {who}."
    if not told:
        notice += f" We could not email {who} just now; they see the answer when they log in."
    return _answer(request, team, notice=notice)


@login_required
def leave(request, slug):
    """Leave the team (any member); the only admin is told what to do first."""
    team = team_get_for_user(user=request.user, slug=slug)
    membership = membership_get(user=request.user, team=team)
    error = ""
    if request.method == "POST":
        try:
            membership_leave(team=team, user=request.user)
        except TeamProblem as exc:
            error = str(exc)
        else:
            messages.success(request, f"You left {team.name}.")
            return redirect("onboarding:resume")
    other_admins = [a for a in team_admins(team=team) if a.pk != request.user.pk]
    context = {
        "team": team,
        "membership": membership,
        "admins": other_admins,
        "only_admin": membership.is_admin and not other_admins,
        "error": error,
    }
    return render(request, "teams/leave.html", context, status=409 if error else 200)
