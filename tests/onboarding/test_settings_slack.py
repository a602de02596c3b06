"""Slack in the team settings: the card, and the page where admins connect a webhook again,
send a test message, set the digest and tune the working agreements; over real HTTP to the
sandbox's Slack."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.helpers.factories import (
    PullRequestFactory,
    SlackIntegrationFactory,
    TeamFactory,
    TrackedRepositoryFactory,
)
from tests.helpers.metrics import merged_pr
from tests.helpers.web import HTMX
from tformance.integrations import clients
from tformance.integrations.models import SlackIntegration
from tformance.slack.models import SlackNotificationSettings
from tformance.slack.schedule import week_last_complete

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


@pytest.fixture
def admin(client, owner):
    client.force_login(owner)
    return owner


@pytest.fixture
def connected(team, slack):
    return SlackIntegrationFactory(team=team, webhook_url=slack.webhook_url(workspace="T0AC"))


def _url(name, team, **query):
    url = reverse(f"onboarding:{name}", args=[team.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _page(client, team) -> str:
    response = client.get(_url("settings_slack", team))
    assert response.status_code == 200
    return response.content.decode()


def _card(client, team) -> str:
    body = client.get(_url("settings", team)).content.decode()
    return re.search(r'<section class="card" id="slack".*?</section>', body, re.S).group(0)


# The settings page's card


def test_the_card_says_slack_is_not_connected_and_offers_to_connect(client, admin, team):
    card = _card(client, team)

    assert 'data-state="not_connected"' in card
    assert "Slack is not connected" in card
    assert _url("settings_slack", team) in card


def test_the_card_of_a_working_webhook_shows_where_it_posts_and_the_next_digest(
    client, admin, team, connected
):
    SlackNotificationSettings.objects.create(
        team=team, digest_weekday=2, digest_hour=14, digest_sent_at=timezone.now()
    )

    card = _card(client, team)

    assert 'data-state="active"' in card
    assert "T0AC/B00000001/" in card and "Connected" in card
    assert re.search(r"Next on Wednesday \d+ \w+, 14:00 \(UTC\)", card)
    assert "3 of 3 rules on" in card
    assert "Manage Slack" in card


def test_the_card_of_a_broken_webhook_says_why_and_since_when(client, admin, team, connected):
    connected.status = SlackIntegration.Status.BROKEN
    connected.error = "Slack says this webhook is disabled or was removed; create a new one."
    connected.broken_at = dt.datetime(2025, 6, 16, 7, 30, tzinfo=dt.UTC)
    connected.save()

    card = _card(client, team)

    assert 'data-state="broken"' in card
    assert "Slack stopped taking posts on 16 Jun 2025, 07:30" in card
    assert "disabled or was removed" in card
    assert "Connect a new webhook" in card


# Who may see it


def test_a_member_is_forbidden_and_an_outsider_does_not_see_the_team(
    client, team, member, outsider, connected
):
    writes = ["settings_slack_connect", "settings_slack_test"]
    writes += ["settings_slack_digest", "settings_slack_rules"]
    reads = ["settings_slack", "settings_slack_digest_preview", "settings_slack_rule_count"]
    for user, status in ((member, 403), (outsider, 404)):
        client.force_login(user)
        assert [client.get(_url(name, team)).status_code for name in reads] == [status] * 3
        assert [client.post(_url(name, team)).status_code for name in writes] == [status] * 4


def test_another_teams_slug_is_a_404_for_an_admin(client, admin, slack):
    other = TeamFactory(slug="initech")
    SlackIntegrationFactory(team=other, webhook_url=slack.webhook_url())

    assert client.get(_url("settings_slack", other)).status_code == 404
    assert client.post(_url("settings_slack_test", other)).status_code == 404
    assert slack.messages() == []


def test_writes_are_posts_only(client, admin, team, connected, slack):
    assert client.get(_url("settings_slack_test", team)).status_code == 405
    assert slack.messages() == []


# The test message


def test_a_test_message_is_posted_through_the_webhook_and_the_page_says_so(
    client, admin, team, connected, slack
):
    response = client.post(_url("settings_slack_test", team), follow=True)

    (message,) = slack.messages(connected.webhook_url)
    assert message.blocks[0]["text"]["text"] == "Test message from Tformance"
    assert "owner@example.com" in message.blocks[2]["elements"][0]["text"]
    assert "Test message from Tformance" in message.text
    assert "The test message was posted" in response.content.decode()


@pytest.mark.parametrize("error", ["no_service", "channel_is_archived"])
def test_a_revoked_webhook_is_marked_broken_the_page_says_so_and_no_test_goes_out_again(
    client, admin, team, connected, slack, error
):
    slack.revoke(connected.webhook_url, error=error)

    first = client.post(_url("settings_slack_test", team), follow=True).content.decode()
    slack.restore(connected.webhook_url)
    second = client.post(_url("settings_slack_test", team), follow=True).content.decode()

    connected.refresh_from_db()
    assert connected.status == SlackIntegration.Status.BROKEN
    assert "Slack says the webhook is gone" in first
    assert 'data-testid="slack-broken"' in first and "Slack stopped taking posts" in first
    assert 'data-testid="slack-test-send"' not in first
    assert "Slack has no working webhook" in second
    assert slack.messages() == []


def test_slack_having_a_bad_moment_is_a_clear_error_and_changes_nothing(
    client, admin, team, connected, slack
):
    slack.fail_next(status=503)

    response = client.post(_url("settings_slack_test", team), follow=True)

    body = response.content.decode()
    assert response.status_code == 200
    assert "The test message did not go out: Slack had a problem (HTTP 503)" in body
    connected.refresh_from_db()
    assert connected.status == SlackIntegration.Status.ACTIVE
    assert slack.messages() == []


def test_a_slack_that_does_not_answer_in_time_is_a_clear_error(
    client, admin, team, connected, slack, monkeypatch
):
    monkeypatch.setattr(clients, "TIMEOUT_SECONDS", 0.2)
    slack.fail_next(status=0, delay=1.0)

    body = client.post(_url("settings_slack_test", team), follow=True).content.decode()

    assert "Slack did not answer in time; try again." in body
    connected.refresh_from_db()
    assert connected.is_active


# Connecting again


def test_connecting_a_new_webhook_mends_a_broken_integration(
    client, admin, team, connected, slack, caplog
):
    caplog.set_level("DEBUG")
    connected.status, connected.error = SlackIntegration.Status.BROKEN, "gone"
    connected.save()
    new = slack.webhook_url(workspace="T0NEW", secret="freshsecret0123456789")

    response = client.post(_url("settings_slack_connect", team), {"webhook_url": new}, follow=True)

    connected.refresh_from_db()
    assert (connected.status, connected.error, connected.webhook_url) == ("active", "", new)
    assert "Slack is connected" in response.content.decode()
    assert "Slack stopped taking posts" not in response.content.decode()
    (posted,) = slack.messages(new)
    assert "Tformance is connected" in posted.text
    assert "freshsecret0123456789" not in caplog.text and "fres…(21)" in caplog.text
    assert "freshsecret0123456789" not in response.content.decode()


def test_a_webhook_of_the_wrong_shape_is_a_form_error_and_keeps_the_old_one(
    client, admin, team, connected, slack
):
    old = connected.webhook_url

    response = client.post(
        _url("settings_slack_connect", team), {"webhook_url": "https://example.com/hook"}
    )

    assert response.status_code == 400
    assert "That is not a Slack incoming-webhook URL" in response.content.decode()
    connected.refresh_from_db()
    assert connected.webhook_url == old


def test_the_webhook_cannot_point_at_this_machine(client, admin, team, slack, settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = False

    response = client.post(
        _url("settings_slack_connect", team), {"webhook_url": slack.webhook_url()}
    )

    assert response.status_code == 400
    assert "cannot connect to that address" in response.content.decode()
    assert not SlackIntegration.objects.exists()
    assert slack.messages() == []


# The digest


def test_the_digest_schedule_is_saved_with_the_teams_time_zone_and_shows_the_next_send(
    client, admin, team, connected
):
    SlackNotificationSettings.objects.create(team=team, digest_sent_at=timezone.now())

    response = client.post(
        _url("settings_slack_digest", team),
        {
            "digest_enabled": "on",
            "digest_weekday": "4",
            "digest_hour": "16",
            "time_zone": "Europe/Berlin",
        },
        follow=True,
    )

    team_settings = SlackNotificationSettings.objects.get(team=team)
    assert (team_settings.digest_weekday, team_settings.digest_hour) == (4, 16)
    team.refresh_from_db()
    assert team.time_zone == "Europe/Berlin"
    body = response.content.decode()
    assert "The digest&#x27;s schedule is saved." in body
    assert re.search(r"Next digest:</strong> Friday \d+ \w+ \d{4}, 16:00 \(Europe/Berlin\)", body)


def test_the_digest_form_starts_at_monday_nine_in_the_teams_time_zone(client, admin, team):
    body = _page(client, team)

    assert re.search(r'<option value="0" selected>Monday</option>', body)
    assert re.search(r'<option value="9" selected>09:00</option>', body)
    assert re.search(r'<option value="UTC" selected>UTC</option>', body)
    assert '<input type="checkbox" name="digest_enabled" id="id_digest_enabled" checked>' in body


def test_before_the_first_digest_the_page_says_it_waits_for_the_history(
    client, admin, team, connected
):
    TrackedRepositoryFactory(team=team)  # never synced yet

    assert "the first goes out once every repository has synced" in _page(client, team)


def test_turning_the_digest_off_says_so(client, admin, team, connected):
    client.post(
        _url("settings_slack_digest", team),
        {"digest_weekday": "0", "digest_hour": "9", "time_zone": "UTC"},
    )

    assert not SlackNotificationSettings.objects.get(team=team).digest_enabled
    assert "<strong>Next digest:</strong> off" in _page(client, team)


def test_the_digest_preview_shows_last_weeks_numbers_and_the_text_fallback(
    client, admin, team, slack
):
    start, _ = week_last_complete(team=team, now=timezone.now())
    repository = TrackedRepositoryFactory(team=team, full_name="acme/api")
    for i in range(3):
        merged_pr(team=team, repository=repository, hours_to_merge=4, opened_at=start + i * H)

    htmx = client.get(_url("settings_slack_digest_preview", team), **HTMX).content.decode()
    whole = client.get(_url("settings_slack_digest_preview", team)).content.decode()

    assert "<b>Merged PRs</b>" in htmx
    assert re.search(
        r'<b>Merged PRs</b><br><a href="https://app.tformance.test/t/acme/prs/\?[^"]+">3</a>', htmx
    )
    assert "<b>Cycle time (median)</b><br>" in htmx
    assert "Merged PRs: 3" in htmx  # the plain-text fallback
    assert "Weekly digest: Acme" in htmx
    assert "<html" not in htmx and "<html" in whole
    assert slack.messages() == []  # a preview posts nothing


# The working agreements


@pytest.fixture
def known_prs(team):
    """#1 open 72 h, 600 lines; #2 open 48 h, 1,200 lines; #3 open 10 h, 3,000 lines (none
    reviewed); #4 merged 39 days ago with 5,000 lines; #5 merged 20 h ago unreviewed."""
    now = timezone.now()
    repository = TrackedRepositoryFactory(team=team, full_name="acme/api")

    def make(number, opened, lines, merged=None):
        PullRequestFactory(
            repository=repository,
            number=number,
            state="merged" if merged else "open",
            opened_at=now - opened * H,
            merged_at=now - merged * H if merged else None,
            github_updated_at=now,
            additions=lines,
            deletions=0,
        )

    make(1, 72, 600)
    make(2, 48, 1200)
    make(3, 10, 3000)
    make(4, 41 * 24, 5000, merged=39 * 24)
    make(5, 30, 50, merged=20)


