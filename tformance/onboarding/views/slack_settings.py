"""Slack in the team settings, for admins: connect a webhook again, send a test message,
the weekly digest's schedule and its preview, and the working agreements with what each
rule would have sent over the last four weeks.

Each view translates the request and calls one service or selector (`tformance.slack`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tformance.integrations.clients import IntegrationProblem
from tformance.integrations.services import slack_integration_connect
from tformance.onboarding.forms import RuleCountForm, SlackDigestForm, SlackForm, SlackRulesForm
from tformance.onboarding.selectors import admin_team_get
from tformance.slack.digest import digest_now
from tformance.slack.models import AlertRule
from tformance.slack.render import blocks_html
from tformance.slack.selectors import alert_rule_counts, alerts_preview, slack_overview
from tformance.slack.services import (
    Posted,
    slack_alert_rules_set,
    slack_digest_schedule_set,
    slack_test_message_send,
)


def _back(team, anchor: str = ""):
    return redirect(reverse("onboarding:settings_slack", args=[team.slug]) + anchor)


def _count_url(team) -> str:
    return reverse("onboarding:settings_slack_rule_count", args=[team.slug])


def _page(request, team, *, connect_form=None, digest_form=None, rules_form=None, status=200):
    overview = slack_overview(team=team)
    team_settings = overview.team_settings
    if digest_form is None:
        digest_form = SlackDigestForm(
            initial={
                "digest_enabled": team_settings.digest_enabled,
                "digest_weekday": team_settings.digest_weekday,
                "digest_hour": team_settings.digest_hour,
                "time_zone": team.time_zone or "UTC",
            }
        )
    if rules_form is None:
        fields = SlackRulesForm.base_fields
        rules_form = SlackRulesForm(
            initial={name: getattr(team_settings, name) for name in fields},
            count_url=_count_url(team),
        )
    context = {
        "team": team,
        "slack": overview,
        "connect_form": connect_form or SlackForm(),
        "digest_form": digest_form,
        "rules_form": rules_form,
        "counts": alert_rule_counts(team=team, team_settings=team_settings),
        "rules": AlertRule,
    }
    return render(request, "onboarding/settings_slack.html", context, status=status)


@login_required
@require_GET
def team_slack(request, slug):
    team = admin_team_get(user=request.user, slug=slug)
    return _page(request, team)


@login_required
@require_POST
def team_slack_connect(request, slug):
    """Connect a (new) webhook: the wizard's checks and test post; a broken one is mended."""
    team = admin_team_get(user=request.user, slug=slug)
    form = SlackForm(request.POST)
    if not form.is_valid():
        return _page(request, team, connect_form=form, status=400)
    try:
        slack_integration_connect(team=team, user=request.user, **form.cleaned_data)
    except IntegrationProblem as exc:
        form.add_error(None, str(exc))
        return _page(request, team, connect_form=form, status=400)
    messages.success(request, "Slack is connected: a test message was posted to its channel.")
    return _back(team)


@login_required
@require_POST
def team_slack_test(request, slug):
    team = admin_team_get(user=request.user, slug=slug)
    sent = slack_test_message_send(team=team, user=request.user)
    if sent.posted == Posted.SENT:
        messages.success(request, "The test message was posted: look in your Slack channel.")
    elif sent.posted == Posted.GONE:
        messages.error(
            request,
            f"Slack says the webhook is gone: {sent.problem} Nothing more is posted through "
            "it; connect a new webhook below.",
        )
    elif sent.posted == Posted.FAILED:
        messages.error(request, f"The test message did not go out: {sent.problem} Nothing changed.")
    else:
        messages.error(request, "Slack has no working webhook; connect one below.")
    return _back(team)


@login_required
@require_POST
def team_slack_digest(request, slug):
    team = admin_team_get(user=request.user, slug=slug)
    form = SlackDigestForm(request.POST)
    if not form.is_valid():
        return _page(request, team, digest_form=form, status=400)
    data = form.cleaned_data
    slack_digest_schedule_set(
        team=team,
        enabled=data["digest_enabled"],
        weekday=data["digest_weekday"],
        hour=data["digest_hour"],
        time_zone=data["time_zone"],
    )
    messages.success(request, "The digest's schedule is saved.")
    return _back(team, "#digest")


@login_required
@require_GET
def team_slack_digest_preview(request, slug):
    """What the digest would say if it went out now (nothing is posted)."""
    team = admin_team_get(user=request.user, slug=slug)
    digest = digest_now(team=team, now=timezone.now())
    context = {"team": team, "digest": digest, "preview": blocks_html(digest.message.blocks)}
    template = "_slack_digest_preview" if request.htmx else "settings_slack_preview"
    return render(request, f"onboarding/{template}.html", context)


@login_required
@require_POST
def team_slack_rules(request, slug):
    team = admin_team_get(user=request.user, slug=slug)
    form = SlackRulesForm(request.POST, count_url=_count_url(team))
    if not form.is_valid():
        return _page(request, team, rules_form=form, status=400)
    slack_alert_rules_set(team=team, **form.cleaned_data)
    messages.success(request, "The working agreements are saved.")
    return _back(team, "#rules")


@login_required
@require_GET
def team_slack_rule_count(request, slug):
    """htmx, as a threshold is typed: how many alerts the rule would have sent."""
    team = admin_team_get(user=request.user, slug=slug)
    form = RuleCountForm(request.GET)
    context = {"error": "", "count": None}
    if not form.is_valid():
        context["error"] = form.threshold_error()
    else:
        rule = AlertRule(form.cleaned_data["rule"])
        threshold = form.cleaned_data[SlackRulesForm.THRESHOLDS[rule]]
        context["count"] = alerts_preview(team=team, rule=rule, threshold=threshold)
    # htmx swaps only a 2xx answer in; a bare request is told plainly that it was wrong.
    status = 400 if context["error"] and not request.htmx else 200
    return render(request, "onboarding/_slack_rule_count.html", context, status=status)
