"""The log-in lockout's hooks for django-axes (settings: "Security" in config/settings.py)."""

import math

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

USERNAME_COLUMN = AccessAttempt._meta.get_field("username").max_length


def lockout_username(request: HttpRequest, credentials: dict | None) -> str:
    """The email as the log-in form normalises it, so changing its case counts as one user."""
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    # Cut to axes' username column; a name that long matches no account (150 at most).
    return username.strip().lower()[:USERNAME_COLUMN]


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The log-in page's answer during a lockout: what happened, when to try again, a reset."""
    username = lockout_username(request, credentials)
    last_failure = AccessAttempt.objects.filter(
        username=username, ip_address=request.axes_ip_address
    ).aggregate(last=Max("attempt_time"))["last"]
    until = (last_failure or timezone.now()) + settings.AXES_COOLOFF_TIME
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)
