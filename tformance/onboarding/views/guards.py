"""Early-return guards shared by the wizard's step views."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from tformance.onboarding.selectors import onboarding_progress_get, onboarding_team_get

STEPS = [
    ("start", "Connect GitHub"),
    ("org", "Organisation"),
    ("repos", "Repositories"),
    ("sync", "Sync"),
    ("jira", "Jira"),
    ("slack", "Slack"),
    ("complete", "Done"),
]


def wizard_step(step: str):
    """For steps after the team exists: the user's unfinished team, reached up to `step`.

    Users without such a team, or who try to skip ahead, are sent to where they belong.
    The view is called as `view(request, team, ...)`.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            team = onboarding_team_get(user=request.user)
            if team is None:
                return redirect("onboarding:resume")
            progress = onboarding_progress_get(team=team)
            if not progress.reached(step):
                return redirect(f"onboarding:{progress.furthest_step}")
            request.wizard_progress = progress
            return view(request, team, *args, **kwargs)

        return wrapper

    return decorator


def wizard_context(step: str, **extra) -> dict:
    """The step indicator: each step with whether it is done, current or ahead."""
    names = [name for name, _ in STEPS]
    here = names.index(step)
    steps = [
        {"name": name, "label": label, "state": _state(i, here)}
        for i, (name, label) in enumerate(STEPS)
    ]
    return {"steps": steps, "step": step, "step_number": here + 1, "step_total": len(STEPS)} | extra


def _state(index: int, here: int) -> str:
    return "done" if index < here else "current" if index == here else "ahead"


def redirect_page(request, url_name: str, *args):
    """Redirect; htmx requests get HX-Redirect so the whole page changes."""
    url = reverse(url_name, args=args)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)
