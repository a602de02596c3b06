"""Step 4: watch the syncs (polling a JSON endpoint); Retry, Skip, or continue meanwhile."""

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tformance.core.queue import sends_watched
from tformance.onboarding.models import OnboardingProgress
from tformance.onboarding.selectors import admin_team_get, team_summary
from tformance.onboarding.services import (
    progress_advance,
    repository_skip,
    repository_sync_retry,
)
from tformance.onboarding.views.feedback import say_queued
from tformance.onboarding.views.guards import wizard_context, wizard_step
from tformance.pulls.selectors import repository_get
from tformance.sync.selectors import team_sync_states

Step = OnboardingProgress.Step


def status_payload(team) -> dict:
    states = team_sync_states(team=team)
    summary = team_summary(team=team, states=states)
    return {
        "repositories": [s.as_dict() for s in states],
        "pull_requests": summary.pull_requests,
        "members": summary.members,
        "all_done": summary.all_done,
        "done_text": summary.done_text,
    }


@wizard_step(Step.SYNC)
def sync(request, team):
    if request.method == "POST":
        progress_advance(team=team, to=Step.JIRA)
        return redirect("onboarding:jira")
    states = team_sync_states(team=team)
    summary = team_summary(team=team, states=states)
    context = wizard_context(
        "sync",
        team=team,
        states=states,
        summary=summary,
        all_done=summary.all_done,
        done_text=summary.done_text,
        stall_seconds=django_settings.SYNC_STALL_SECONDS,
        status_url=reverse("onboarding:sync_status"),
    )
    return render(request, "onboarding/sync.html", context)


@wizard_step(Step.SYNC)
def sync_status(request, team):
    return JsonResponse(status_payload(team))


def _back(request, team):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("onboarding:settings", team.slug)


@login_required
@require_POST
def repository_retry(request, slug, pk):
    team = admin_team_get(user=request.user, slug=slug)
    repository = repository_get(team=team, pk=pk)
    with sends_watched() as sent:
        repository_sync_retry(repository=repository)
    say_queued(request, sent, f"The sync of {repository.full_name} was queued again.")
    return _back(request, team)


@login_required
@require_POST
def repository_skip_view(request, slug, pk):
    team = admin_team_get(user=request.user, slug=slug)
    repository = repository_get(team=team, pk=pk)
    repository_skip(repository=repository)
    messages.info(
        request,
        f"{repository.full_name} is no longer tracked; you can add it back from Settings.",
    )
    return _back(request, team)
