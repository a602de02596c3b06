"""The sync tests' sandbox fixtures, for the test that a finished sync queues insights."""

from tests.helpers.sync import acme, sandbox, track  # noqa: F401
