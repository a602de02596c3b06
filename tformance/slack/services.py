"""Writes for Slack notifications: post through the team's webhook, the digest when due,
a sync's new alerts in one message.

A webhook Slack says is gone marks the integration broken, and nothing more is posted
through it. A post that fails otherwise (Slack down, a timeout) changes nothing, so the
next run (the next hour's digest check, the next sync) tries again.
"""

import datetime as dt
import enum
import logging

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
from tformance.slack.digest import digest_build
from tformance.slack.models import AlertSent, SlackNotificationSettings
from tformance.slack.schedule import digest_due, week_last_complete
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


def slack_message_post(
    *, integration: SlackIntegration, message: SlackMessage, now: dt.datetime
) -> Posted:
    """Post `message`; never raises for Slack's answers (the webhook URL is never logged)."""
    if integration.status != SlackIntegration.Status.ACTIVE:
        return Posted.NOTHING
    try:
        slack_webhook_post(url=integration.webhook_url, text=message.text, blocks=message.blocks)
    except SlackWebhookGone as gone:
        logger.warning("[slack] team %s: webhook gone (%s)", integration.team_id, gone)
        slack_integration_mark_broken(integration=integration, reason=str(gone), now=now)
        return Posted.GONE
    except IntegrationProblem as problem:
        logger.warning("[slack] team %s: post failed (%s)", integration.team_id, problem)
        return Posted.FAILED
    return Posted.SENT


def _active_integration(team: Team) -> SlackIntegration | None:
    return SlackIntegration.objects.filter(team=team, status=SlackIntegration.Status.ACTIVE).first()


def digest_send_due(*, team: Team, now: dt.datetime | None = None) -> Posted:
    """Post last week's digest if its moment has passed since the last one, or, for the
    first one, as soon as the team's history is in (every repository synced once): a new
    team sees what the digest says without waiting for its weekday."""
    now = now or timezone.now()
    integration = _active_integration(team)
    if integration is None:
        return Posted.NOTHING
    notification_settings_ensure(team=team)
    with transaction.atomic():
        # One digest at a time per team: a second runner waits here, then sees it sent.
        team_settings = SlackNotificationSettings.objects.select_for_update().get(team=team)
        first = (
            team_settings.digest_enabled
            and team_settings.digest_sent_at is None
            and team_history_imported(team=team)
        )
        if not first and not digest_due(team_settings=team_settings, now=now):
            return Posted.NOTHING
        start, end = week_last_complete(team=team, now=now)
        posted = slack_message_post(
            integration=integration, message=digest_build(team=team, start=start, end=end), now=now
        )
        if posted == Posted.SENT:
            team_settings.digest_sent_at = now
            team_settings.save(update_fields=["digest_sent_at", "updated_at"])
    logger.info("[slack] team %s: digest %s", team.slug, posted.value)
    return posted


def alerts_send(*, team: Team, now: dt.datetime | None = None) -> Posted:
    """Post the alerts not sent yet in one message; record them sent only if it went out."""
    now = now or timezone.now()
    integration = _active_integration(team)
    if integration is None:
        return Posted.NOTHING
    notification_settings_ensure(team=team)
    with transaction.atomic():
        # One sender at a time per team, so two syncs finishing together cannot both post
        # the same alert (the unique constraint would only stop the second record).
        team_settings = SlackNotificationSettings.objects.select_for_update().get(team=team)
        alerts = alerts_new(team=team, team_settings=team_settings, now=now)
        if not alerts:
            return Posted.NOTHING
        message = alerts_message(team=team, alerts=alerts, now=now)
        posted = slack_message_post(integration=integration, message=message, now=now)
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
