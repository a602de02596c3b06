"""Benchmark a team's repositories synced in parallel by real Dramatiq workers.

    python bench/parallel_bench.py --prs 600 --latency-ms 25 --threads 1 4

Starts the sandbox in its own process with a generated 6-repository organisation, connects
a team to it, and for each run starts `manage.py rundramatiq --processes 1 --threads N`
against Redis and PostgreSQL, enqueues the team's full sync (`sync_team`, as the web app
does), and waits until every repository is complete. Each run starts from an empty team.
A last run gives the token a GraphQL budget per (short) window of half what the workers
spend in one without a limit, so they must pause together at GitHub's reset again and
again: it shows the rate limit respected (how many requests the sandbox refused).

Prints one table and writes bench/results/parallel.json:
{"runs": {"1 thread": {"seconds", "prs", "requests", "points", "rate_limited_requests", ...}}}
Uses DATABASE_URL (default: a `tformance_bench` database on the local PostgreSQL), which
it migrates and empties first, and --redis-url for the broker and the shared budgets.
"""

import argparse
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.common import django_setup_on_empty_database  # noqa: E402
from bench.sync_bench import DEFAULT_DB, SandboxProcess, connect_team  # noqa: E402

RESULTS = ROOT / "bench" / "results"
# The workers and this process must read the same encrypted token.
KEYS = {"SECRET_KEY": "bench-secret-key", "CRYPTOGRAPHY_KEY": "bench-cryptography-key"}


