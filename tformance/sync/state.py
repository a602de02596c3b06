"""The one writer of sync state (`RepositorySync`): requests, claims, runs and their ends.

A run takes the repository with a conditional UPDATE (a random claim token) and every later
write re-checks the token, so a run presumed dead can never overwrite its successor. The
life of a run (docs/architecture.md has the diagram):

- `repository_sync_request` asks for a sync (PENDING), optionally a full one or from a date;
- `repository_claim` takes the repository when it is free, its holder's heartbeat is stale,
  or its holder is a process of this host that is provably gone;
- `run_begin` resumes the open run, or starts a new one from the newest PR;
- `run_checkpoint` records the cursor after every page;
- `run_pause` gives the repository up and keeps the run open (time slice, rate limit,
  transient error, shutdown): the next run resumes from the checkpoint;
- `run_complete` and `run_fail` end the run: no cursor is left behind, so the next run
  starts from the newest PR.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tformance.pulls.models import TrackedRepository
from tformance.sync.holders import holder_identity, holder_is_gone
from tformance.sync.models import RepositorySync

logger = logging.getLogger(__name__)
Status = RepositorySync.Status
Phase = RepositorySync.Phase


class LostClaim(Exception):
    """Another run took the repository over (this one was presumed dead)."""


def heartbeat_seconds() -> float:
    """How often a live run beats: well inside the stale and the stall limits."""
    return min(10.0, settings.SYNC_CLAIM_STALE_SECONDS / 3, settings.SYNC_STALL_SECONDS / 3)


def _free(now: dt.datetime) -> Q:
    """Not held by a live run: no claim, or a heartbeat older than the stale limit."""
    stale = now - dt.timedelta(seconds=settings.SYNC_CLAIM_STALE_SECONDS)
    return Q(claim="") | Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale)


def repository_sync_row(*, repository: TrackedRepository) -> RepositorySync:
    """The repository's sync row, created on first use."""
    row, _ = RepositorySync.objects.get_or_create(
        repository=repository, defaults={"team_id": repository.team_id}
    )
    return row


def repository_sync_request(
    *,
    repository: TrackedRepository,
    full: bool = False,
    since: dt.datetime | None = None,
    backfill: bool = False,
    free_stalled: bool = False,
) -> None:
    """Record that a sync of the repository is wanted (the caller sends the message).

    `full` or `since` make the next run start over with that watermark, even if an
    interrupted run is open; with `backfill` that run extends the history and skips the
    PRs already stored unchanged. `free_stalled` (the user's Retry) frees a claim whose
    heartbeat is older than SYNC_STALL_SECONDS, so the new run need not wait for the stale
    limit.
    """
    repository_sync_row(repository=repository)
    now = timezone.now()
    rows = RepositorySync.objects.filter(pk=repository.pk)
    if free_stalled:
        stalled = now - dt.timedelta(seconds=settings.SYNC_STALL_SECONDS)
        freed = rows.filter(status=Status.SYNCING, heartbeat_at__lt=stalled).exclude(claim="")
        if freed.update(claim="", phase=Phase.INTERRUPTED):
            logger.info("[sync] %s: a stalled claim was freed on request", repository.full_name)
    fields: dict = {"requested_at": now}
    if full:
        fields["requested_full"] = True
    elif since is not None:
        fields["requested_since"] = since
    if backfill and (full or since is not None):
        fields["requested_backfill"] = True
    rows.update(**fields)
    rows.exclude(status=Status.SYNCING).update(status=Status.PENDING, error="")


def repository_sync_stop(*, repository: TrackedRepository) -> None:
    """The repository is no longer tracked: free it; a live run stops at its next write."""
    rows = RepositorySync.objects.filter(pk=repository.pk)
    rows.update(claim="", phase=Phase.IDLE, resume_at=None)
    rows.exclude(status=Status.COMPLETE).update(status=Status.PENDING)


class Claim:
    """A run's hold on a repository; every write through it re-checks the token."""

    def __init__(self, *, repository: TrackedRepository, token: str, row: RepositorySync):
        self.repository = repository
        self.token = token
        self.row = row
        self._beaten = time.monotonic()

    def update(self, **fields) -> None:
        fields.setdefault("heartbeat_at", timezone.now())
        rows = RepositorySync.objects.filter(pk=self.repository.pk, claim=self.token)
        if not rows.update(**fields):
            raise LostClaim(self.repository.full_name)
        for name, value in fields.items():
            setattr(self.row, name, value)
        self._beaten = time.monotonic()

    def beat(self) -> None:
        """Show that the run is alive, at most every `heartbeat_seconds()`."""
        if time.monotonic() - self._beaten >= heartbeat_seconds():
            self.update()


def repository_claim(*, repository: TrackedRepository, message_id: str = "") -> Claim | None:
    """Take the repository for a run, or None while another live run holds it."""
    repository_sync_row(repository=repository)
    now = timezone.now()
    token = uuid.uuid4().hex
    fields = {
        "claim": token,
        "claimed_by": holder_identity(),
        "claimed_at": now,
        "message_id": message_id,
        "heartbeat_at": now,
        "status": Status.SYNCING,
        "resume_at": None,
        "error": "",
    }
    rows = RepositorySync.objects.filter(pk=repository.pk, repository__is_active=True)
    taken = rows.filter(_free(now)).update(**fields)
    if not taken:
        held = rows.values("claim", "claimed_by").first()
        if held and held["claim"] and holder_is_gone(held["claimed_by"]):
            taken = rows.filter(claim=held["claim"]).update(**fields)
            if taken:
                logger.info(
                    "[sync] %s: its holder %s is gone; taking over",
                    repository.full_name,
                    held["claimed_by"],
                )
    if not taken:
        return None
    return Claim(
        repository=repository, token=token, row=RepositorySync.objects.get(pk=repository.pk)
    )


