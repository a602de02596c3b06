"""The invitation link: see who invites you to what, then sign up, log in, or join.

GET never accepts (mail scanners open links); a POST does: the logged-in invitee's joins,
an anonymous one's creates the account and joins. Every refusal names its reason.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import reverse

from tformance.accounts.forms import SignupForm
from tformance.teams.errors import TeamProblem
from tformance.teams.selectors import Refusal, invitation_link_read, user_for_email
from tformance.teams.services.invitations import (
    InvitationRefused,
    invitation_accept,
    invitation_signup,
)

STATUS = {Refusal.INVALID: 404, Refusal.OTHER_USER: 403}  # the others: 410 Gone


def invitation(request, token):
    user = request.user if request.user.is_authenticated else None
    link = invitation_link_read(token=token, user=user)
    invitation = link.invitation
    if link.refusal == Refusal.USED and user is not None and invitation.accepted_by_id == user.pk:
        return redirect("dashboard:team", invitation.team.slug)
    if link.refusal is not None:
        return _refused(request, link)
    form = None
    if request.method == "POST":
        if user is not None:
            return _accept(request, token, user)
        form = SignupForm({"email": invitation.email, "password": request.POST.get("password", "")})
        if form.is_valid():
            try:
                user = invitation_signup(token=token, password=form.cleaned_data["password"])
            except TeamProblem as exc:
                form.add_error(None, str(exc))
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return _joined(request, invitation.team, invitation.role)
    account = user_for_email(email=invitation.email)
    context = {
        "invitation": invitation,
        "form": form or SignupForm(initial={"email": invitation.email}),
        "has_account": account is not None and account.is_active,
        "login_url": f"{reverse('accounts:login')}?next={request.path}",
    }
    return render(request, "teams/invitation.html", context, status=400 if form else 200)


def _accept(request, token, user):
    try:
        membership = invitation_accept(token=token, user=user)
    except InvitationRefused:  # used, withdrawn or replaced since the page was shown
        return _refused(request, invitation_link_read(token=token, user=user))
    return _joined(request, membership.team, membership.role)


def _joined(request, team, role):
    messages.success(request, f"You joined {team.name} as {role}.")
    return redirect("dashboard:team", team.slug)


def _refused(request, link):
    context = {"link": link, "invitation": link.invitation, "message": link.message}
    status = STATUS.get(link.refusal, 410)
    return render(request, "teams/invitation_refused.html", context, status=status)
