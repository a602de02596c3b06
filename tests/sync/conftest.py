"""Sync tests: a team connected to the sandbox's `acme` org (tests.helpers.sync)."""

import pytest

from tests.helpers.sync import acme, sandbox, track  # noqa: F401  (fixtures)


@pytest.fixture
def admin_client(client, acme):  # noqa: F811
    """A client logged in as an admin of `acme`."""
    from tests.helpers.factories import MembershipFactory
    from tformance.teams.models import Membership

    admin = MembershipFactory(
        team=acme, user__username="admin@example.com", role=Membership.Role.ADMIN
    ).user
    client.force_login(admin)
    return client
