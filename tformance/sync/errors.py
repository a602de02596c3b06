"""Failures of the sync itself (GitHub's failures are in tformance.github.errors)."""


class SyncError(Exception):
    """A sync failed; the message is shown to the user. Permanent unless the class says not."""

    permanent = True


class IncompletePullRequest(SyncError):
    """What we stored for a PR differs from what GitHub says it has."""


class PullRequestChanging(SyncError):
    """A PR changed on GitHub while it was read, even when read again: try again later."""

    permanent = False


class NotConnected(SyncError):
    """The team has no GitHub connection (or lost its token)."""