class Worker:
    """`manage.py rundramatiq` in its own process group, logging to a file."""

    def __init__(self, *, threads: int, env: dict[str, str], log: Path) -> None:
        self.log_path = log
        self.log = open(log, "wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "rundramatiq",
                "--processes",
                "1",
                "--threads",
                str(threads),
                "--worker-shutdown-timeout",
                "5000",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while "is ready for action" not in self.logs():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start:\n{self.logs()[-3000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.log.close()


def team_empty(team) -> None:
    """Forget what earlier runs synced, so that each run syncs the whole history."""
    from tformance.pulls.models import PullRequest, TeamMember
    from tformance.sync.models import RepositorySync

    PullRequest.objects.filter(team=team).delete()
    RepositorySync.objects.filter(team=team).delete()
    TeamMember.objects.filter(team=team).delete()


def budgets_forget(broker) -> None:
    """Each run starts knowing nothing of the token's rate limit, like a fresh deployment."""
    from tformance.github.budget import PREFIX

    keys = list(broker.client.scan_iter(f"{PREFIX}:*"))
    if keys:
        broker.client.delete(*keys)


def team_sync_send(team, broker) -> None:
    """What `team_sync_enqueue` does, with the message sent to the workers' Redis."""
    import dramatiq

    from tformance.pulls.models import TrackedRepository
    from tformance.sync.state import repository_sync_request

    for repository in TrackedRepository.objects.filter(team=team, is_active=True):
        repository_sync_request(repository=repository, full=True)
    broker.enqueue(
        dramatiq.Message(
            queue_name="default",
            actor_name="sync_team",
            args=(),
            kwargs={"team_id": team.pk, "full": True},
            options={},
        )
    )


def wait_complete(team, worker: Worker, *, timeout: float) -> None:
    from tformance.pulls.models import TrackedRepository
    from tformance.sync.models import RepositorySync

    wanted = TrackedRepository.objects.filter(team=team, is_active=True).count()
    deadline = time.monotonic() + timeout
    while True:
        statuses = list(RepositorySync.objects.filter(team=team).values_list("status", flat=True))
        if len(statuses) == wanted and set(statuses) == {RepositorySync.Status.COMPLETE}:
            return
        if RepositorySync.Status.ERROR in statuses:
            errors = list(RepositorySync.objects.filter(team=team).values_list("error", flat=True))
            raise RuntimeError(f"a sync failed: {[e for e in errors if e]}")
        if time.monotonic() > deadline or worker.process.poll() is not None:
            raise RuntimeError(f"the syncs did not finish:\n{worker.logs()[-3000:]}")
        time.sleep(0.05)


def run_once(team, sandbox, broker, *, threads: int, env: dict, faults: dict, log: Path) -> dict:
    from tformance.pulls.models import PullRequest

    team_empty(team)
    broker.flush_all()
    budgets_forget(broker)
    sandbox.control("faults", faults)
    worker = Worker(threads=threads, env=env, log=log)
    try:
        worker.wait_ready()
        sandbox.control("stats/reset", {})
        started = time.perf_counter()
        team_sync_send(team, broker)
        wait_complete(team, worker, timeout=600)
        seconds = time.perf_counter() - started
    finally:
        worker.stop()
    stats = sandbox.control("stats")
    logs = log.read_text(errors="replace")
    return {
        "threads": threads,
        "seconds": round(seconds, 2),
        "prs": PullRequest.objects.filter(team=team).count(),
        "requests": stats["total_requests"],
        "points": stats["graphql_points"],
        "rate_limited_requests": stats["primary_limited_graphql"]
        + stats["primary_limited_rest"]
        + stats["secondary_limited"],
        "pauses_for_the_rate_limit": logs.count("waits for GitHub's rate limit"),
        "graphql_budget": faults["graphql_budget"],
        "window_seconds": faults["window_seconds"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prs", type=int, default=600, help="PRs in the generated org")
    parser.add_argument("--repos", type=int, default=6)
    parser.add_argument("--latency-ms", type=int, default=25)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4])
    parser.add_argument(
        "--shape",
        default="real",
        help="the sandbox generator's shape (`real`: a real-shaped history, where available)",
    )
    parser.add_argument("--window-seconds", type=int, default=5, help="of the small budget")
    parser.add_argument("--sandbox-port", type=int, default=8797)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DB)
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    )
    parser.add_argument("--json", type=Path, default=RESULTS / "parallel.json")
    args = parser.parse_args()

    for name, value in KEYS.items():
        os.environ.setdefault(name, value)
    django_setup_on_empty_database(args.database_url)
    from django.conf import settings
    from dramatiq.brokers.redis import RedisBroker

    shape = () if args.shape == "default" else ("--shape", args.shape)
    sandbox = SandboxProcess(prs=args.prs, repos=args.repos, port=args.sandbox_port, args=shape)
    broker = RedisBroker(url=args.redis_url)
    runs: dict[str, dict] = {}
    try:
        settings.GITHUB_URL = settings.GITHUB_API_URL = sandbox.url
        team = connect_team(sandbox)
        env = {
            **os.environ,
            **{name: os.environ[name] for name in KEYS},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "LOG_LEVEL": "INFO",
            "DATABASE_URL": args.database_url,
            "REDIS_URL": args.redis_url,
            "GITHUB_URL": sandbox.url,
            "GITHUB_API_URL": sandbox.url,
        }
        generous = {
            "latency_ms": args.latency_ms,
            "graphql_budget": 1_000_000,
            "window_seconds": 3600,
        }
        log_dir = Path(tempfile.mkdtemp(prefix="parallel-bench-"))
        print(f"worker logs in {log_dir}", flush=True)
        for threads in args.threads:
            name = f"{threads} thread{'s' if threads > 1 else ''}"
            print(f"running: {name}", flush=True)
            runs[name] = run_once(
                team,
                sandbox,
                broker,
                threads=threads,
                env=env,
                faults=generous,
                log=log_dir / f"{threads}-threads.log",
            )
        # Each window gives half of what the workers spent per window without a limit, so
        # the budget runs out in every window however fast the machine is; the workers
        # keep a reserve of one point per thread for the requests they have in flight.
        threads = max(args.threads)
        reserve = threads
        free = runs[f"{threads} thread{'s' if threads > 1 else ''}"]
        per_window = free["points"] * args.window_seconds / free["seconds"]
        small = {
            **generous,
            "graphql_budget": reserve + max(1, round(per_window / 2)),
            "window_seconds": args.window_seconds,
        }
        name = f"{threads} threads, small budget"
        print(f"running: {name}", flush=True)
        runs[name] = run_once(
            team,
            sandbox,
            broker,
            threads=threads,
            env={**env, "GITHUB_RATE_LIMIT_RESERVE": str(reserve)},
            faults=small,
            log=log_dir / f"{threads}-threads-small-budget.log",
        )
    finally:
        broker.flush_all()
        broker.close()
        sandbox.stop()

    print(
        f"\nParallel sync benchmark: {args.prs} PRs in {args.repos} repositories, "
        f"{args.latency_ms} ms latency per request, 1 worker process"
    )
    header = (
        f"{'run':30} {'seconds':>8} {'PRs':>6} {'PRs/s':>7} {'requests':>9} {'points':>7} "
        f"{'budget/window':>14} {'pauses':>7} {'refused':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, r in runs.items():
        r["prs_per_second"] = round(r["prs"] / r["seconds"], 1) if r["seconds"] else 0
        budget = (
            f"{r['graphql_budget']}/{r['window_seconds']}s"
            if r["graphql_budget"] < 1_000_000
            else "-"
        )
        print(
            f"{name:30} {r['seconds']:>8} {r['prs']:>6} {r['prs_per_second']:>7} "
            f"{r['requests']:>9} {r['points']:>7} {budget:>14} "
            f"{r['pauses_for_the_rate_limit']:>7} {r['rate_limited_requests']:>8}"
        )
    print("refused: requests the sandbox answered with a rate limit (primary or secondary)")
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "prs_generated": args.prs,
        "repositories": args.repos,
        "latency_ms": args.latency_ms,
        "shape": args.shape,
        "runs": runs,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2))
    shown = args.json.relative_to(ROOT) if args.json.is_relative_to(ROOT) else args.json
    print(f"written to {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
