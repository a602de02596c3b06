"""Sync one repository's pull requests: history and increments in one resumable loop.

The loop walks the PRs most recently updated first, page by page, and stops at the run's
watermark: `now - days_back` for a first sync, the start of the last successful sync minus
an overlap afterwards, none for a full sync. After every page it checkpoints the cursor in
its own small transaction, so a killed sync resumes where it stopped.
"""

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from tformance.github.client import GitHubClient
from tformance.github.errors import GitHubError, RateLimited
from tformance.pulls.models import PullRequest, TrackedRepository
from tformance.sync.clients import github_client_for_team, pull_request_renames
from tformance.sync.errors import SyncError
from tformance.sync.people import team_member_ghost
from tformance.sync.state import (
    LostClaim,
    Status,
    repository_claim,
    repository_release,
    update_claimed,
)
from tformance.sync.writer import pull_request_write

logger = logging.getLogger(__name__)
# A live sync refreshes its heartbeat at least this often (and after every page), well
# inside SYNC_CLAIM_STALE_SECONDS, after which a silent sync counts as dead.
HEARTBEAT_SECONDS = 10


@dataclasses.dataclass
class SyncProgress:
    """What a sync has done so far; handed to `on_page` after every checkpoint."""

    repository: str
    pages: int = 0
    prs: int = 0  # fetched and written by this call
    skipped: int = 0  # already written by this run before it was interrupted
    reviews: int = 0
    commits: int = 0
    files: int = 0
    prs_total: int | None = None
    requests: int = 0
    points: int = 0
    points_remaining: int | None = None
    seconds: float = 0.0
    outcome: str = ""  # complete, skipped (another sync holds the repository)
    checkpointed: dict = dataclasses.field(default_factory=dict)


def _run_start(
    *, repository: TrackedRepository, claim: str, full: bool, since: dt.datetime | None
) -> None:
    """Begin a new run, or resume the last one if it was interrupted before it finished."""
    started, finished = repository.last_sync_started_at, repository.last_sync_finished_at
    if started and (finished is None or finished < started):
        logger.info("[sync] %s resuming after a checkpoint", repository.full_name)
        update_claimed(repository, claim, sync_phase="pull requests")
        return
    now = timezone.now()
    if full:
        watermark = None
    elif since is not None:
        watermark = since
    elif repository.last_synced_at:
        watermark = repository.last_synced_at - dt.timedelta(seconds=settings.SYNC_OVERLAP_SECONDS)
    else:
        watermark = now - dt.timedelta(days=repository.team.days_back)
    update_claimed(
        repository,
        claim,
        sync_phase="pull requests",
        sync_watermark=watermark,
        sync_prs_done=0,
        sync_prs_total=None,
        last_sync_started_at=now,
        last_sync_requests=0,
        last_sync_points=0,
    )


def _estimate_total(repository: TrackedRepository, *, done: int, oldest, total: int) -> int:
    """Estimate how many PRs the run will write, from how much of the window it covered."""
    watermark = repository.sync_watermark
    if watermark is None or oldest is None or done == 0:
        return total
    window = (repository.last_sync_started_at - watermark).total_seconds()
    covered = (repository.last_sync_started_at - oldest).total_seconds()
    if window <= 0 or covered <= 0:
        return total
    return max(done, min(total, round(done * window / covered)))


def repository_sync(
    *,
    repository: TrackedRepository,
    full: bool = False,
    client: GitHubClient | None = None,
    on_page: Callable[[SyncProgress], None] | None = None,
    max_seconds: float | None = None,
    since: dt.datetime | None = None,
    progress: SyncProgress | None = None,
) -> SyncProgress:
    """Sync the repository's PRs; every PR is written whole, every page checkpointed.

    Raises RateLimited (the caller waits or re-enqueues; the next call resumes), other
    GitHubErrors, and SyncError. Returns quietly if another run holds the repository.
    With `max_seconds`, it stops after the first page past that time with outcome
    "paused"; the next call resumes from the checkpoint. `since` replaces the watermark
    of a new run (an interrupted run keeps its own). A caller that passes a fresh
    `progress` can still read what this call wrote and spent after it raised.
    """
    if progress is None:
        progress = SyncProgress(repository=repository.full_name)
    claim = repository_claim(repository=repository)
    if claim is None:
        logger.info("[sync] %s is already being synced; skipping", repository.full_name)
        progress.outcome = "skipped"
        return progress
    repository.refresh_from_db()
    started = time.monotonic()
    usage_before = None
    try:
        client = client or github_client_for_team(team=repository.team)
        usage_before = client.usage
        _run_start(repository=repository, claim=claim, full=full, since=since)
        finished = _sync_pages(
            repository, claim, client, progress, on_page, started, usage_before, max_seconds
        )
        if not finished:
            repository_release(repository=repository, claim=claim, phase="continuing")
            progress.outcome = "paused"
            return progress
        update_claimed(
            repository,
            claim,
            sync_status=Status.COMPLETE,
            sync_phase="",
            sync_claim="",
            sync_cursor="",
            sync_prs_total=repository.sync_prs_done,
            last_synced_at=repository.last_sync_started_at,
            last_sync_finished_at=timezone.now(),
        )
    except LostClaim:
        logger.warning("[sync] %s was taken over by another worker", repository.full_name)
        progress.outcome = "skipped"
        return progress
    except RateLimited as exc:
        repository_release(
            repository=repository,
            claim=claim,
            phase="waiting for GitHub's rate limit",
            resume_at=exc.reset_at,
        )
        raise
    except (GitHubError, SyncError) as exc:
        permanent = getattr(exc, "permanent", True)
        repository_release(
            repository=repository,
            claim=claim,
            status=Status.ERROR if permanent else None,
            phase="" if permanent else "retrying after an error",
            error=str(exc),
        )
        raise
    except Exception as exc:
        repository_release(
            repository=repository,
            claim=claim,
            phase="retrying after an error",
            error=f"Unexpected error ({type(exc).__name__}): {exc}",
        )
        raise
    except BaseException:
        # Shutdown, a time limit, Ctrl-C: not an error; the next run resumes.
        repository_release(repository=repository, claim=claim, phase="interrupted")
        raise
    finally:
        if usage_before is not None:
            _count_usage(progress, client, usage_before, started)
    progress.outcome = "complete"
    return progress


