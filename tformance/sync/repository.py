"""Sync one repository's pull requests: history and increments in one resumable loop.

The loop walks the PRs most recently updated first, page by page, and stops at the run's
watermark: `now - days_back` for a first sync, the start of the last successful sync minus
an overlap afterwards, none for a full sync. After every page it checkpoints the cursor
(`state.run_checkpoint`), so an interrupted run resumes where it stopped. A resumed run
ends by catching up on the PRs that changed since it began (they moved above its
checkpoint while it waited), so a run that ends "complete" holds what GitHub holds.

While a page is written, the next ones are fetched on a thread (`sync.prefetch`): their PRs
whole, their long lists paged in batched follow-up queries, their renames looked up. Only
this thread writes to the database; what the fetch thread raised is raised when its page
is taken, so a checkpoint only ever passes pages that were written.
"""

import contextlib
import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import models

from tformance.github.client import GitHubClient
from tformance.github.errors import GitHubError, RateLimited
from tformance.github.types import Usage
from tformance.pulls.models import PullRequest, TrackedRepository
from tformance.sync.clients import github_client_for_team
from tformance.sync.errors import IncompletePullRequest, PullRequestChanging, SyncError
from tformance.sync.people import (
    PullRequestPeople,
    pull_request_people_upsert,
    team_member_ghost,
)
from tformance.sync.prefetch import (
    PAGES_AHEAD,
    Fetched,
    Prefetch,
    pages_fetched,
    wants_next,
)
from tformance.sync.state import (
    Claim,
    LostClaim,
    Phase,
    repository_claim,
    run_begin,
    run_checkpoint,
    run_complete,
    run_fail,
    run_pause,
)
from tformance.sync.writer import commits_not_flushed_first, pull_request_write

logger = logging.getLogger(__name__)


class Outcome(models.TextChoices):
    """How a call to `repository_sync` ended."""

    UNFINISHED = "", "Unfinished"  # it has not returned (or it raised)
    COMPLETE = "complete", "Complete"
    PAUSED = "paused", "Paused"  # a time slice ended; the next call resumes
    SKIPPED = "skipped", "Skipped"  # another run holds the repository


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
    outcome: Outcome = Outcome.UNFINISHED
    # Another sync was asked for while this one ran (the caller queues it).
    again: bool = False
    checkpointed: dict = dataclasses.field(default_factory=dict)


def _estimate_total(claim: Claim, *, done: int, oldest, total: int) -> int:
    """Estimate how many PRs the run will write, from how much of the window it covered."""
    row = claim.row
    if row.watermark is None or oldest is None or done == 0:
        return total
    window = (row.run_started_at - row.watermark).total_seconds()
    covered = (row.run_started_at - oldest).total_seconds()
    if window <= 0 or covered <= 0:
        return total
    return max(done, min(total, round(done * window / covered)))


def repository_sync(
    *,
    repository: TrackedRepository,
    full: bool = False,
    since: dt.datetime | None = None,
    client: GitHubClient | None = None,
    on_page: Callable[[SyncProgress], None] | None = None,
    max_seconds: float | None = None,
    progress: SyncProgress | None = None,
    message_id: str = "",
    retry_at: dt.datetime | None = None,
    final: bool = False,
) -> SyncProgress:
    """Sync the repository's PRs; every PR is written whole, every page checkpointed.

    Raises RateLimited (the caller waits or re-enqueues; the next call resumes), other
    GitHubErrors, and SyncError. Returns quietly if another run holds the repository.
    With `max_seconds`, it stops after the first page past that time with outcome
    PAUSED; the next call resumes from the checkpoint. `full` / `since` begin a new run
    with that watermark even if an interrupted one is open. A transient failure keeps the
    run open for a retry (due by `retry_at`), unless the caller says it is `final`. A
    caller that passes a fresh `progress` can still read what this call did after it raised.
    """
    if progress is None:
        progress = SyncProgress(repository=repository.full_name)
    claim = repository_claim(repository=repository, message_id=message_id)
    if claim is None:
        logger.info("[sync] %s is already being synced; skipping", repository.full_name)
        progress.outcome = Outcome.SKIPPED
        return progress
    usage = None
    try:
        started = time.monotonic()
        client = client or github_client_for_team(team=repository.team)
        usage = _Usage(client=client, before=client.usage, started=started)
        client.keep_alive(claim.beat)
        resumed = run_begin(claim, full=full, since=since)
        run = _Run(claim=claim, client=client, progress=progress, on_page=on_page, usage=usage)
        with commits_not_flushed_first():
            progress.outcome = run.to_end(resumed=resumed, max_seconds=max_seconds)
    except LostClaim:
        logger.warning("[sync] %s was taken over by another run", repository.full_name)
        progress.outcome = Outcome.SKIPPED
    except BaseException as exc:
        _run_stopped(claim, exc, retry_at=retry_at, final=final)
        raise
    finally:
        if usage is not None:
            client.keep_alive(None)
            usage.count(progress)
    return progress


