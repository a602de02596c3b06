from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from tformance.core.health import health_failures
from tformance.onboarding.selectors import onboarding_team_get


def home(request):
    """What Tformance does, and the one next step: sign up, or continue where the user is
    (`onboarding:resume` knows where that is)."""
    next_step = None
    if request.user.is_authenticated:
        unfinished = onboarding_team_get(user=request.user)
        if unfinished is not None:
            next_step = f"Finish setting up {unfinished.name}"
        elif request.user.memberships.exists():
            next_step = "Open your dashboard"
        else:
            next_step = "Set up your team"
    return render(request, "core/home.html", {"next_step": next_step})


@never_cache
def healthz(request):
    """200 when the database and the broker answer; 503 naming the checks that fail."""
    failed = health_failures()
    body = {"status": "unhealthy" if failed else "ok", "failed": failed}
    return JsonResponse(body, status=503 if failed else 200)
