"""The operator's sync tool: run syncs in the foreground with progress, or enqueue them."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tformance.github.errors import GitHubError, RateLimited
from tformance.pulls.models import TrackedRepository
from tformance.sync.errors import SyncError
from tformance.sync.repository import Outcome, SyncProgress, repository_sync
from tformance.sync.selectors import repository_sync_hold
from tformance.sync.services import repository_sync_enqueue
from tformance.sync.state import repository_sync_request

COLUMNS = ["prs", "reviews", "commits", "files", "requests", "points"]
LABELS = ["PRs", "Reviews", "Commits", "Files", "Requests", "Points", "Seconds"]


class Command(BaseCommand):
    help = "Sync tracked repositories from GitHub (in the foreground, or --enqueue for workers)."

    def add_arguments(self, parser):
        parser.add_argument("--team", help="only this team (slug)")
        parser.add_argument("--repo", action="append", default=[], metavar="OWNER/NAME")
        parser.add_argument("--days-back", type=int, help="re-read this many days of history")
        parser.add_argument("--full", action="store_true", help="ignore the watermark")
        parser.add_argument("--enqueue", action="store_true", help="hand the work to workers")
        parser.add_argument(
            "--wait",
            type=int,
            default=15 * 60,
            metavar="SECONDS",
            help="how long to wait for another live sync of a repository (default 900)",
        )

    def handle(self, *args, team=None, repo=(), days_back=None, full=False, enqueue=False, **kw):
        repositories = self._select(team=team, names=repo)
        since = timezone.now() - dt.timedelta(days=days_back) if days_back else None
        console = Console(file=self.stdout._out, width=110)
        if enqueue:
            for repository in repositories:
                repository_sync_enqueue(repository=repository, full=full, since=since)
                console.print(f"queued {repository.team.slug}: {repository.full_name}")
            return
        results = []
        for repository in repositories:
            # Recorded first: should this process die, the run it began is resumed by the
            # next `resync` or, with workers, by the sweeper.
            repository_sync_request(repository=repository, full=full, since=since)
            results.append(self._sync_one(repository, console=console, wait=kw["wait"]))
        console.print(self._summary(results))
        failed = [r for r, _, error in results if error]
        if failed:
            raise CommandError(f"{len(failed)} of {len(results)} repositories failed.")

    def _select(self, *, team, names) -> list[TrackedRepository]:
        qs = TrackedRepository.objects.filter(is_active=True).select_related("team")
        if team:
            qs = qs.filter(team__slug=team)
        if names:
            qs = qs.filter(full_name__in=names)
            missing = set(names) - set(qs.values_list("full_name", flat=True))
            if missing:
                raise CommandError(f"Not tracked: {', '.join(sorted(missing))}")
        repositories = list(qs.order_by("team__slug", "full_name"))
        if not repositories:
            raise CommandError("No tracked repositories match.")
        return repositories

    def _sync_one(self, repository, *, console, wait):
        total = SyncProgress(repository=repository.full_name)
        started = time.monotonic()
        give_up_at = started + wait
        columns = [
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} PRs"),
            TextColumn("{task.fields[points]}"),
            TimeElapsedColumn(),
        ]
        with Progress(*columns, console=console) as bar:
            task = bar.add_task(repository.full_name, total=None, points="")
            runs: list[SyncProgress] = []  # one per call; a rate limit splits the run

            def on_page(p: SyncProgress) -> None:
                left = f"{p.points_remaining} pts left" if p.points_remaining is not None else ""
                done = sum(r.prs for r in runs)  # `p` is the last of them
                bar.update(task, completed=done, total=p.prs_total, points=left)

            while True:
                # A fresh progress per call, kept even when the call raises: the PRs it
                # wrote before a rate limit count, and the next call skips them.
                runs.append(SyncProgress(repository=repository.full_name))
                try:
                    progress = repository_sync(
                        repository=repository, on_page=on_page, progress=runs[-1], final=True
                    )
                except RateLimited as exc:
                    self._wait_for_reset(bar, task, repository, exc.reset_at)
                    continue
                except (GitHubError, SyncError) as exc:
                    error = str(exc)
                    break
                if progress.outcome != Outcome.SKIPPED:
                    done = sum(r.prs for r in runs)
                    bar.update(task, completed=done, total=done)
                    error = ""
                    break
                error = self._wait_for_claim(bar, task, repository, give_up_at, console)
                if error:
                    break
            for run in runs:
                for column in COLUMNS:
                    setattr(total, column, getattr(total, column) + getattr(run, column))
        total.seconds = time.monotonic() - started
        if error:
            console.print(f"[red]✗ {repository.full_name}: {error}[/red]")
        return repository, total, error

    def _wait_for_claim(self, bar, task, repository, give_up_at, console) -> str:
        """Wait while another live run holds the repository; an error once out of time."""
        hold = repository_sync_hold(repository=repository)
        if hold is None:
            return ""  # it just became free: try again at once
        if time.monotonic() + hold.stale_in > give_up_at:
            return f"is being synced by {hold.holder} right now; try later (or pass --wait)."
        console.print(
            f"{repository.full_name} is held by {hold.holder} (last heartbeat "
            f"{hold.heartbeat_age:.0f} s ago): taking over in {hold.stale_in:.0f} s unless it "
            "beats again."
        )
        deadline = time.monotonic() + hold.stale_in
        while (left := deadline - time.monotonic()) > 0:
            bar.update(
                task, description=f"{repository.full_name} (held: taking over in {left:.0f} s)"
            )
            time.sleep(min(1.0, left))
        bar.update(task, description=repository.full_name)
        return ""

    def _wait_for_reset(self, bar, task, repository, reset_at) -> None:
        """Wait out GitHub's rate limit, counting down on the bar; the sync then resumes."""
        # GitHub's reset time is rounded down to the second: wait at least one more.
        reset_at = max(reset_at, timezone.now()) + dt.timedelta(seconds=1)
        while (left := (reset_at - timezone.now()).total_seconds()) > 0:
            bar.update(task, description=f"{repository.full_name} (rate limited: {left:.0f} s)")
            time.sleep(min(1.0, left))
        bar.update(task, description=repository.full_name)

    def _summary(self, results) -> Table:
        table = Table(title="Sync summary")
        table.add_column("Repository")
        table.add_column("Result")
        for label in LABELS:
            table.add_column(label, justify="right")
        for repository, total, error in results:
            table.add_row(
                f"{repository.team.slug}: {repository.full_name}",
                "failed" if error else "ok",
                *(str(getattr(total, c)) for c in COLUMNS),
                f"{total.seconds:.1f}",
            )
        return table
