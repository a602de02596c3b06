"""The test message an admin sends from the Slack settings: proof the webhook posts."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from tformance.slack import blocks as bk
from tformance.slack.blocks import SlackMessage
from tformance.slack.schedule import team_zone
from tformance.teams.models import Team

TITLE = "Test message from Tformance"


def ping_message(*, team: Team, user: AbstractBaseUser, now: dt.datetime) -> SlackMessage:
    local = now.astimezone(team_zone(team=team))
    when = f"{local.day} {local:%b %Y %H:%M} {local.tzname()}"
    who = bk.mrkdwn_escape(user.get_username())
    name = bk.mrkdwn_escape(team.name)
    settings_url = settings.SITE_URL + reverse("onboarding:settings_slack", args=[team.slug])
    return SlackMessage(
        text=bk.mrkdwn_escape(
            f"{TITLE}: {team.name}'s weekly digest and working-agreement "
            f"alerts will be posted here. Sent by {user.get_username()}."
        ),
        blocks=[
            bk.header(TITLE),
            bk.section(
                f"This channel receives *{name}*'s weekly delivery digest and its "
                "working-agreement alerts."
            ),
            bk.context(
                f"Sent by {who} at {when} · {bk.mrkdwn_link(settings_url, 'Slack settings')}"
            ),
        ],
    )
