"""Failures of the sync itself (GitHub's failures are in tformance.github.errors)."""


class SyncError(Exception):
    """A sync failed for a reason a retry cannot fix; the message is shown to the user."""


class IncompletePullRequest(SyncError):
    """What we stored for a PR differs from what GitHub says it has."""


class NotConnected(SyncError):
    """The team has no GitHub connection (or lost its token)."""