def _count(client, team, **query):
    response = client.get(_url("settings_slack_rule_count", team, **query), **HTMX)
    assert response.status_code == 200
    found = re.search(r'data-testid="rule-count-value">(\d+)<', response.content.decode())
    return int(found.group(1))


def test_the_page_counts_what_each_rule_would_have_sent_over_four_weeks(
    client, admin, team, known_prs
):
    body = _page(client, team)

    counts = dict(
        re.findall(
            r'data-testid="rule-count-(\w+)">Would have sent <strong data-testid="rule-count-value">(\d+)<',
            body,
        )
    )
    assert counts == {"waiting": "2", "xl": "2", "unreviewed": "1"}  # 24 h, 1,000 lines


def test_a_threshold_typed_changes_its_count(client, admin, team, known_prs):
    assert _count(client, team, rule="xl_opened", xl_lines=1000) == 2
    assert _count(client, team, rule="xl_opened", xl_lines=500) == 3
    assert _count(client, team, rule="xl_opened", xl_lines=2999) == 1
    assert _count(client, team, rule="xl_opened", xl_lines=3000) == 0
    assert _count(client, team, rule="waiting_for_review", waiting_hours=24) == 2
    assert _count(client, team, rule="waiting_for_review", waiting_hours=60) == 1
    assert _count(client, team, rule="waiting_for_review", waiting_hours=80) == 0