def _run_stopped(
    claim: Claim, exc: BaseException, *, retry_at: dt.datetime | None, final: bool
) -> None:
    """Record why the run stopped: it waits for the rate limit or a retry (due by
    `retry_at`), it failed (a permanent error, or the `final` attempt), or it was
    interrupted."""
    if isinstance(exc, RateLimited):
        run_pause(claim, phase=Phase.RATE_LIMITED, resume_at=exc.reset_at)
    elif isinstance(exc, Exception):
        if isinstance(exc, (GitHubError, SyncError)):
            error, permanent = str(exc), exc.permanent
        else:
            error, permanent = f"Unexpected error ({type(exc).__name__}): {exc}", False
        if permanent or final:
            run_fail(claim, error=error)
        else:
            run_pause(claim, phase=Phase.RETRYING, resume_at=retry_at, error=error)
    else:
        # Shutdown, a time limit, Ctrl-C: not an error; the next run resumes.
        run_pause(claim, phase=Phase.INTERRUPTED)


@dataclasses.dataclass(frozen=True)
class _Usage:
    """What the client had spent when this call began, to count what the call spends."""

    client: GitHubClient
    before: Usage
    started: float  # time.monotonic()

    def count(self, progress: SyncProgress) -> None:
        usage = self.client.usage
        progress.requests = usage.requests - self.before.requests
        progress.points = usage.graphql_points - self.before.graphql_points
        progress.points_remaining = usage.graphql_remaining
        progress.seconds = time.monotonic() - self.started


