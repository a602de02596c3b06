"""Reads of sync state: what a repository's sync is doing, in the words every page uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery
from django.utils import timezone

from tformance.metrics.formatting import count_text
from tformance.pulls.models import PullRequest, TrackedRepository
from tformance.sync.models import RepositorySync
from tformance.teams.models import Team

Status = RepositorySync.Status
Phase = RepositorySync.Phase


class Activity(models.TextChoices):
    """What the wizard, the settings page and the dashboard say a repository is doing."""

    QUEUED = "pending", "Queued"
    SYNCING = "syncing", "Syncing"
    WAITING = "waiting", "Waiting for GitHub's rate limit"
    RETRYING = "retrying", "Retrying after an error"
    STALLED = "stalled", "This sync may have stalled"
    COMPLETE = "complete", "Complete"
    FAILED = "error", "Sync failed"


FINISHED = (Activity.COMPLETE, Activity.FAILED)


@dataclass(frozen=True)
class ImportedHistory:
    """How far back one repository's stored history reaches."""

    repository_id: int
    full_name: str
    since: dt.datetime | None  # every PR updated since is stored; None: every PR


@dataclass(frozen=True)
class RepositoryState:
    """One repository's sync, as shown to the user."""

    id: int
    full_name: str
    status: Activity
    label: str
    detail: str
    error: str
    prs_done: int  # written by the current (or last) run
    prs_total: int | None  # the current run's estimate
    stored: int | None  # PRs of the repository in the database (None: not counted)
    last_synced_at: dt.datetime | None
    can_retry: bool
    can_skip: bool
    history: ImportedHistory | None = None  # None until a sync has completed

    @property
    def percent(self) -> int | None:
        if not self.prs_total:
            return 100 if self.status == Activity.COMPLETE else None
        return min(100, round(100 * self.prs_done / self.prs_total))

    @property
    def counts(self) -> str:
        """What the repository holds, e.g. "1,240 PRs" ("" when not counted)."""
        return "" if self.stored is None else _prs(self.stored)

    @property
    def is_under_way(self) -> bool:
        """Queued, running, waiting or stalled: not yet ended."""
        return not self.is_finished

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "full_name": self.full_name,
            "status": self.status.value,
            "label": self.label,
            "detail": self.detail,
            "prs_done": self.prs_done,
            "prs_total": self.prs_total,
            "stored": self.stored,
            "counts": self.counts,
            "percent": self.percent,
            "can_retry": self.can_retry,
            "can_skip": self.can_skip,
        }


def _prs(n: int) -> str:
    return f"{count_text(n)} PR{'' if n == 1 else 's'}"


def _progress_text(row: RepositorySync) -> str:
    done, total = count_text(row.prs_done), row.prs_total
    return f"{done} / {_prs(total)} synced" if total is not None else f"{_prs(row.prs_done)} synced"


def _last_run_text(row: RepositorySync, stored: int | None) -> str:
    """What a completed sync holds and what its last run brought."""
    did = "older ones imported" if row.backfill else "updated"
    changed = f"{count_text(row.prs_done)} {did}" if row.prs_done else f"none {did}"
    if stored is None:
        return f"{changed[0].upper()}{changed[1:]} in the last sync"
    return f"{_prs(stored)} · {changed} in the last sync"


def _at(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M} UTC"


