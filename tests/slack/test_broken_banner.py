"""A webhook Slack says is gone shows on the dashboard, for the team's admins."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.helpers.factories import PullRequestFactory
from tformance.slack.services import Posted, alerts_send

pytestmark = pytest.mark.django_db

PAGES = ["/t/acme/", "/t/acme/people/", "/t/acme/prs/", "/t/acme/jira/"]


@pytest.fixture
def an_alert(repository):
    now = timezone.now()
    return PullRequestFactory(
        repository=repository,
        number=7,
        opened_at=now - dt.timedelta(hours=3),
        merged_at=now - dt.timedelta(hours=1),
        github_updated_at=now - dt.timedelta(hours=1),
    )


def _revoke_then_post(slack, connected, team):
    slack.revoke(connected.webhook_url, error="no_service")
    assert alerts_send(team=team) == Posted.GONE


def test_an_admin_sees_on_every_page_that_slack_is_paused_and_where_to_fix_it(
    client, owner, team, connected, slack, an_alert
):
    client.force_login(owner)
    assert 'data-testid="slack-broken"' not in client.get("/t/acme/").content.decode()

    _revoke_then_post(slack, connected, team)

    for url in PAGES:
        page = client.get(url).content.decode()
        assert 'data-testid="slack-broken"' in page, url
        assert "disabled or was removed; create a new one." in page
        assert "weekly digest and the alerts are paused" in page
        assert 'href="/onboarding/settings/acme/#slack"' in page


def test_a_member_who_cannot_reconnect_slack_is_not_shown_the_banner(
    client, member, team, connected, slack, an_alert
):
    _revoke_then_post(slack, connected, team)
    client.force_login(member)

    assert 'data-testid="slack-broken"' not in client.get("/t/acme/").content.decode()