@dataclasses.dataclass
class _Run:
    """One call's walk over the pages of a run: what each of its steps works with."""

    claim: Claim
    client: GitHubClient
    progress: SyncProgress
    on_page: Callable[[SyncProgress], None] | None
    usage: _Usage

    def __post_init__(self) -> None:
        self.repository = self.claim.repository
        self.owner, self.name = self.repository.owner_and_name
        self.ghost_pk = team_member_ghost(team=self.repository.team).pk
        self.people: PullRequestPeople | None = None  # the current page's
        self.resumed = False  # a new run has written nothing yet

    def to_end(self, *, resumed: bool, max_seconds: float | None) -> Outcome:
        """Walk the run to its end (complete), or until the time slice ends (paused)."""
        self.resumed = resumed
        if not self.walk(max_seconds=max_seconds):
            run_pause(self.claim, phase=Phase.CONTINUING)
            return Outcome.PAUSED
        if resumed:
            self.catch_up()
        self.progress.again = run_complete(self.claim)
        return Outcome.COMPLETE

    def catch_up(self) -> None:
        """Write the PRs that changed since the run began: they moved above its checkpoints.

        Once per resumed run, after its walk; an interruption here resumes into the walk's
        last page, then catches up again (PRs written and unchanged since are skipped).
        """
        row = self.claim.row
        floor = row.run_started_at - dt.timedelta(seconds=settings.SYNC_OVERLAP_SECONDS)
        with self._prefetch(after=None, floor=floor) as pages:
            while (fetched := pages.take()) is not None:
                page, whole = fetched
                if wants_next(page, floor=floor):
                    pages.fetch()
                reached, _ = self._write_page(page, whole, pages, floor=floor)
                self._checkpoint(page, oldest=None, cursor=None)
                if reached or not page.has_next_page:
                    return

    def walk(self, *, max_seconds: float | None) -> bool:
        """Write pages from the checkpoint down to the watermark (True), or until `max_seconds`."""
        row = self.claim.row
        deadline = None if max_seconds is None else self.usage.started + max_seconds
        with self._prefetch(
            after=row.cursor or None, floor=row.watermark, deadline=deadline
        ) as pages:
            while (fetched := pages.take()) is not None:
                page, whole = fetched
                if wants_next(page, floor=row.watermark, deadline=deadline):
                    pages.fetch()  # while this page is written
                reached, oldest = self._write_page(page, whole, pages, floor=row.watermark)
                self.progress.pages += 1
                self._checkpoint(page, oldest=oldest, cursor=page.end_cursor)
                logger.info(
                    "[sync] %s page %d: %d PRs, %s pts, %.1f PRs/s",
                    self.repository.full_name,
                    self.progress.pages,
                    len(page.pull_requests),
                    page.rate_limit.cost if page.rate_limit else "?",
                    self.progress.prs / max(self.progress.seconds, 1e-6),
                )
                if self.on_page:
                    self.on_page(self.progress)
                if reached or not page.has_next_page:
                    return True
                if max_seconds is not None and self.progress.seconds > max_seconds:
                    return False
        return True

    @contextlib.contextmanager
    def _prefetch(
        self, *, after: str | None, floor, deadline: float | None = None
    ) -> Iterator[Prefetch[Fetched]]:
        """The pages from `after`, each fetched on a thread while the one before is written
        (and pages ahead of it while its long lists are completed, not past `floor` or,
        once the time slice ends at `deadline`, time.monotonic(), past the page it is on).

        While they are, the client's keep-alive beats on this thread only (`Prefetch`).
        """
        row = self.claim.row
        # Read here, on this thread: the fetch thread must not touch the database. A new
        # run (not a backfill) has written nothing yet, so it has nothing to skip.
        stored = {}
        if self.resumed or row.backfill:
            stored = _stored_unchanged(
                self.repository, since=None if row.backfill else row.run_started_at, floor=floor
            )
        fetched = pages_fetched(
            self.client,
            self.owner,
            self.name,
            after=after,
            floor=floor,
            stored=stored,
            deadline=deadline,
        )
        pages = Prefetch(
            fetched,
            beat=self.claim.beat,
            goes_on=lambda item: wants_next(item[0], floor=floor, deadline=deadline),
            ahead=PAGES_AHEAD,
        )
        self.client.keep_alive(pages.keep_alive)
        try:
            with pages:
                yield pages
        finally:
            self.client.keep_alive(self.claim.beat)

    def _write_page(
        self, page, whole: dict, pages: Prefetch, *, floor
    ) -> tuple[bool, dt.datetime | None]:
        """Write the page's PRs updated at or after `floor`; (reached the floor, oldest written)."""
        row = self.claim.row
        # Written whole by this run before an interruption (rate limit, crash) and unchanged
        # since: skipping them guarantees progress on resume. A backfill skips every PR
        # stored unchanged: it only fetches the history that is missing.
        stored = _stored_unchanged(
            self.repository,
            since=None if row.backfill else row.run_started_at,
            numbers=[r.number for r in page.pull_requests],
        )
        oldest, todo, reached = None, [], False
        for record in page.pull_requests:
            if floor is not None and record.updated_at < floor:
                reached = True
                break
            oldest = record.updated_at
            if stored.get(record.number) == record.updated_at:
                self.progress.skipped += 1
                continue
            todo.append(record)
        # The page's people in one go before its PRs; a PR's own later pages may add some.
        self.people = pull_request_people_upsert(
            people=PullRequestPeople(team=self.repository.team, ghost_pk=self.ghost_pk),
            records=todo,
        )
        for record in todo:
            record = self._write_whole(record, whole.get(record.number), pages)
            self.claim.beat()
            self.progress.prs += 1
            self.progress.reviews += len(record.reviews.items)
            self.progress.commits += len(record.commits.items)
            self.progress.files += len(record.files.items)
        return reached, oldest

    def _write_whole(self, record, whole, pages: Prefetch):
        """Write the PR, `whole` as the fetch thread fetched it (or fetched here if it did
        not); read it again whole if it moved. While the fetch thread fetches the client
        is its own: this thread waits for it before asking GitHub anything."""
        client, owner, name = self.client, self.owner, self.name
        if whole is None:
            pages.idle()
            (whole,) = client.complete_pull_requests(owner, name, [record])
        try:
            return self._write(whole)
        except IncompletePullRequest as first:
            # GitHub changed the PR between two pages of its lists (a review landed):
            # read it again in one go; only a PR that keeps changing waits for a retry.
            logger.info("[sync] %s; reading it again", first)
            pages.idle()
            record = client.get_pull_request(owner, name, record.number)
            try:
                return self._write(record)
            except IncompletePullRequest as second:
                raise PullRequestChanging(
                    f"{second} It kept changing on GitHub while it was read."
                ) from second

    def _write(self, record):
        _, self.people = pull_request_write(
            repository=self.repository, record=record, people=self.people
        )
        return record

    def _checkpoint(self, page, *, oldest, cursor) -> None:
        progress, row = self.progress, self.claim.row
        self.usage.count(progress)
        # The run's counters run from its start, across resumes; `progress` counts this
        # call only, so add what changed since the previous checkpoint.
        last = progress.checkpointed
        requests = row.requests + progress.requests - last.get("requests", 0)
        points = row.points + progress.points - last.get("points", 0)
        progress.checkpointed = {"requests": progress.requests, "points": progress.points}
        done = PullRequest.objects.filter(
            repository=self.repository, synced_at__gte=row.run_started_at
        ).count()
        if cursor is None:
            total = max(row.prs_total or 0, done)
        elif not page.has_next_page:
            total = done
        else:
            total = _estimate_total(self.claim, done=done, oldest=oldest, total=page.total_count)
        progress.prs_total = total
        run_checkpoint(
            self.claim, cursor=cursor, done=done, total=total, requests=requests, points=points
        )


def _stored_unchanged(
    repository: TrackedRepository, *, since, numbers: list[int] | None = None, floor=None
) -> dict:
    """{number: updatedAt} of the stored PRs (written since `since`, if given; of `numbers`,
    or updated at or after `floor`, if given)."""
    rows = PullRequest.objects.filter(repository=repository)
    if numbers is not None:
        rows = rows.filter(number__in=numbers)
    if since is not None:
        rows = rows.filter(synced_at__gte=since)
    if floor is not None:
        rows = rows.filter(github_updated_at__gte=floor)
    return dict(rows.values_list("number", "github_updated_at"))
