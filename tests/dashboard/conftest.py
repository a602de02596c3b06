"""The dashboard's known history (tests.helpers.dashboard), and the sandbox for its browser test."""

import pytest

from tests.helpers.dashboard import history
from tests.helpers.sync import acme, sandbox, track  # noqa: F401  (browser test)
from tests.helpers.web import watched_page  # noqa: F401  (browser test)


@pytest.fixture
def known_history(team):
    return history(team)
