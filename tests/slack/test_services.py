"""Posting through the team's webhook, over real HTTP to the sandbox's Slack."""

import datetime as dt

import pytest

from tests.helpers.factories import (
    PullRequestFactory,
    RepositorySyncFactory,
    TeamFactory,
    TrackedRepositoryFactory,
)
from tformance.integrations.models import SlackIntegration
from tformance.slack.models import AlertRule, AlertSent, SlackNotificationSettings
from tformance.slack.services import Posted, alerts_send, digest_send_due

NOW = dt.datetime(2025, 6, 16, 12, tzinfo=dt.UTC)  # a Monday
H = dt.timedelta(hours=1)


def _waiting(repository, number, hours):
    opened = NOW - hours * H
    return PullRequestFactory(
        repository=repository,
        number=number,
        title=f"Change {number} <b>",
        state="open",
        opened_at=opened,
        merged_at=None,
        github_updated_at=opened,
    )


@pytest.fixture
def two_alerts(repository):
    """#11 waiting 30 h for a review, #12 merged an hour ago with 2,000 lines and no review."""
    _waiting(repository, 11, 30)
    PullRequestFactory(
        repository=repository,
        number=12,
        title="Big bang",
        opened_at=NOW - 3 * H,
        merged_at=NOW - H,
        github_updated_at=NOW - H,
        additions=1500,
        deletions=500,
    )


def test_a_syncs_new_alerts_go_out_in_one_message_and_are_recorded(
    team, connected, slack, two_alerts
):
    posted = alerts_send(team=team, now=NOW)

    assert posted == Posted.SENT
    (message,) = slack.messages(connected.webhook_url)
    sections = [b["text"]["text"] for b in message.blocks if b["type"] == "section"]
    assert message.blocks[0]["text"]["text"] == "Working agreements: 3 new alerts"
    assert sections[0].startswith("*Waiting over 24 h for a first review* (1)\n• <")
    assert "acme/api#11 Change 11 &lt;b&gt;> by " in sections[0]
    assert ", waiting 30 h" in sections[0]
    assert sections[1].startswith("*Opened with more than 1,000 changed lines* (1)")
    assert ", 2,000 lines" in sections[1]
    assert sections[2].startswith("*Merged without a review* (1)")
    assert "3 new working-agreement alerts" in message.text
    sent = AlertSent.objects.filter(team=team).values_list("pull_request__number", "rule")
    assert sorted(sent) == [
        (11, AlertRule.WAITING_FOR_REVIEW),
        (12, AlertRule.MERGED_UNREVIEWED),
        (12, AlertRule.XL_OPENED),
    ]


def test_each_alert_fires_once_per_pr_and_rule(team, connected, slack, two_alerts, repository):
    alerts_send(team=team, now=NOW)
    nothing_new = alerts_send(team=team, now=NOW + H)
    _waiting(repository, 13, 25)
    one_new = alerts_send(team=team, now=NOW + 2 * H)

    assert (nothing_new, one_new) == (Posted.NOTHING, Posted.SENT)
    messages = slack.messages()
    assert len(messages) == 2
    assert "acme/api#13" in messages[1].blocks[2]["text"]["text"]
    assert "acme/api#11" not in messages[1].blocks[2]["text"]["text"]


@pytest.mark.parametrize("error", ["no_service", "channel_is_archived"])
def test_a_revoked_webhook_marks_the_integration_broken_and_stops_posting(
    team, connected, slack, two_alerts, error
):
    slack.revoke(connected.webhook_url, error=error)

    first = alerts_send(team=team, now=NOW)
    slack.restore(connected.webhook_url)  # even if it came back, nothing is retried
    second = alerts_send(team=team, now=NOW + H)

    assert (first, second) == (Posted.GONE, Posted.NOTHING)
    connected.refresh_from_db()
    assert connected.status == SlackIntegration.Status.BROKEN
    assert "create a new one" in connected.error or "archived" in connected.error
    assert connected.broken_at == NOW
    assert AlertSent.objects.count() == 0
    assert slack.messages() == []


def test_a_post_that_fails_otherwise_records_nothing_so_the_next_sync_tries_again(
    team, connected, slack, two_alerts
):
    good_url = connected.webhook_url
    connected.webhook_url = "http://127.0.0.1:1/services/T1/B1/nothinglistens"
    connected.save(update_fields=["webhook_url"])

    failed = alerts_send(team=team, now=NOW)
    connected.webhook_url = good_url
    connected.save(update_fields=["webhook_url"])
    retried = alerts_send(team=team, now=NOW + H)

    assert (failed, retried) == (Posted.FAILED, Posted.SENT)
    connected.refresh_from_db()
    assert connected.status == SlackIntegration.Status.ACTIVE
    assert AlertSent.objects.count() == 3


