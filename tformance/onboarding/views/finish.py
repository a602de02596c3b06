"""Steps 5-7: optional Jira and Slack, the summary; and `resume` for returning users."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from tformance.integrations.clients import IntegrationProblem
from tformance.integrations.selectors import jira_integration_get, slack_integration_get
from tformance.integrations.services import jira_integration_connect, slack_integration_connect
from tformance.onboarding.forms import JiraForm, SlackForm
from tformance.onboarding.models import OnboardingProgress
from tformance.onboarding.selectors import resume_url, team_summary
from tformance.onboarding.services import onboarding_complete, progress_advance
from tformance.onboarding.views.guards import redirect_page, wizard_context, wizard_step
from tformance.onboarding.views.jira import jira_projects_pick

Step = OnboardingProgress.Step


@login_required
def resume(request):
    return redirect(resume_url(user=request.user))


def _integration_step(
    request, team, *, step, next_step, form_class, connect, existing, connected_to=None
):
    """A step's form; once connected, on to `connected_to` (a URL name) or the next step."""
    step, next_step = str(step), str(next_step)
    form = form_class(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "skip":
            progress_advance(team=team, to=next_step)
            return redirect_page(request, f"onboarding:{next_step}")
        if form.is_valid():
            try:
                connect(team=team, user=request.user, **form.cleaned_data)
                if connected_to:
                    return redirect_page(request, connected_to)
                progress_advance(team=team, to=next_step)
                return redirect_page(request, f"onboarding:{next_step}")
            except IntegrationProblem as exc:
                form.add_error(None, str(exc))
    context = wizard_context(step, team=team, form=form, existing=existing, next_step=next_step)
    if request.htmx:
        return render(request, f"onboarding/_{step}_form.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, f"onboarding/{step}.html", context, status=status)


@wizard_step(Step.JIRA)
def jira(request, team):
    return _integration_step(
        request,
        team,
        step=Step.JIRA,
        next_step=Step.SLACK,
        form_class=JiraForm,
        connect=jira_integration_connect,
        existing=jira_integration_get(team=team),
        connected_to="onboarding:jira_projects",
    )


@wizard_step(Step.JIRA)
def jira_projects(request, team):
    """After connecting: which Jira projects to track (read from Jira each time)."""
    if jira_integration_get(team=team) is None:
        return redirect("onboarding:jira")
    if request.method == "POST" and request.POST.get("action") == "later":
        progress_advance(team=team, to=str(Step.SLACK))
        return redirect_page(request, "onboarding:slack")
    chosen = request.POST.getlist("projects") if request.method == "POST" else None
    pick = jira_projects_pick(team=team, chosen=chosen)
    if pick.saved:
        progress_advance(team=team, to=str(Step.SLACK))
        return redirect_page(request, "onboarding:slack")
    context = wizard_context(str(Step.JIRA), team=team, pick=pick, later=True)
    return render(request, "onboarding/jira_projects.html", context, status=pick.status)


@wizard_step(Step.SLACK)
def slack(request, team):
    return _integration_step(
        request,
        team,
        step=Step.SLACK,
        next_step=Step.COMPLETE,
        form_class=SlackForm,
        connect=slack_integration_connect,
        existing=slack_integration_get(team=team),
    )


@wizard_step(Step.COMPLETE)
def complete(request, team):
    if request.method == "POST":
        onboarding_complete(team=team)
        return redirect("dashboard:team", team.slug)
    context = wizard_context(
        "complete",
        team=team,
        summary=team_summary(team=team),
        jira=jira_integration_get(team=team),
        slack=slack_integration_get(team=team),
    )
    return render(request, "onboarding/complete.html", context)