def test_the_rules_are_saved_and_the_counts_follow_the_saved_thresholds(
    client, admin, team, known_prs
):
    response = client.post(
        _url("settings_slack_rules", team),
        {
            "alerts_enabled": "on",
            "waiting_enabled": "on",
            "waiting_hours": "60",
            "xl_lines": "500",
            "unreviewed_enabled": "on",
        },
        follow=True,
    )

    team_settings = SlackNotificationSettings.objects.get(team=team)
    assert (team_settings.waiting_hours, team_settings.xl_lines) == (60, 500)
    assert not team_settings.xl_enabled and team_settings.unreviewed_enabled
    body = response.content.decode()
    assert "The working agreements are saved." in body
    assert (
        'data-testid="rule-count-waiting">Would have sent <strong data-testid="rule-count-value">1<'
        in body
    )
    assert (
        'data-testid="rule-count-xl">Would have sent <strong data-testid="rule-count-value">3<'
        in body
    )


def test_the_threshold_inputs_ask_for_their_count_with_htmx(client, admin, team):
    body = _page(client, team)

    count_url = _url("settings_slack_rule_count", team)
    assert f'hx-get="{count_url}?rule=xl_opened"' in body
    assert 'hx-target="#rule-count-xl_opened"' in body
    assert f'hx-get="{count_url}?rule=waiting_for_review"' in body