def test_without_a_webhook_nothing_is_sent(team, slack, two_alerts):
    assert alerts_send(team=team, now=NOW) == Posted.NOTHING
    assert AlertSent.objects.count() == 0


def test_alerts_of_another_team_stay_with_it(team, connected, slack, two_alerts):
    other = TeamFactory()
    assert alerts_send(team=other, now=NOW) == Posted.NOTHING
    assert slack.messages() == []


def test_the_digest_goes_out_at_its_hour_once(team, connected, slack):
    team.time_zone = "Europe/Berlin"
    team.save(update_fields=["time_zone"])
    monday_nine = dt.datetime(2025, 6, 16, 7, tzinfo=dt.UTC)  # 09:00 CEST

    early = digest_send_due(team=team, now=monday_nine - dt.timedelta(minutes=5))
    due = digest_send_due(team=team, now=monday_nine + dt.timedelta(minutes=5))
    again = digest_send_due(team=team, now=monday_nine + dt.timedelta(minutes=50))

    assert (early, due, again) == (Posted.NOTHING, Posted.SENT, Posted.NOTHING)
    (message,) = slack.messages()
    assert message.blocks[0]["text"]["text"] == f"Weekly digest: {team.name}"
    assert "9 Jun 2025 – 15 Jun 2025" in message.blocks[1]["elements"][0]["text"]
    team_settings = SlackNotificationSettings.objects.get(team=team)
    assert team_settings.digest_sent_at == monday_nine + dt.timedelta(minutes=5)


def test_the_first_digest_goes_out_as_soon_as_every_repository_has_synced_once(
    team, connected, slack, repository
):
    wednesday = dt.datetime(2025, 6, 18, 15, tzinfo=dt.UTC)  # not the digest's hour
    second = TrackedRepositoryFactory(team=team, full_name="acme/web")
    RepositorySyncFactory(repository=repository, last_synced_at=wednesday - H)
    importing = RepositorySyncFactory(repository=second)  # its first sync still runs

    while_importing = digest_send_due(team=team, now=wednesday)
    importing.last_synced_at = wednesday
    importing.save(update_fields=["last_synced_at"])
    imported = digest_send_due(team=team, now=wednesday + H / 4)
    again = digest_send_due(team=team, now=wednesday + H)

    assert (while_importing, imported, again) == (Posted.NOTHING, Posted.SENT, Posted.NOTHING)
    (message,) = slack.messages()
    assert message.blocks[0]["text"]["text"] == f"Weekly digest: {team.name}"
    assert "9 Jun 2025 – 15 Jun 2025" in message.blocks[1]["elements"][0]["text"]
    # From then on, the schedule: next Monday at 09:00.
    assert digest_send_due(team=team, now=dt.datetime(2025, 6, 23, 9, 5, tzinfo=dt.UTC)) == (
        Posted.SENT
    )


def test_a_disabled_digest_is_not_sent_first_either(team, connected, slack, repository):
    RepositorySyncFactory(repository=repository, last_synced_at=NOW)
    SlackNotificationSettings.objects.create(team=team, digest_enabled=False)

    assert digest_send_due(team=team, now=NOW + H) == Posted.NOTHING
    assert slack.messages() == []


def test_a_digest_slack_refuses_is_not_marked_sent(team, connected, slack):
    slack.revoke(connected.webhook_url, error="action_prohibited")  # 403: not gone
    monday_nine = dt.datetime(2025, 6, 16, 9, tzinfo=dt.UTC)

    assert digest_send_due(team=team, now=monday_nine + H / 4) == Posted.FAILED
    assert SlackNotificationSettings.objects.get(team=team).digest_sent_at is None


def test_a_large_batch_stays_within_slacks_limits_and_links_to_the_rest(
    team, connected, slack, repository
):
    for number in range(100, 160):
        pr = _waiting(repository, number, 30)
        pr.title = "A very long title " * 20
        pr.save(update_fields=["title"])

    assert alerts_send(team=team, now=NOW) == Posted.SENT

    (message,) = slack.messages()  # the sandbox refuses what Slack would refuse
    section = message.blocks[2]["text"]["text"]
    assert section.count("\n• ") == 10
    assert section.endswith(
        "<https://app.tformance.test/t/" + team.slug + "/prs/?state=waiting|and 50 more>"
    )
    assert len(section) <= 3000
    assert AlertSent.objects.count() == 60


def test_the_webhook_url_is_never_logged(team, connected, slack, two_alerts, caplog):
    caplog.set_level("DEBUG")
    secret = connected.webhook_url.rsplit("/", 1)[1]
    slack.revoke(connected.webhook_url)

    alerts_send(team=team, now=NOW)

    assert "webhook gone" in caplog.text
    assert secret not in caplog.text
