"""Jira tests; the sync fixtures for the end-to-end ones (tests.helpers.sync)."""

from tests.helpers.sync import acme, sandbox, track  # noqa: F401  (fixtures)
