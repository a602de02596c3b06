"""Team settings for admins: add or remove repositories and re-run syncs (the wizard's pieces);
the Jira and Slack cards (Slack's own page is `slack_settings`)."""

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tformance.core.queue import sends_watched
from tformance.integrations.clients import IntegrationProblem
from tformance.integrations.selectors import jira_integration_get
from tformance.integrations.services import jira_integration_connect
from tformance.jira.selectors import jira_projects_status
from tformance.jira.services import jira_projects_sync_enqueue
from tformance.onboarding import repositories as picker
from tformance.onboarding.forms import HistoryExtendForm, JiraForm
from tformance.onboarding.selectors import admin_team_get, team_summary
from tformance.onboarding.services import repositories_choose, team_repositories_resync
from tformance.onboarding.views.feedback import say_queued
from tformance.onboarding.views.jira import jira_projects_pick
from tformance.onboarding.views.repos import repository_list_fragment
from tformance.onboarding.views.sync import status_payload
from tformance.slack.selectors import slack_overview
from tformance.sync.selectors import imported_history, team_sync_states
from tformance.sync.services import team_history_extend
from tformance.teams.views.members import members_context


@login_required
def team_settings(request, slug):
    team = admin_team_get(user=request.user, slug=slug)
    error = None
    if request.method == "POST":
        chosen = picker.chosen(request.session, team=team, ids=request.POST.getlist("repositories"))
        if chosen is None:
            error = "The list of repositories expired; choose again."
        elif not chosen:
            error = "Keep at least one repository; a team needs something to measure."
        else:
            with sends_watched() as sent:
                repositories_choose(team=team, repositories=chosen)
            say_queued(request, sent, f"Now tracking {len(chosen)} repositories.")
            return redirect("onboarding:settings", team.slug)
    states = team_sync_states(team=team)
    context = {
        "team": team,
        "states": states,
        "summary": team_summary(team=team, states=states),
        "history": imported_history(team=team),
        "history_form": HistoryExtendForm(),
        "stall_seconds": django_settings.SYNC_STALL_SECONDS,
        "status_url": reverse("onboarding:settings_status", args=[team.slug]),
        "list_url": reverse("onboarding:settings_repos_list", args=[team.slug]),
        "error": error,
        "jira_integration": jira_integration_get(team=team),
        "jira_projects": jira_projects_status(team=team),
        "slack": slack_overview(team=team),
    } | members_context(team=team, user=request.user)
    return render(request, "onboarding/settings.html", context, status=400 if error else 200)


@login_required
def settings_repos_list(request, slug):
    team = admin_team_get(user=request.user, slug=slug)
    retry_url = reverse("onboarding:settings_repos_list", args=[team.slug])
    return repository_list_fragment(request, team, retry_url=retry_url)


@login_required
def settings_status(request, slug):
    team = admin_team_get(user=request.user, slug=slug)
    return JsonResponse(status_payload(team))


@login_required
def team_jira_projects(request, slug):
    """Connect Jira again (a new token) and choose its projects."""
    team = admin_team_get(user=request.user, slug=slug)
    connecting = request.method == "POST" and request.POST.get("action") == "connect"
    form = JiraForm(request.POST if connecting else None)
    if connecting and form.is_valid():
        try:
            jira_integration_connect(team=team, user=request.user, **form.cleaned_data)
            messages.success(request, "Jira is connected; choose its projects below.")
            return redirect("onboarding:settings_jira_projects", team.slug)
        except IntegrationProblem as exc:
            form.add_error(None, str(exc))
    integration = jira_integration_get(team=team)
    pick = None
    if integration is not None:
        with sends_watched() as sent:
            chosen = request.POST.getlist("projects") if request.method == "POST" else None
            pick = jira_projects_pick(team=team, chosen=None if connecting else chosen)
        if pick.saved:
            say_queued(request, sent, "The chosen Jira projects are tracked; their sync is queued.")
            return redirect(reverse("onboarding:settings", args=[team.slug]) + "#jira")
    context = {"team": team, "pick": pick, "form": form, "existing": integration}
    status = 400 if connecting else (pick.status if pick else 200)
    return render(request, "onboarding/settings_jira.html", context, status=status)


@login_required
@require_POST
def team_jira_sync(request, slug):
    team = admin_team_get(user=request.user, slug=slug)
    with sends_watched() as sent:
        count = jira_projects_sync_enqueue(team_id=team.pk)
    say_queued(request, sent, f"A sync of {count} Jira projects was queued.")
    return redirect(reverse("onboarding:settings", args=[team.slug]) + "#jira")


@login_required
@require_POST
def team_resync(request, slug):
    team = admin_team_get(user=request.user, slug=slug)
    with sends_watched() as sent:
        count = team_repositories_resync(team=team)
    say_queued(request, sent, f"A sync of the members and {count} repositories was queued.")
    return redirect("onboarding:settings", team.slug)


@login_required
@require_POST
def team_history(request, slug):
    team = admin_team_get(user=request.user, slug=slug)
    form = HistoryExtendForm(request.POST)
    back = redirect(reverse("onboarding:settings", args=[team.slug]) + "#history")
    if not form.is_valid():
        messages.error(request, "Choose how far back the history should reach.")
        return back
    with sends_watched() as sent:
        extended = team_history_extend(team=team, days=form.days())
    if not extended:
        messages.info(request, "Every repository already holds that much history.")
    else:
        days = form.days()
        window = (
            "the whole history"
            if days is None
            else (f"{dict(form.fields['window'].choices)[form.cleaned_data['window']]} of history")
        )
        noun = "repository" if len(extended) == 1 else "repositories"
        say_queued(
            request,
            sent,
            f"Importing {window} for {len(extended)} {noun}: only the pull requests not "
            "stored yet are fetched. Progress shows below.",
        )
    return back
