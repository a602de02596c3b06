"""The state of each tracked repository's sync: one row per repository, written only by
`tformance.sync.state` and read through `tformance.sync.selectors`."""

from django.db import models

from tformance.pulls.models import TrackedRepository
from tformance.teams.models import Team


class RepositorySync(models.Model):
    """Where a repository's sync stands: its status, the open run's checkpoint, who holds it.

    A *run* is one pass from the newest PR down to a watermark. It stays open across
    interruptions (crash, shutdown, rate limit, time slice), which resume from `cursor`;
    it ends (`run_finished_at`, no cursor) when it completes or fails.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SYNCING = "syncing", "Syncing"
        COMPLETE = "complete", "Complete"
        ERROR = "error", "Error"

    class Phase(models.TextChoices):
        """What a SYNCING repository is doing right now."""

        IDLE = "", "Idle"
        PULL_REQUESTS = "pull_requests", "pull requests"
        # A time slice ended; the next message continues from the checkpoint.
        CONTINUING = "continuing", "Continuing"
        RATE_LIMITED = "rate_limited", "Waiting for GitHub's rate limit"
        # A transient failure; the message is retried at `resume_at`.
        RETRYING = "retrying", "Retrying after an error"
        # Shutdown, time limit or Ctrl-C: the next run resumes from the checkpoint.
        INTERRUPTED = "interrupted", "Interrupted"

    repository = models.OneToOneField(
        TrackedRepository, on_delete=models.CASCADE, primary_key=True, related_name="sync"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    error = models.TextField(blank=True)

    # The last request for a sync (the sweeper re-sends requests no worker took up), and
    # what it asked of the next run: a full history or a given watermark.
    requested_at = models.DateTimeField(null=True, blank=True)
    requested_full = models.BooleanField(default=False)
    requested_since = models.DateTimeField(null=True, blank=True)

    # Who holds the repository: a random token taken with a conditional UPDATE, the
    # process (host:pid:start) and the Dramatiq message. A stale heartbeat, or a holder
    # process that is provably gone, frees it for the next run.
    claim = models.CharField(max_length=32, blank=True)
    claimed_by = models.CharField(max_length=255, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # When a waiting run goes on: GitHub's rate-limit reset, or the next retry.
    resume_at = models.DateTimeField(null=True, blank=True)

    # The open run: its checkpoint (GraphQL cursor of the last page written), its watermark
    # (oldest `updatedAt` it must reach; null for the whole history), its progress.
    cursor = models.CharField(max_length=255, blank=True)
    watermark = models.DateTimeField(null=True, blank=True)
    run_started_at = models.DateTimeField(null=True, blank=True)
    run_finished_at = models.DateTimeField(null=True, blank=True)
    prs_done = models.PositiveIntegerField(default=0)
    prs_total = models.PositiveIntegerField(null=True, blank=True)
    requests = models.PositiveIntegerField(default=0)
    points = models.PositiveIntegerField(default=0)
    # Start of the last successful run: the next incremental run's watermark.
    last_synced_at = models.DateTimeField(null=True, blank=True)
    # How far back the stored history reaches: every PR updated at or after `history_from`
    # is stored (`history_all`: every PR). Moved back by each run that completes.
    history_from = models.DateTimeField(null=True, blank=True)
    history_all = models.BooleanField(default=False)
    # The open (or last) run extends the history: it skips PRs already stored unchanged.
    backfill = models.BooleanField(default=False)
    requested_backfill = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["status", "requested_at"], name="reposync_status_requested")
        ]

    def __str__(self):
        return f"{self.repository_id}: {self.status} {self.phase}".strip()

    @property
    def run_is_open(self) -> bool:
        return self.run_started_at is not None and self.run_finished_at is None
