from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from tformance.core.health import health_failures


def home(request):
    return render(request, "core/home.html")


@never_cache
def healthz(request):
    """200 when the database and the broker answer; 503 naming the checks that fail."""
    failed = health_failures()
    body = {"status": "unhealthy" if failed else "ok", "failed": failed}
    return JsonResponse(body, status=503 if failed else 200)
