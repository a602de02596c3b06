"""Step 2: choose the organisation; that creates the team and queues the member sync."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from tformance.github.errors import GitHubError
from tformance.github.services import TokenProblem
from tformance.onboarding.selectors import pending_connection_get
from tformance.onboarding.services import onboarding_team_create, pending_organizations
from tformance.onboarding.views.github import _has_team
from tformance.onboarding.views.guards import go, wizard_context


def _guard(request):
    """The pending connection, or a redirect for users who cannot be on this step."""
    if _has_team(request.user):
        return None, redirect("onboarding:resume")
    pending = pending_connection_get(user=request.user)
    if pending is None:
        return None, redirect("onboarding:start")
    return pending, None


@login_required
def org(request):
    pending, elsewhere = _guard(request)
    if elsewhere:
        return go(request, "onboarding:resume") if request.htmx else elsewhere
    if request.method != "POST":
        return render(request, "onboarding/org.html", wizard_context("org", pending=pending))
    org_login = request.POST.get("org", "").strip()
    error = None
    if not org_login:
        error = "Choose an organisation."
    else:
        try:
            onboarding_team_create(pending=pending, org_login=org_login)
            return go(request, "onboarding:repos")
        except TokenProblem as exc:
            error = str(exc)
        except GitHubError as exc:
            error = f"GitHub did not answer properly: {exc.message}"
    context = wizard_context("org", pending=pending, error=error, retry_org=org_login)
    if request.htmx:
        return render(request, "onboarding/_org_error.html", context)
    return render(request, "onboarding/org.html", context, status=400)


@login_required
def org_list(request):
    """htmx: the organisations the token can see (a GitHub call), or an error panel."""
    pending, elsewhere = _guard(request)
    if elsewhere:
        return go(request, "onboarding:resume")
    try:
        organizations = pending_organizations(pending=pending)
    except GitHubError as exc:
        return render(
            request,
            "onboarding/_github_error.html",
            {"reason": exc.message, "retry_url": request.path, "target": "#org-list"},
        )
    return render(request, "onboarding/_org_list.html", {"organizations": organizations})