def _sync_pages(
    repository, claim, client, progress, on_page, started, usage_before, max_seconds
) -> bool:
    """Write pages until the watermark or the last page (True), or until `max_seconds`."""
    owner, name = repository.owner_and_name
    watermark = repository.sync_watermark
    ghost_pk = team_member_ghost(team=repository.team).pk
    repository_beat = [time.monotonic()]
    pages = client.iter_pull_request_pages(owner, name, after=repository.sync_cursor or None)
    for page in pages:
        reached_watermark, oldest = False, None
        page_files = 0
        written = _written_this_run(repository, page)
        for record in page.pull_requests:
            if watermark is not None and record.updated_at < watermark:
                reached_watermark = True
                break
            oldest = record.updated_at
            if written.get(record.number) == record.updated_at:
                # Written whole by this run before an interruption (rate limit, crash)
                # and unchanged since: skipping it guarantees progress on resume.
                progress.skipped += 1
                continue
            record = client.complete_pull_request(owner, name, record)
            renames = pull_request_renames(client=client, owner=owner, name=name, record=record)
            pull_request_write(
                repository=repository, record=record, renames=renames, ghost_pk=ghost_pk
            )
            if time.monotonic() - repository_beat[0] > HEARTBEAT_SECONDS:
                update_claimed(repository, claim)  # a long page must not look stalled
                repository_beat[0] = time.monotonic()
            progress.prs += 1
            progress.reviews += len(record.reviews.items)
            progress.commits += len(record.commits.items)
            progress.files += len(record.files.items)
            page_files += len(record.files.items)
        progress.pages += 1
        _checkpoint(repository, claim, client, progress, page, oldest, usage_before, started)
        logger.info(
            "[sync] %s page %d: %d PRs, %d files, %s pts, %.1f PRs/s",
            repository.full_name,
            progress.pages,
            len(page.pull_requests),
            page_files,
            page.rate_limit.cost if page.rate_limit else "?",
            progress.prs / max(progress.seconds, 1e-6),
        )
        if on_page:
            on_page(progress)
        if reached_watermark or not page.has_next_page:
            return True
        if max_seconds is not None and progress.seconds > max_seconds:
            return False
    return True


def _written_this_run(repository: TrackedRepository, page) -> dict:
    """{number: updatedAt} of the page's PRs this run has already written."""
    return dict(
        PullRequest.objects.filter(
            repository=repository,
            number__in=[r.number for r in page.pull_requests],
            synced_at__gte=repository.last_sync_started_at,
        ).values_list("number", "github_updated_at")
    )


def _count_usage(progress, client, usage_before, started) -> None:
    usage = client.usage
    progress.requests = usage.requests - usage_before.requests
    progress.points = usage.graphql_points - usage_before.graphql_points
    progress.points_remaining = usage.graphql_remaining
    progress.seconds = time.monotonic() - started


def _checkpoint(repository, claim, client, progress, page, oldest, usage_before, started) -> None:
    _count_usage(progress, client, usage_before, started)
    # The repository's counters run from the run's start, across resumes; `progress`
    # counts this call only, so add what changed since the previous checkpoint.
    last = progress.checkpointed
    handled = progress.prs + progress.skipped
    done = repository.sync_prs_done + handled - last.get("handled", 0)
    requests = repository.last_sync_requests + progress.requests - last.get("requests", 0)
    points = repository.last_sync_points + progress.points - last.get("points", 0)
    progress.checkpointed = {
        "handled": handled,
        "requests": progress.requests,
        "points": progress.points,
    }
    progress.prs_total = (
        done
        if not page.has_next_page
        else _estimate_total(repository, done=done, oldest=oldest, total=page.total_count)
    )
    update_claimed(
        repository,
        claim,
        sync_cursor=page.end_cursor or repository.sync_cursor,
        sync_prs_done=done,
        sync_prs_total=progress.prs_total,
        last_sync_requests=requests,
        last_sync_points=points,
    )
