from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from tformance.core.health import broker_check, database_check


def home(request):
    return render(request, "core/home.html")


@never_cache
def healthz(request):
    """200 when the database and the broker answer; 503 naming what does not."""
    problems = {
        name: error
        for name, error in (("database", database_check()), ("broker", broker_check()))
        if error
    }
    body = {"status": "ok" if not problems else "unhealthy", "problems": problems}
    return JsonResponse(body, status=503 if problems else 200)