def _describe(
    row: RepositorySync, now: dt.datetime, stored: int | None
) -> tuple[Activity, str, str]:
    """(activity, label, detail) of one sync row."""
    if row.status == Status.COMPLETE:
        return Activity.COMPLETE, Activity.COMPLETE.label, _last_run_text(row, stored)
    if row.status == Status.ERROR:
        return Activity.FAILED, Activity.FAILED.label, row.error or "The sync failed."
    if row.status == Status.PENDING:
        if row.requested_backfill:
            return Activity.QUEUED, "Queued: extending the history", "Waiting for a worker."
        return Activity.QUEUED, Activity.QUEUED.label, "Waiting for a worker to start the sync."
    # SYNCING: a run is open, held by a live run or waiting for the next one.
    if row.phase == Phase.RATE_LIMITED and row.resume_at and row.resume_at > now:
        return (
            Activity.WAITING,
            Activity.WAITING.label,
            f"{_progress_text(row)}. Resumes at {_at(row.resume_at)}.",
        )
    if row.phase == Phase.RETRYING and not row.claim:
        when = f" It will be retried by {_at(row.resume_at)}." if row.resume_at else ""
        reason = (row.error or "GitHub had a problem").rstrip(".")
        return Activity.RETRYING, Activity.RETRYING.label, f"{reason}.{when}"
    if row.phase in (Phase.CONTINUING, Phase.INTERRUPTED) and not row.claim:
        return Activity.QUEUED, "Queued to continue", f"{_progress_text(row)}. It resumes here."
    stall_limit = now - dt.timedelta(seconds=settings.SYNC_STALL_SECONDS)
    if row.heartbeat_at is None or row.heartbeat_at < stall_limit:
        detail = f"{_progress_text(row)}. No progress for over {settings.SYNC_STALL_SECONDS} s."
        return Activity.STALLED, Activity.STALLED.label, detail
    if row.backfill:
        label = "Extending the history"
    elif row.phase == Phase.PULL_REQUESTS:
        label = f"Syncing {Phase(row.phase).label}"
    else:
        label = "Syncing"
    return Activity.SYNCING, label, _progress_text(row)


# Retry is offered wherever a new message could help; Skip wherever the user may give up.
_CAN_RETRY = {Activity.QUEUED, Activity.RETRYING, Activity.STALLED, Activity.FAILED}
_CAN_SKIP = {Activity.QUEUED, Activity.STALLED, Activity.FAILED}


def repository_sync_state(
    *,
    repository: TrackedRepository,
    now: dt.datetime | None = None,
    stored: int | None = None,
    counted: bool = True,
) -> RepositoryState:
    """The honest state of one repository's sync, from the database alone.

    `stored` (its number of PRs) saves a query when the caller counted them already;
    `counted=False` leaves them uncounted.
    """
    now = now or timezone.now()
    try:
        row = repository.sync
    except RepositorySync.DoesNotExist:
        row = RepositorySync(repository=repository, team_id=repository.team_id)
    if stored is None and counted:
        stored = repository.pull_requests.count()
    activity, label, detail = _describe(row, now, stored)
    return RepositoryState(
        id=repository.pk,
        full_name=repository.full_name,
        status=activity,
        label=label,
        detail=detail,
        error=row.error,
        prs_done=row.prs_done,
        prs_total=row.prs_total,
        stored=stored,
        last_synced_at=row.last_synced_at,
        can_retry=activity in _CAN_RETRY,
        can_skip=activity in _CAN_SKIP,
        history=_history(row, repository),
    )


def _history(row: RepositorySync, repository: TrackedRepository) -> ImportedHistory | None:
    """How far back the stored history reaches, once a sync has completed."""
    if not (row.history_all or row.history_from is not None):
        return None
    return ImportedHistory(
        repository_id=repository.pk,
        full_name=repository.full_name,
        since=None if row.history_all else row.history_from,
    )


def _stored_count() -> Subquery:
    """A repository's number of stored PRs: a scalar subquery on its own index, not a join."""
    prs = (
        PullRequest.objects.filter(repository=OuterRef("pk"))
        .order_by()
        .annotate(c=Func(F("pk"), function="COUNT"))
        .values("c")
    )
    return Subquery(prs, output_field=IntegerField())


def team_sync_states(*, team: Team, counted: bool = True) -> list[RepositoryState]:
    """Every active repository of the team, with what its sync is doing (and, unless not
    `counted`, how many PRs it holds: a count over each repository's PRs)."""
    now = timezone.now()
    repositories = TrackedRepository.objects.filter(team=team, is_active=True).select_related(
        "sync"
    )
    if not counted:
        return [repository_sync_state(repository=r, now=now, counted=False) for r in repositories]
    repositories = repositories.annotate(stored=_stored_count())
    return [repository_sync_state(repository=r, now=now, stored=r.stored) for r in repositories]