# Bad values: a form error, never a 500


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        (
            "digest",
            {"digest_weekday": "0", "digest_hour": "25", "time_zone": "UTC"},
            "Select a valid choice",
        ),
        (
            "digest",
            {"digest_weekday": "9", "digest_hour": "9", "time_zone": "UTC"},
            "Select a valid choice",
        ),
        (
            "digest",
            {"digest_weekday": "0", "digest_hour": "9", "time_zone": "Mars/Olympus"},
            "Select a valid choice",
        ),
        (
            "digest",
            {"digest_weekday": "x", "digest_hour": "", "time_zone": ""},
            "This field is required",
        ),
        ("rules", {"waiting_hours": "-3", "xl_lines": "1000"}, "greater than or equal to 1"),
        ("rules", {"waiting_hours": "24", "xl_lines": "lots"}, "Enter a whole number"),
        ("rules", {"waiting_hours": "99999", "xl_lines": "1000"}, "less than or equal to 720"),
        ("connect", {"webhook_url": ""}, "This field is required"),
    ],
)
def test_a_bad_value_is_a_form_error_on_the_page_and_nothing_changes(
    client, admin, team, name, data, error
):
    response = client.post(_url(f"settings_slack_{name}", team), data)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not SlackNotificationSettings.objects.exists()
    team.refresh_from_db()
    assert team.time_zone == "UTC"


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"rule": "xl_opened", "xl_lines": "-1"}, "greater than or equal to 1"),
        ({"rule": "xl_opened", "xl_lines": "1e9"}, "Enter a whole number"),
        ({"rule": "xl_opened", "xl_lines": "9999999999"}, "less than or equal to"),
        ({"rule": "xl_opened"}, "Enter a whole number"),
        ({"rule": "merged_unreviewed"}, "Select a valid choice"),
        ({"rule": "bogus", "xl_lines": "3"}, "Select a valid choice"),
        ({"xl_lines": "3"}, "This field is required"),
    ],
)
def test_odd_count_queries_get_a_clear_error_never_a_500(client, admin, team, query, error):
    htmx = client.get(_url("settings_slack_rule_count", team, **query), **HTMX)
    bare = client.get(_url("settings_slack_rule_count", team, **query))

    assert htmx.status_code == 200  # htmx swaps only 2xx answers in
    assert bare.status_code == 400
    assert 'data-testid="rule-count-error"' in htmx.content.decode()
    assert error in htmx.content.decode()


def test_the_page_never_shows_the_webhooks_secret(client, admin, team, slack):
    url = slack.webhook_url(secret="topsecretwebhookpart0001")
    SlackIntegrationFactory(team=team, webhook_url=url)

    body = _page(client, team) + client.get(_url("settings", team)).content.decode()

    assert "topsecretwebhookpart0001" not in body
    assert "tops…(24)" in body
