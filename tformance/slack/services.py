"""Writes for Slack notifications: post through the team's webhook, the digest when due,
a sync's new alerts in one message.

A webhook Slack says is gone marks the integration broken, and nothing more is posted
through it. A post that fails otherwise (Slack down, a timeout) changes nothing, so the
next run (the next hour's digest check, the next sync) tries again.
"""

import contextlib
import dataclasses
import datetime as dt
import enum
import logging
from collections.abc import Iterator

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from tformance.integrations.clients import (
    IntegrationProblem,
    SlackWebhookGone,
    slack_webhook_post,
)
from tformance.integrations.models import SlackIntegration
from tformance.slack.alerts import alerts_message
from tformance.slack.blocks import SlackMessage
from tformance.slack.digest import digest_now
from tformance.slack.models import AlertSent, SlackNotificationSettings
from tformance.slack.ping import ping_message
from tformance.slack.schedule import digest_due, digest_first_pending
from tformance.slack.selectors import alerts_new
from tformance.sync.selectors import team_history_imported
from tformance.teams.models import Team

logger = logging.getLogger(__name__)


class Posted(enum.Enum):
    SENT = "sent"
    NOTHING = "nothing"  # nothing to post, no webhook, or a broken one
    GONE = "gone"  # Slack says the webhook is gone: now marked broken
    FAILED = "failed"  # try again later


def notification_settings_ensure(*, team: Team) -> SlackNotificationSettings:
    team_settings, _ = SlackNotificationSettings.objects.get_or_create(team=team)
    return team_settings


def slack_integration_mark_broken(
    *, integration: SlackIntegration, reason: str, now: dt.datetime
) -> None:
    integration.status = SlackIntegration.Status.BROKEN
    integration.error = reason[:300]
    integration.broken_at = now
    integration.save(update_fields=["status", "error", "broken_at"])


def _post(
    integration: SlackIntegration, message: SlackMessage, now: dt.datetime
) -> tuple[Posted, str]:
    """The one place a message goes to a team's webhook: what happened, and why if it failed;
    it never raises for Slack's answers (and the webhook URL is never logged).

    Gone (404/410, e.g. `no_service`) marks the integration broken; any other failure (5xx,
    a timeout, Slack unreachable) changes nothing, so the caller's next run tries again.
    """
    if integration.status != SlackIntegration.Status.ACTIVE:
        return Posted.NOTHING, integration.error
    try:
        slack_webhook_post(url=integration.webhook_url, text=message.text, blocks=message.blocks)
    except SlackWebhookGone as gone:
        logger.warning("[slack] team %s: webhook gone (%s)", integration.team_id, gone)
        slack_integration_mark_broken(integration=integration, reason=str(gone), now=now)
        return Posted.GONE, str(gone)
    except IntegrationProblem as problem:
        logger.warning("[slack] team %s: post failed (%s)", integration.team_id, problem)
        return Posted.FAILED, str(problem)
    return Posted.SENT, ""


@dataclasses.dataclass
class Posting:
    """A team's working webhook and its settings row, locked until the `with` ends."""

    integration: SlackIntegration
    team_settings: SlackNotificationSettings
    now: dt.datetime
    problem: str = ""  # why the last post did not go out

    def post(self, message: SlackMessage) -> Posted:
        posted, self.problem = _post(self.integration, message, self.now)
        return posted


@contextlib.contextmanager
def team_posting(*, team: Team, now: dt.datetime) -> Iterator[Posting | None]:
    """The prelude of every post: the team's active webhook (None when it has none or it
    is broken), its notification settings, and the settings row locked in a transaction,
    so two runners (two syncs finishing together, the hourly check) post one at a time
    and the second sees what the first recorded."""
    integration = SlackIntegration.objects.filter(
        team=team, status=SlackIntegration.Status.ACTIVE
    ).first()
    if integration is None:
        yield None
        return
    notification_settings_ensure(team=team)
    with transaction.atomic():
        team_settings = SlackNotificationSettings.objects.select_for_update().get(team=team)
        yield Posting(integration=integration, team_settings=team_settings, now=now)