def team_history_imported(*, team: Team) -> bool:
    """Whether the team tracks repositories and each has completed a sync at least once."""
    repositories = TrackedRepository.objects.filter(team=team, is_active=True)
    return (
        repositories.exists()
        and not repositories.filter(
            Q(sync__isnull=True) | Q(sync__last_synced_at__isnull=True)
        ).exists()
    )


def repository_sync_wanted(*, repository: TrackedRepository) -> bool:
    """Whether a queued message should run: a sync was asked for, or a run is open."""
    status = RepositorySync.objects.filter(pk=repository.pk).values_list("status", flat=True)
    return status.first() in (None, Status.PENDING, Status.SYNCING)


def repositories_to_resend(*, now: dt.datetime | None = None) -> list[int]:
    """Active repositories whose sync message was probably lost (broker or web restart).

    Pending, or an open run that nobody holds, with nothing sent, beaten or due for over
    SYNC_SWEEP_SECONDS.
    """
    now = now or timezone.now()
    old = now - dt.timedelta(seconds=settings.SYNC_SWEEP_SECONDS)
    stale = now - dt.timedelta(seconds=settings.SYNC_CLAIM_STALE_SECONDS)
    not_sent_lately = Q(requested_at__isnull=True) | Q(requested_at__lt=old)
    unheld = Q(claim="") | Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale)
    quiet = Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=old)
    not_due = Q(resume_at__isnull=True) | Q(resume_at__lt=old)
    pending = Q(status=Status.PENDING)
    open_run = Q(status=Status.SYNCING) & quiet & not_due
    rows = RepositorySync.objects.filter(
        not_sent_lately, unheld, pending | open_run, repository__is_active=True
    )
    return list(rows.order_by("pk").values_list("pk", flat=True))


def repository_sync_never_started(*, repository: TrackedRepository) -> bool:
    """True until the repository's first sync has completed or is running."""
    row = RepositorySync.objects.filter(pk=repository.pk).values("last_synced_at", "status")
    first = row.first()
    return first is None or (first["last_synced_at"] is None and first["status"] != Status.SYNCING)


@dataclass(frozen=True)
class Hold:
    """Who holds a repository's sync, and when that hold goes stale."""

    holder: str
    heartbeat_age: float
    stale_in: float


def repository_sync_hold(*, repository: TrackedRepository) -> Hold | None:
    """The live run holding the repository, or None when it is free."""
    row = RepositorySync.objects.filter(pk=repository.pk).exclude(claim="").first()
    if row is None or row.heartbeat_at is None:
        return None
    age = (timezone.now() - row.heartbeat_at).total_seconds()
    stale_in = settings.SYNC_CLAIM_STALE_SECONDS - age
    if stale_in < 0:
        return None
    return Hold(holder=row.claimed_by or "an unknown process", heartbeat_age=age, stale_in=stale_in)


def imported_history(
    *, team: Team, repository_ids=(), states: list[RepositoryState] | None = None
) -> list[ImportedHistory]:
    """The imported history of the team's active repositories (or of `repository_ids`),
    for those with at least one completed sync; from `states` (`team_sync_states`) when
    the caller has them."""
    if states is not None:
        return [
            s.history
            for s in states
            if s.history is not None and (not repository_ids or s.id in repository_ids)
        ]
    rows = (
        RepositorySync.objects.filter(team=team, repository__is_active=True)
        .filter(Q(history_all=True) | Q(history_from__isnull=False))
        .select_related("repository")
        .order_by("repository__full_name")
    )
    if repository_ids:
        rows = rows.filter(pk__in=repository_ids)
    return [
        ImportedHistory(
            repository_id=r.pk,
            full_name=r.repository.full_name,
            since=None if r.history_all else r.history_from,
        )
        for r in rows
    ]


def history_start(
    *, team: Team, repository_ids=(), states: list[RepositoryState] | None = None
) -> dt.datetime | None:
    """From when the history of every selected repository is imported; None: from its start."""
    found = imported_history(team=team, repository_ids=repository_ids, states=states)
    return max((h.since for h in found if h.since), default=None)
