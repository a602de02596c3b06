"""Invitation fixtures: the site's address, and an invitation sent by the owner."""

import pytest
from django.core import mail

from tests.helpers.teams import emailed_link
from tformance.teams.services.invitations import invitation_create


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def invite(team, owner):
    """Invite an address to `team` as the owner; returns the link's path."""

    def send(email="new.lead@example.com", role="member", to_team=None):
        mail.outbox.clear()
        invitation_create(team=to_team or team, email=email, role=role, invited_by=owner)
        (message,) = mail.outbox
        return emailed_link(message)

    return send
