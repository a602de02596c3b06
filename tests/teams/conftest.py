"""Invitation helpers: the link an email carries, and an invitation sent by the owner."""

import re

import pytest
from django.core import mail

from tformance.teams.services.invitations import invitation_create

HTMX = {"HTTP_HX_REQUEST": "true"}
PASSWORD = "a-long-enough passphrase"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


def emailed_link(message) -> str:
    """The path of the invitation link in an email."""
    return re.search(r"https?://[^/\s]+(/invitations/\S+/)", message.body).group(1)


@pytest.fixture
def invite(team, owner):
    """Invite an address to `team` as the owner; returns the link's path."""

    def send(email="new.lead@example.com", role="member", to_team=None):
        mail.outbox.clear()
        invitation_create(team=to_team or team, email=email, role=role, invited_by=owner)
        (message,) = mail.outbox
        return emailed_link(message)

    return send
