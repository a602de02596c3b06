"""Reads for Slack notifications: the working-agreement rules over the team's PRs.

`alert_pull_requests` is the one definition of each rule: the PRs whose alert moment falls
in a window. The alerts after a sync read it over the last `ALERT_LOOKBACK` (so turning the
rules on does not post about months of history), the preview over the last four weeks.
"""

import dataclasses
import datetime as dt

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from tformance.core.secrets import token_fingerprint
from tformance.integrations.models import SlackIntegration
from tformance.metrics.expressions import merged_unreviewed, waiting_for_review
from tformance.metrics.filters import MetricFilters, pull_requests_scoped
from tformance.pulls.durations import DurationSeconds, review_requested_at
from tformance.pulls.models import PullRequest
from tformance.slack.models import AlertRule, AlertSent, SlackNotificationSettings
from tformance.slack.schedule import digest_first_pending, digest_next_send_at
from tformance.sync.selectors import team_history_imported
from tformance.teams.models import Team

ALERT_LOOKBACK = dt.timedelta(days=7)
PREVIEW_PERIOD = dt.timedelta(weeks=4)


@dataclasses.dataclass(frozen=True)
class Alert:
    rule: str  # AlertRule
    pull_request: PullRequest
    threshold: int | None  # hours or lines, as the rule was set


def notification_settings_get(*, team: Team) -> SlackNotificationSettings:
    """The team's settings, or the defaults (unsaved) when it never chose."""
    found = SlackNotificationSettings.objects.filter(team=team).first()
    return found or SlackNotificationSettings(team=team)


def rule_threshold(*, team_settings: SlackNotificationSettings, rule: str) -> int | None:
    return {
        AlertRule.WAITING_FOR_REVIEW: team_settings.waiting_hours,
        AlertRule.XL_OPENED: team_settings.xl_lines,
        AlertRule.MERGED_UNREVIEWED: None,
    }[AlertRule(rule)]


def _scoped(team: Team) -> QuerySet[PullRequest]:
    # The dashboard's scope: the team's PRs under the bot rule, no period.
    now = timezone.now()
    return pull_requests_scoped(filters=MetricFilters(team=team, start=now, end=now))


def _not_before(column: str, seconds: float) -> Q:
    """`column` is empty or came more than `seconds` after review was requested."""
    return Q(**{f"{column}__isnull": True}) | Q(**{f"{column}_wait__gt": seconds})


def alert_pull_requests(
    *, team: Team, rule: str, threshold: int | None, start: dt.datetime, end: dt.datetime
) -> QuerySet[PullRequest]:
    """The PRs `rule` alerts about at `threshold` whose alert moment is in [start, end):

    - waiting for review: review was requested (`review_requested_at`) and nobody had
      reviewed, merged or closed it `threshold` hours later; the moment is that hour;
    - XL opened: more than `threshold` changed lines; the moment is its opening;
    - merged unreviewed: merged without a review by someone else; the moment is the merge.
    """
    qs = _scoped(team)
    rule = AlertRule(rule)
    if rule == AlertRule.WAITING_FOR_REVIEW:
        waited = dt.timedelta(hours=threshold)
        seconds = waited.total_seconds()
        qs = (
            qs.exclude(state=PullRequest.State.OPEN, is_draft=True)
            .annotate(requested_at=review_requested_at())
            .filter(requested_at__gte=start - waited, requested_at__lt=end - waited)
            .annotate(
                first_review_at_wait=DurationSeconds(F("first_review_at"), F("requested_at")),
                merged_at_wait=DurationSeconds(F("merged_at"), F("requested_at")),
                closed_at_wait=DurationSeconds(F("closed_at"), F("requested_at")),
            )
            .filter(
                _not_before("first_review_at", seconds),
                _not_before("merged_at", seconds),
                _not_before("closed_at", seconds),
            )
        )
        return qs.order_by("requested_at", "pk")
    if rule == AlertRule.XL_OPENED:
        return (
            qs.annotate(lines=F("additions") + F("deletions"))
            .filter(lines__gt=threshold, opened_at__gte=start, opened_at__lt=end)
            .order_by("opened_at", "pk")
        )
    return qs.filter(merged_unreviewed(), merged_at__gte=start, merged_at__lt=end).order_by(
        "merged_at", "pk"
    )


