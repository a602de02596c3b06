"""The sync state of a repository: who holds it, and how a run gives it up.

A run takes the repository with a conditional UPDATE (a random claim token); every later
write re-checks the token, so a worker presumed dead can never overwrite its successor.
"""

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tformance.pulls.models import TrackedRepository

logger = logging.getLogger("tformance.sync.repository")
Status = TrackedRepository.Status


def _free() -> Q:
    """Not held by a live run: no claim, or a heartbeat older than the stale limit."""
    stale = timezone.now() - dt.timedelta(seconds=settings.SYNC_CLAIM_STALE_SECONDS)
    return Q(sync_claim="") | Q(sync_heartbeat_at__isnull=True) | Q(sync_heartbeat_at__lt=stale)


class LostClaim(Exception):
    """Another worker took the repository over (this one was presumed dead)."""


def repository_claim(*, repository: TrackedRepository) -> str | None:
    """Take the repository for one sync run, or return None if another run holds it."""
    now = timezone.now()
    claim = uuid.uuid4().hex
    taken = (
        TrackedRepository.objects.filter(pk=repository.pk, is_active=True)
        .filter(_free())
        .update(
            sync_claim=claim,
            sync_status=Status.SYNCING,
            sync_heartbeat_at=now,
            sync_resume_at=None,
            last_sync_error="",
        )
    )
    return claim if taken else None


def update_claimed(repository: TrackedRepository, claim: str, **fields) -> None:
    fields.setdefault("sync_heartbeat_at", timezone.now())
    if not TrackedRepository.objects.filter(pk=repository.pk, sync_claim=claim).update(**fields):
        raise LostClaim(repository.full_name)
    for name, value in fields.items():
        setattr(repository, name, value)


def repository_sync_reset(*, repository: TrackedRepository) -> bool:
    """Abandon an interrupted run (its checkpoint) so that the next run starts afresh.

    Refused (False) while a live sync holds the repository.
    """
    reset = (
        TrackedRepository.objects.filter(pk=repository.pk)
        .filter(_free())
        .update(
            sync_cursor="", sync_watermark=None, sync_claim="", last_sync_finished_at=timezone.now()
        )
    )
    return bool(reset)


def repository_release(
    *,
    repository: TrackedRepository,
    claim: str,
    status: str | None = None,
    phase: str = "",
    error: str = "",
    resume_at: dt.datetime | None = None,
) -> None:
    """Give the repository up, recording why, so the next run (or the user) can act."""
    fields = {
        "sync_claim": "",
        "sync_phase": phase,
        "sync_resume_at": resume_at,
        "last_sync_error": error,
        "sync_heartbeat_at": timezone.now(),
    }
    if status:
        fields["sync_status"] = status
    if status == Status.ERROR:
        fields["last_sync_finished_at"] = timezone.now()
    TrackedRepository.objects.filter(pk=repository.pk, sync_claim=claim).update(**fields)
    if error:
        logger.warning("[sync] %s stopped: %s", repository.full_name, error)
    else:
        when = f" until {resume_at:%H:%M:%S} UTC" if resume_at else ""
        logger.info("[sync] %s paused: %s%s", repository.full_name, phase, when)


def repository_mark_failed(*, repository_id: int, error: str) -> None:
    """Mark a sync as failed for good (retries exhausted), whoever held it."""
    TrackedRepository.objects.filter(pk=repository_id).update(
        sync_status=Status.ERROR,
        sync_phase="",
        sync_claim="",
        sync_resume_at=None,
        last_sync_error=error,
        last_sync_finished_at=timezone.now(),
    )
