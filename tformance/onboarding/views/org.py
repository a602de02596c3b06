"""Step 2: choose the organisation; that creates the team and queues the member sync.

An organisation that has a team already is not set up twice: the user is shown its admins
and may ask to join it (the join request's team is the one this step found, kept in the
session, never one named by the request).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tformance.github.errors import GitHubError
from tformance.github.services import TokenProblem
from tformance.onboarding.selectors import pending_connection_get
from tformance.onboarding.services import (
    OrganizationHasTeam,
    onboarding_team_create,
    pending_organizations,
)
from tformance.onboarding.views.github import _has_team
from tformance.onboarding.views.guards import redirect_page, wizard_context
from tformance.teams.errors import TeamProblem
from tformance.teams.selectors import (
    join_request_get_pending_for_user,
    join_request_list_for_user,
    team_admins,
    team_find,
)
from tformance.teams.services.join_requests import join_request_create, join_request_withdraw

JOIN_KEY = "onboarding:join_team"


def _guard(request):
    """The pending connection, or a redirect for users who cannot be on this step."""
    if _has_team(request.user):
        return None, redirect("onboarding:resume")
    pending = pending_connection_get(user=request.user)
    if pending is None:
        return None, redirect("onboarding:start")
    return pending, None


def _context(request, pending, **extra) -> dict:
    return wizard_context(
        "org",
        pending=pending,
        join_requests=join_request_list_for_user(user=request.user),
        **extra,
    )


@login_required
def org(request):
    pending, elsewhere = _guard(request)
    if elsewhere:
        return redirect_page(request, "onboarding:resume") if request.htmx else elsewhere
    if request.method != "POST":
        return render(request, "onboarding/org.html", _context(request, pending))
    org_login = request.POST.get("org", "").strip()
    error, taken, status = None, None, 400
    if not org_login:
        error = "Choose an organisation."
    else:
        try:
            onboarding_team_create(pending=pending, org_login=org_login)
            return redirect_page(request, "onboarding:repos")
        except OrganizationHasTeam as exc:
            # The token reached the organisation: that is what entitles the user to ask.
            request.session[JOIN_KEY] = {"team": exc.team.pk, "github_login": exc.github_login}
            taken, status = exc.team, 409
        except TokenProblem as exc:
            error = str(exc)
        except GitHubError as exc:
            error = f"GitHub did not answer properly: {exc.message}"
    context = _context(request, pending, error=error, retry_org=org_login, org_login=org_login)
    if taken is not None:
        asked = any(r.team_id == taken.pk and r.is_pending for r in context["join_requests"])
        context |= {"taken": taken, "admins": team_admins(team=taken), "already_asked": asked}
    if request.htmx:
        partial = "_org_taken.html" if taken is not None else "_org_error.html"
        return render(request, f"onboarding/{partial}", context)
    return render(request, "onboarding/org.html", context, status=status)


@login_required
@require_POST
def org_join(request):
    """Ask to join the team this step found for the user's organisation."""
    pending, elsewhere = _guard(request)
    if elsewhere:
        return redirect_page(request, "onboarding:resume")
    held = request.session.get(JOIN_KEY) or {}
    team = team_find(pk=held.get("team"))
    if team is None:
        messages.error(request, "Choose the organisation again, then ask to join its team.")
        return redirect_page(request, "onboarding:org")
    try:
        _, admins_told = join_request_create(
            team=team, user=request.user, github_login=held.get("github_login", "")
        )
    except TeamProblem as exc:
        messages.info(request, str(exc))
        return redirect_page(request, "onboarding:resume")
    if admins_told:
        messages.success(request, f"Your request to join {team.name} was sent to its admins.")
    else:
        messages.warning(
            request,
            f"Your request to join {team.name} is recorded, but we could not email its admins "
            "just now: they see it on the team's settings page.",
        )
    return redirect_page(request, "onboarding:org")


@login_required
@require_POST
def org_join_withdraw(request, pk):
    join_request = join_request_get_pending_for_user(user=request.user, pk=pk)
    join_request_withdraw(join_request=join_request)
    messages.success(request, f"You withdrew your request to join {join_request.team.name}.")
    return redirect("onboarding:org")


@login_required
def org_list(request):
    """htmx: the organisations the token can see (a GitHub call), or an error panel."""
    pending, elsewhere = _guard(request)
    if elsewhere:
        return redirect_page(request, "onboarding:resume")
    try:
        organizations = pending_organizations(pending=pending)
    except GitHubError as exc:
        return render(
            request,
            "onboarding/_github_error.html",
            {"reason": exc.message, "retry_url": request.path, "target": "#org-list"},
        )
    return render(request, "onboarding/_org_list.html", {"organizations": organizations})
