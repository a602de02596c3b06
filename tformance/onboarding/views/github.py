"""Step 1: connect GitHub with OAuth (state-checked) or a personal access token."""

import logging
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tformance.github.errors import GitHubError, OAuthError
from tformance.github.oauth import oauth_authorize_url, oauth_exchange_code
from tformance.github.services import REQUIRED_SCOPES, TokenProblem
from tformance.onboarding.forms import PersonalTokenForm
from tformance.onboarding.selectors import onboarding_team_get, pending_connection_get
from tformance.onboarding.services import oauth_token_connect, personal_token_connect
from tformance.onboarding.views.guards import redirect_page, wizard_context
from tformance.teams.selectors import invitation_entries_for_user, team_list_for_user

logger = logging.getLogger(__name__)
STATE_KEY = "onboarding:oauth_state"


def _has_team(user) -> bool:
    return onboarding_team_get(user=user) is not None or team_list_for_user(user=user).exists()


def _redirect_uri() -> str:
    return f"{settings.SITE_URL}{reverse('onboarding:github_callback')}"


def _start_page(request, form, status=200):
    context = wizard_context(
        "start",
        form=form,
        oauth_enabled=bool(settings.GITHUB_OAUTH_CLIENT_ID),
        pending=pending_connection_get(user=request.user),
        scopes=REQUIRED_SCOPES,
        invitations=invitation_entries_for_user(user=request.user),
    )
    return render(request, "onboarding/start.html", context, status=status)


@login_required
def start(request):
    if _has_team(request.user):
        return redirect("onboarding:resume")
    return _start_page(request, PersonalTokenForm())


@login_required
def github_oauth_begin(request):
    if _has_team(request.user):
        return redirect("onboarding:resume")
    if not settings.GITHUB_OAUTH_CLIENT_ID:
        messages.error(request, "Connecting with GitHub OAuth is not set up here; use a token.")
        return redirect("onboarding:start")
    state = secrets.token_urlsafe(32)
    request.session[STATE_KEY] = state
    url = oauth_authorize_url(
        state=state, redirect_uri=_redirect_uri(), scopes=list(REQUIRED_SCOPES)
    )
    return redirect(url)


def _state_ok(request, state: str | None) -> bool:
    expected = request.session.get(STATE_KEY)
    return bool(expected and state and secrets.compare_digest(expected, state))


@login_required
def github_oauth_callback(request):
    """GitHub sent the user back: check `state`, then finish in an htmx request."""
    if request.GET.get("error"):
        messages.error(request, "GitHub did not connect: the request was declined.")
        return redirect("onboarding:start")
    state, code = request.GET.get("state"), request.GET.get("code")
    if not _state_ok(request, state) or not code:
        logger.warning("[onboarding] OAuth callback with a bad state for %s", request.user)
        context = wizard_context("start", reason="state")
        return render(request, "onboarding/github_rejected.html", context, status=400)
    context = wizard_context("start", code=code, state=state)
    return render(request, "onboarding/github_callback.html", context)


@login_required
@require_POST
def github_oauth_exchange(request):
    """Exchange the code for a token (a GitHub call, made from the callback page's htmx)."""
    if not _state_ok(request, request.POST.get("state")):
        context = {"reason": "The sign-in with GitHub expired or was not started here."}
        # htmx swaps only 2xx answers; the panel is the answer either way.
        status = 200 if request.htmx else 400
        return render(request, "onboarding/_oauth_failed.html", context, status=status)
    request.session.pop(STATE_KEY, None)  # a state is good for one exchange
    try:
        token = oauth_exchange_code(code=request.POST.get("code", ""), redirect_uri=_redirect_uri())
    except OAuthError as exc:
        return render(request, "onboarding/_oauth_failed.html", {"reason": exc.description})
    except GitHubError as exc:
        return render(request, "onboarding/_oauth_failed.html", {"reason": exc.message})
    try:
        oauth_token_connect(user=request.user, token=token.access_token, scopes=token.scopes)
    except TokenProblem as exc:
        return render(request, "onboarding/_oauth_failed.html", {"reason": str(exc)})
    except GitHubError as exc:
        return render(request, "onboarding/_oauth_failed.html", {"reason": exc.message})
    return redirect_page(request, "onboarding:org")


@login_required
@require_POST
def github_token(request):
    """Validate a personal access token against the organisation before holding it."""
    if _has_team(request.user):
        return redirect_page(request, "onboarding:resume")
    form = PersonalTokenForm(request.POST)
    if form.is_valid():
        try:
            personal_token_connect(
                user=request.user,
                token=form.cleaned_data["token"],
                org_login=form.cleaned_data["organization"],
            )
            return redirect_page(request, "onboarding:org")
        except TokenProblem as exc:
            form.add_error("token", str(exc))
        except GitHubError as exc:
            form.add_error(None, f"GitHub did not answer properly ({exc.message}). Try again.")
    if request.htmx:
        return render(request, "onboarding/_token_form.html", {"form": form})
    return _start_page(request, form, status=400)