def run_begin(claim: Claim, *, full: bool = False, since: dt.datetime | None = None) -> bool:
    """Resume the open run (True), or begin a new one from the newest PR (False).

    `full` / `since`, or such a request recorded by `repository_sync_request`, begin a new
    run with that watermark even when an interrupted one is open.
    """
    row = claim.row
    restart = full or since is not None or row.requested_full or row.requested_since is not None
    if row.run_is_open and not restart:
        claim.update(phase=Phase.PULL_REQUESTS)
        logger.info("[sync] %s resuming after a checkpoint", claim.repository.full_name)
        return True
    now = timezone.now()
    if full or (row.requested_full and since is None):
        watermark = None
    elif since is not None or row.requested_since is not None:
        watermark = since or row.requested_since
    elif row.last_synced_at:
        watermark = row.last_synced_at - dt.timedelta(seconds=settings.SYNC_OVERLAP_SECONDS)
    else:
        watermark = now - dt.timedelta(days=claim.repository.team.days_back)
    claim.update(
        phase=Phase.PULL_REQUESTS,
        watermark=watermark,
        backfill=row.requested_backfill and not (full or since is not None),
        cursor="",
        prs_done=0,
        prs_total=None,
        requests=0,
        points=0,
        run_started_at=now,
        run_finished_at=None,
        requested_full=False,
        requested_since=None,
        requested_backfill=False,
    )
    return False


def run_checkpoint(
    claim: Claim, *, cursor: str | None, done: int, total: int | None, requests: int, points: int
) -> None:
    """After a page: how far the run got (`cursor` None keeps the checkpoint where it is)."""
    fields = {"prs_done": done, "prs_total": total, "requests": requests, "points": points}
    if cursor:
        fields["cursor"] = cursor
    claim.update(**fields)


def run_complete(claim: Claim) -> bool:
    """End the run as a success; True when another sync was asked for while it ran."""
    row = claim.row
    again = bool(row.requested_at and row.claimed_at and row.requested_at > row.claimed_at)
    reached = row.watermark  # every PR updated since is stored now (None: every PR)
    claim.update(
        status=Status.PENDING if again else Status.COMPLETE,
        phase=Phase.IDLE,
        claim="",
        cursor="",
        resume_at=None,
        error="",
        prs_total=row.prs_done,
        last_synced_at=row.run_started_at,
        run_finished_at=timezone.now(),
        history_all=row.history_all or reached is None,
        history_from=min(reached, row.history_from or reached) if reached else None,
    )
    return again


def run_pause(
    claim: Claim, *, phase: str, resume_at: dt.datetime | None = None, error: str = ""
) -> None:
    """Give the repository up but keep the run open: the next run resumes from the checkpoint."""
    _release(claim, phase=phase, resume_at=resume_at, error=error)
    if error:
        when = f"; retried by {resume_at:%H:%M:%S} UTC" if resume_at else ""
        logger.warning("[sync] %s stopped: %s%s", claim.repository.full_name, error, when)
    else:
        when = f" until {resume_at:%H:%M:%S} UTC" if resume_at else ""
        logger.info("[sync] %s paused (%s)%s", claim.repository.full_name, phase, when)


def run_fail(claim: Claim, *, error: str) -> None:
    """End the run as a failure the user must see; the next run starts from the newest PR."""
    _release(
        claim,
        status=Status.ERROR,
        phase=Phase.IDLE,
        error=error,
        cursor="",
        run_finished_at=timezone.now(),
    )
    logger.warning("[sync] %s failed: %s", claim.repository.full_name, error)


def _release(claim: Claim, **fields) -> None:
    fields.setdefault("resume_at", None)
    try:
        claim.update(claim="", **fields)
    except LostClaim:
        logger.info("[sync] %s: taken over before it could stop", claim.repository.full_name)


def repository_sync_failed(*, repository_id: int, message_id: str, attempts: int) -> bool:
    """A message's retries ran out: end its run as failed, unless a newer run took over.

    Only the run that message began or resumed last is marked, and only while no live run
    holds the repository; a newer run (the user's Retry, the sweeper) is left alone.
    """
    now = timezone.now()
    rows = RepositorySync.objects.filter(
        pk=repository_id, message_id=message_id, status=Status.SYNCING
    ).filter(_free(now))
    reason = rows.values_list("error", flat=True).first() or "an unexpected error"
    error = f"The sync failed {attempts} times: {reason}"
    ended = rows.update(
        status=Status.ERROR,
        phase=Phase.IDLE,
        claim="",
        cursor="",
        resume_at=None,
        error=error,
        run_finished_at=now,
    )
    if ended:
        logger.warning("[sync] repository %s failed for good: %s", repository_id, error)
    else:
        logger.info("[sync] repository %s: a newer run holds it; left alone", repository_id)
    return bool(ended)


def repository_sync_resent(*, repository_ids: list[int]) -> None:
    """The sweeper sent these repositories' syncs again."""
    RepositorySync.objects.filter(pk__in=repository_ids).update(requested_at=timezone.now())