def digest_send_due(*, team: Team, now: dt.datetime | None = None) -> Posted:
    """Post last week's digest if its moment has passed since the last one, or, for the
    first one, as soon as the team's history is in (every repository synced once): a new
    team sees what the digest says without waiting for its weekday."""
    now = now or timezone.now()
    with team_posting(team=team, now=now) as posting:
        if posting is None:
            return Posted.NOTHING
        team_settings = posting.team_settings
        first = digest_first_pending(team_settings=team_settings) and team_history_imported(
            team=team
        )
        if not first and not digest_due(team_settings=team_settings, now=now):
            return Posted.NOTHING
        posted = posting.post(digest_now(team=team, now=now).message)
        if posted == Posted.SENT:
            team_settings.digest_sent_at = now
            team_settings.save(update_fields=["digest_sent_at", "updated_at"])
    logger.info("[slack] team %s: digest %s", team.slug, posted.value)
    return posted


def alerts_send(*, team: Team, now: dt.datetime | None = None) -> Posted:
    """Post the alerts not sent yet in one message; record them sent only if it went out."""
    now = now or timezone.now()
    with team_posting(team=team, now=now) as posting:
        if posting is None:
            return Posted.NOTHING
        # Read under the lock, so two syncs finishing together cannot both post the same
        # alert (the unique constraint would only stop the second record).
        alerts = alerts_new(team=team, team_settings=posting.team_settings, now=now)
        if not alerts:
            return Posted.NOTHING
        posted = posting.post(alerts_message(team=team, alerts=alerts, now=now))
        if posted == Posted.SENT:
            AlertSent.objects.bulk_create(
                [
                    AlertSent(team=team, pull_request=a.pull_request, rule=a.rule, sent_at=now)
                    for a in alerts
                ],
                ignore_conflicts=True,
            )
    logger.info("[slack] team %s: %d alerts %s", team.slug, len(alerts), posted.value)
    return posted


@dataclasses.dataclass(frozen=True)
class Sent:
    posted: Posted
    problem: str = ""  # Slack's reason, for the admin, when it did not go out


def slack_test_message_send(
    *, team: Team, user: AbstractBaseUser, now: dt.datetime | None = None
) -> Sent:
    """Post a test message now, through the same prelude as the digest and the alerts.

    NOTHING when the team has no working webhook (never connected, or broken: `problem`
    says why); a gone webhook is marked broken like any other post's.
    """
    now = now or timezone.now()
    with team_posting(team=team, now=now) as posting:
        if posting is None:
            broken = SlackIntegration.objects.filter(team=team).values_list("error", flat=True)
            return Sent(Posted.NOTHING, next(iter(broken), ""))
        posted = posting.post(ping_message(team=team, user=user, now=now))
    logger.info("[slack] team %s: test message %s", team.slug, posted.value)
    return Sent(posted, posting.problem)


def slack_digest_schedule_set(
    *, team: Team, enabled: bool, weekday: int, hour: int, time_zone: str
) -> SlackNotificationSettings:
    """The digest's day and hour, on the team's clock; `time_zone` is the team's own (the
    dashboard's weeks start on its Mondays too), so the digest's week is the dashboard's."""
    team_settings = notification_settings_ensure(team=team)
    team_settings.digest_enabled = enabled
    team_settings.digest_weekday = weekday
    team_settings.digest_hour = hour
    team_settings.save(
        update_fields=["digest_enabled", "digest_weekday", "digest_hour", "updated_at"]
    )
    if team.time_zone != time_zone:
        team.time_zone = time_zone
        team.save(update_fields=["time_zone"])
    return team_settings


def slack_alert_rules_set(
    *,
    team: Team,
    alerts_enabled: bool,
    waiting_enabled: bool,
    waiting_hours: int,
    xl_enabled: bool,
    xl_lines: int,
    unreviewed_enabled: bool,
) -> SlackNotificationSettings:
    """The working agreements: the switch for all, each rule on or off, its threshold."""
    team_settings = notification_settings_ensure(team=team)
    changes = {
        "alerts_enabled": alerts_enabled,
        "waiting_enabled": waiting_enabled,
        "waiting_hours": waiting_hours,
        "xl_enabled": xl_enabled,
        "xl_lines": xl_lines,
        "unreviewed_enabled": unreviewed_enabled,
    }
    for name, value in changes.items():
        setattr(team_settings, name, value)
    team_settings.save(update_fields=[*changes, "updated_at"])
    return team_settings
