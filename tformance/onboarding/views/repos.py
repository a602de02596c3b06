"""Step 3: choose repositories and the history window; the list arrives through htmx."""

from django.shortcuts import render
from django.urls import reverse

from tformance.core.queue import sends_watched
from tformance.github.errors import GitHubError
from tformance.onboarding import repositories as picker
from tformance.onboarding.forms import DaysBackForm
from tformance.onboarding.models import OnboardingProgress
from tformance.onboarding.services import progress_advance, repositories_choose
from tformance.onboarding.views.feedback import say_queued
from tformance.onboarding.views.guards import redirect_page, wizard_context, wizard_step
from tformance.pulls.selectors import repository_list
from tformance.sync.errors import NotConnected

Step = OnboardingProgress.Step


def repository_list_fragment(request, team, *, retry_url: str):
    """htmx: the organisation's repositories as checkboxes, or an error panel with Retry."""
    try:
        repositories = picker.org_repositories_fetch(team=team)
    except (GitHubError, NotConnected) as exc:
        reason = exc.message if isinstance(exc, GitHubError) else str(exc)
        context = {"reason": reason, "retry_url": retry_url, "target": "#repo-list"}
        return render(request, "onboarding/_github_error.html", context)
    picker.remember(request.session, team=team, repositories=repositories)
    tracked = set(repository_list(team=team, active_only=True).values_list("github_id", flat=True))
    return render(
        request,
        "onboarding/_repo_list.html",
        {"repositories": repositories, "tracked": tracked},
    )


def _page(request, team, *, form, error=None, status=200):
    list_url = reverse("onboarding:repos_list")
    context = wizard_context("repos", team=team, form=form, error=error, list_url=list_url)
    return render(request, "onboarding/repos.html", context, status=status)


@wizard_step(Step.REPOS)
def repos(request, team):
    if request.method != "POST":
        return _page(request, team, form=DaysBackForm(initial={"days_back": team.days_back}))
    form = DaysBackForm(request.POST)
    chosen = picker.chosen(request.session, team=team, ids=request.POST.getlist("repositories"))
    if not form.is_valid():
        return _page(request, team, form=form, status=400)
    if chosen is None:
        error = "The list of repositories expired. It has been fetched again; choose again."
        return _page(request, team, form=form, error=error, status=400)
    if not chosen:
        return _page(request, team, form=form, error="Choose at least one repository.", status=400)
    with sends_watched() as sent:
        repositories_choose(
            team=team, repositories=chosen, days_back=form.cleaned_data["days_back"]
        )
    progress_advance(team=team, to=Step.SYNC)
    noun = "repository" if len(chosen) == 1 else "repositories"
    say_queued(
        request,
        sent,
        f"Tracking {len(chosen)} {noun}; their history is imported in the background.",
    )
    return redirect_page(request, "onboarding:sync")


@wizard_step(Step.REPOS)
def repos_list(request, team):
    return repository_list_fragment(request, team, retry_url=reverse("onboarding:repos_list"))