def alerts_new(
    *, team: Team, team_settings: SlackNotificationSettings, now: dt.datetime
) -> list[Alert]:
    """The alerts of every enabled rule not sent yet, by rule, oldest moment first."""
    alerts = []
    for rule in AlertRule:
        if not team_settings.rule_enabled(rule):
            continue
        threshold = rule_threshold(team_settings=team_settings, rule=rule)
        qs = alert_pull_requests(
            team=team, rule=rule, threshold=threshold, start=now - ALERT_LOOKBACK, end=now
        )
        if rule == AlertRule.WAITING_FOR_REVIEW:
            qs = qs.filter(waiting_for_review())  # reviewed since: no longer worth a ping
        sent = AlertSent.objects.filter(pull_request=OuterRef("pk"), rule=rule)
        qs = qs.filter(~Exists(sent)).select_related("repository", "author")
        alerts += [Alert(rule=rule, pull_request=pr, threshold=threshold) for pr in qs]
    return alerts


def alerts_preview(
    *, team: Team, rule: str, threshold: int | None, now: dt.datetime | None = None
) -> int:
    """How many alerts `rule` would have sent over the last four weeks at `threshold`."""
    now = now or timezone.now()
    return alert_pull_requests(
        team=team, rule=rule, threshold=threshold, start=now - PREVIEW_PERIOD, end=now
    ).count()


def alert_rule_counts(
    *, team: Team, team_settings: SlackNotificationSettings, now: dt.datetime | None = None
) -> dict[str, int]:
    """`alerts_preview` of every rule at its threshold in `team_settings`, by rule."""
    now = now or timezone.now()
    return {
        rule.value: alerts_preview(
            team=team,
            rule=rule,
            threshold=rule_threshold(team_settings=team_settings, rule=rule),
            now=now,
        )
        for rule in AlertRule
    }


@dataclasses.dataclass(frozen=True)
class SlackOverview:
    """A team's Slack as its settings show it: the webhook's state and the schedule."""

    integration: SlackIntegration | None
    team_settings: SlackNotificationSettings
    next_digest_at: dt.datetime | None  # UTC; None when off, not connected or broken
    first_digest_waits: bool  # the first digest goes out once the history is in
    digest_due: bool = False  # one is due: the hourly check posts it within the hour

    @property
    def state(self) -> str:
        if self.integration is None:
            return "not_connected"
        return "active" if self.integration.is_active else "broken"

    @property
    def webhook_label(self) -> str:
        """The webhook's workspace and hook ids, and its secret's fingerprint only."""
        if self.integration is None:
            return ""
        path = self.integration.webhook_url.rstrip("/").split("/services/", 1)[-1]
        *ids, secret = path.split("/")
        return "/".join([*ids, token_fingerprint(secret)])

    @property
    def rules_on(self) -> list[str]:
        return [rule.value for rule in AlertRule if self.team_settings.rule_enabled(rule)]


def slack_overview(*, team: Team, now: dt.datetime | None = None) -> SlackOverview:
    now = now or timezone.now()
    integration = SlackIntegration.objects.filter(team=team).first()
    team_settings = notification_settings_get(team=team)
    working = integration is not None and integration.is_active
    next_at, first_waits = None, False
    if working and digest_first_pending(team_settings=team_settings):
        imported = team_history_imported(team=team)
        next_at, first_waits = (now if imported else None), not imported
    elif working:
        next_at = digest_next_send_at(team_settings=team_settings, now=now)
    return SlackOverview(
        integration=integration,
        team_settings=team_settings,
        next_digest_at=next_at,
        first_digest_waits=first_waits,
        digest_due=next_at is not None and next_at <= now,
    )
