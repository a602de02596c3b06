"""Benchmark syncs of a real-shaped history against the GitHub sandbox on PostgreSQL.

    python bench/sync_bench.py                          # 1,500 PRs, RSS at 1k and 20k
    python bench/sync_bench.py --prs 5000 --rss-sizes   # another size, no RSS runs

The sandbox (`python -m github_sandbox --shape real`: PR histories shaped like a large
open-source Django application's, hard cases beside them) runs in its own process; each
sync runs in a fresh child process that loads Django as a worker does (the database is
migrated and emptied before, by this process), so its peak RSS is the sync's own.

Prints, each next to its floor from issue 13 (pass/fail):
  - full sync wall time at 25 ms latency, floor 1.3 x (requests x 25 ms), and without a
    floor its ratio to GitHub's own time (latency plus the sandbox's CPU answering);
  - PRs/s of a full sync at 0 ms latency, floor 150;
  - HTTP requests and GraphQL points per 100 PRs of the full sync, floors 10 and 8;
  - requests per repository of an incremental sync with nothing changed, floor 1;
  - peak RSS of a full sync of 20k PRs over that of 1k PRs, floor 1.2;
and, without floors, an incremental sync with 1 % of the PRs changed and the RSS in MB.
Writes the figures and the runs' details to bench/results/sync.json (or --json).
Uses DATABASE_URL (default: a `tformance_bench` database on the local PostgreSQL).
"""

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.common import (  # noqa: E402
    django_setup,
    django_setup_on_empty_database,
    figure,
    figures_print,
    process_cpu_seconds,
)

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tformance_bench"
LATENCY_MS = 25
# The real shape over three years, as measured; budgets high enough never to be the limit.
SANDBOX_FLAGS = ("--shape", "real", "--months", "36")
SANDBOX_FLAGS += ("--rest-budget", "1000000", "--graphql-budget", "1000000")


class Sandbox:
    """A running sandbox, driven over its control endpoints."""

    def __init__(self, url: str, token: str, pid: int | None = None) -> None:
        self.url, self.token, self.pid = url, token, pid

    def cpu_seconds(self) -> float | None:
        return process_cpu_seconds(self.pid) if self.pid else None

    def control(self, path: str, payload: dict | None = None) -> dict:
        import requests

        url = f"{self.url}/_sandbox/{path}"
        response = (
            requests.post(url, json=payload, timeout=60)
            if payload is not None
            else requests.get(url, timeout=60)
        )
        response.raise_for_status()
        return response.json()


class SandboxProcess(Sandbox):
    """`python -m github_sandbox` in its own process (port 0: any free port), with more of
    its command-line flags in `args` (e.g. `("--shape", "real")`)."""

    def __init__(self, *, prs: int, repos: int, port: int = 0, args: tuple[str, ...] = ()) -> None:
        command = [sys.executable, "-m", "github_sandbox", "--port", str(port)]
        command += ["--prs", str(prs), "--repos", str(repos), *args]
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        url = None
        for line in self.process.stdout:
            if line.startswith("GitHub sandbox on "):
                url = line.split()[-1]
            if "token (" in line:
                super().__init__(url, line.rsplit(" ", 1)[1].strip(), self.process.pid)
                break
        else:
            raise RuntimeError("the sandbox did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def connect_team(sandbox: Sandbox):
    from github_sandbox.world import DEFAULT_ORG
    from tformance.github.client import GitHubClient
    from tformance.github.models import GitHubIntegration
    from tformance.github.services import team_github_connect, token_check
    from tformance.teams.models import Team

    client = GitHubClient(token=sandbox.token)
    team = Team.objects.create(name="Bench", slug="bench", days_back=3650)
    checked = token_check(client=client, org_login=DEFAULT_ORG)
    return team_github_connect(
        checked=checked,
        token=sandbox.token,
        method=GitHubIntegration.Method.OAUTH,
        team=team,
        repositories=client.list_org_repositories(DEFAULT_ORG),
    )


def sync_all(team, sandbox: Sandbox, *, full: bool) -> dict:
    """Sync every active repository of the team, one after the other, as one worker thread."""
    from django.db import connection

    from tformance.pulls.models import TrackedRepository
    from tformance.sync.repository import repository_sync

    sandbox.control("stats/reset", {})
    repositories = list(TrackedRepository.objects.filter(team=team, is_active=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    cpu = [process_cpu_seconds(backend), time.process_time(), sandbox.cpu_seconds()]
    started = time.perf_counter()
    prs = 0
    for repository in repositories:
        prs += repository_sync(repository=repository, full=full).prs
    seconds = time.perf_counter() - started
    after = [process_cpu_seconds(backend), time.process_time(), sandbox.cpu_seconds()]
    stats = sandbox.control("stats")
    spent = [
        b - a if a is not None and b is not None else None for a, b in zip(cpu, after, strict=True)
    ]
    return {
        "prs": prs,
        "repositories": len(repositories),
        "seconds": round(seconds, 2),
        # CPU seconds of PostgreSQL's backend, this process and the sandbox during the sync
        "cpu_seconds": dict(zip(("postgres", "sync", "sandbox"), spent, strict=True)),
        "requests": stats["total_requests"],
        "graphql_requests": stats["graphql_requests"],
        "rest_requests": stats["rest_requests"],
        "points": stats["graphql_points"],
        "by_endpoint": stats["by_endpoint"],
    }


def change_some(sandbox: Sandbox, percent: float) -> int:
    """Add a review to `percent` % of the org's PRs (bumping their updatedAt)."""
    from github_sandbox.world import DEFAULT_ORG

    repos = sandbox.control("world")["repos"]
    every = max(1, round(100 / percent))
    changed = 0
    for name, info in repos.items():
        if not name.startswith(f"{DEFAULT_ORG}/") or info["archived"]:
            continue
        for number in range(1, info["pulls"] + 1, every):
            sandbox.control(
                "changes",
                {"action": "add_review", "repo": name, "number": number, "state": "COMMENTED"},
            )
            changed += 1
    return changed


def child_main(args) -> int:
    """One sync process: Django as a worker loads it, the team connected, the runs asked."""
    django_setup(args.database_url)
    from django.conf import settings

    settings.DEBUG = False  # as a production worker: no query log growing in memory
    sandbox = Sandbox(args.sandbox_url, args.token, args.sandbox_pid)
    settings.GITHUB_URL = settings.GITHUB_API_URL = sandbox.url
    team = connect_team(sandbox)
    runs = {"full": sync_all(team, sandbox, full=True)}
    if args.incremental:
        runs["incremental, nothing changed"] = sync_all(team, sandbox, full=False)
        runs["changed"] = change_some(sandbox, args.changed_percent)
        runs["incremental, changed"] = sync_all(team, sandbox, full=False)
    runs["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print("RESULT " + json.dumps(runs))
    return 0


def sync_in_child(sandbox: Sandbox, database_url: str, *, incremental: bool, changed: float):
    """A fresh database, then a fresh process that syncs it from the sandbox."""
    print(
        f"  syncing in a fresh process ({'full + incremental' if incremental else 'full'})",
        flush=True,
    )
    django_setup_on_empty_database(database_url)
    from django.db import connections

    connections.close_all()
    command = [sys.executable, __file__, "--child", "--sandbox-url", sandbox.url]
    command += ["--sandbox-pid", str(sandbox.pid)]
    command += ["--token", sandbox.token, "--database-url", database_url]
    command += ["--changed-percent", str(changed)] + (["--incremental"] if incremental else [])
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        sys.stderr.write(out.stdout + out.stderr)
        raise RuntimeError(f"the sync process failed ({out.returncode})")
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def cpu_note(run: dict) -> str:
    """The CPU seconds a sync cost: on a shared machine, what its wall time would near."""
    cpu = run.get("cpu_seconds") or {}
    if any(v is None for v in cpu.values()) or not cpu:
        return ""
    parts = " + ".join(f"{k} {v:.1f}" for k, v in cpu.items())
    return f"CPU {parts} = {sum(cpu.values()):.1f} s"


def github_bound(run: dict) -> float | None:
    """The sync's wall time over GitHub's own: its requests' latency plus what the sandbox
    (GitHub here) spent answering them."""
    sandbox = (run.get("cpu_seconds") or {}).get("sandbox")
    if sandbox is None:
        return None
    return round(run["seconds"] / (run["requests"] * LATENCY_MS / 1000 + sandbox), 2)


def per_100(count: int, prs: int):
    return round(count * 100 / prs, 1) if prs else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prs", type=int, default=1500, help="PRs in the generated org")
    parser.add_argument("--repos", type=int, default=4)
    parser.add_argument("--changed-percent", type=float, default=1.0)
    parser.add_argument(
        "--rss-sizes",
        type=int,
        nargs="*",
        default=[1000, 20000],
        help="two history sizes whose full syncs' peak RSS are compared (none: skip)",
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DB)
    parser.add_argument("--json", type=Path, help="where to write the results")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--incremental", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sandbox-url", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--sandbox-pid", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child_main(args)

    started = time.perf_counter()
    runs = {}
    print(f"sandbox: {args.prs:,} real-shaped PRs in {args.repos} repositories", flush=True)
    sandbox = SandboxProcess(prs=args.prs, repos=args.repos, args=SANDBOX_FLAGS)
    try:
        sandbox.control("faults", {"latency_ms": LATENCY_MS})
        runs[f"{LATENCY_MS} ms"] = sync_in_child(
            sandbox, args.database_url, incremental=True, changed=args.changed_percent
        )
        sandbox.control("faults", {"latency_ms": 0})
        runs["0 ms"] = sync_in_child(sandbox, args.database_url, incremental=False, changed=0)
    finally:
        sandbox.stop()
    for size in args.rss_sizes:
        print(f"sandbox: {size:,} real-shaped PRs, for the peak RSS", flush=True)
        sandbox = SandboxProcess(prs=size, repos=args.repos, args=SANDBOX_FLAGS)
        try:
            runs[f"{size} PRs, 0 ms"] = sync_in_child(
                sandbox, args.database_url, incremental=False, changed=0
            )
        finally:
            sandbox.stop()

    slow, fast = runs[f"{LATENCY_MS} ms"], runs["0 ms"]
    full, nothing = slow["full"], slow["incremental, nothing changed"]
    changed = slow["incremental, changed"]
    prs = full["prs"]
    latency_floor = round(1.3 * full["requests"] * LATENCY_MS / 1000, 1)
    figures = [
        figure(
            f"sync, {LATENCY_MS} ms latency: full sync wall time",
            full["seconds"],
            floor=latency_floor,
            unit="s",
            note=f"{prs} PRs; floor 1.3 x {full['requests']} requests x {LATENCY_MS} ms; "
            + cpu_note(full),
        ),
        figure(
            f"sync, {LATENCY_MS} ms latency: wall time over GitHub's own time",
            github_bound(full),
            unit="x",
            note="GitHub's time: requests x latency + the sandbox's CPU serving them "
            "(no floor of the issue; says whether the sync waits for GitHub or for itself)",
        ),
        figure(
            "sync, 0 ms latency: full sync PRs per second",
            round(fast["full"]["prs"] / fast["full"]["seconds"], 1),
            floor=150,
            better="higher",
            unit="PRs/s",
            note=f"{fast['full']['prs']} PRs in {fast['full']['seconds']} s; "
            + cpu_note(fast["full"]),
        ),
        figure("sync: requests per 100 PRs", per_100(full["requests"], prs), floor=10, unit="req"),
        figure("sync: GraphQL points per 100 PRs", per_100(full["points"], prs), floor=8),
        figure(
            "sync, incremental, nothing changed: requests per repository",
            round(nothing["requests"] / nothing["repositories"], 2),
            floor=1,
            unit="req",
        ),
        figure(
            f"sync, incremental, {args.changed_percent:g} % of the PRs changed: requests",
            changed["requests"],
            unit="req",
            note=f"{slow['changed']} changed, {changed['prs']} PRs written in {changed['seconds']} s",
        ),
    ]
    if len(args.rss_sizes) == 2:
        small, big = (runs[f"{size} PRs, 0 ms"] for size in args.rss_sizes)
        label = f"{args.rss_sizes[1]:,} vs {args.rss_sizes[0]:,} PRs"
        figures += [
            figure(
                "sync: peak RSS, large vs small history",
                round(big["peak_rss_mb"] / small["peak_rss_mb"], 2),
                floor=1.2,
                unit="x",
                note=f"{label}: {big['peak_rss_mb']:.0f} MB vs {small['peak_rss_mb']:.0f} MB",
            ),
            figure(
                "sync, 0 ms latency, large history: PRs per second",
                round(big["full"]["prs"] / big["full"]["seconds"], 1),
                unit="PRs/s",
                note=f"{big['full']['prs']} PRs in {big['full']['seconds']} s; "
                + cpu_note(big["full"]),
            ),
        ]
    print(f"\nSync benchmark: {args.prs} real-shaped PRs in {args.repos} repositories")
    figures_print(figures)
    endpoints = sorted(full["by_endpoint"].items(), key=lambda kv: -kv[1])
    print("full sync requests by endpoint: " + ", ".join(f"{k} {v}" for k, v in endpoints))
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "prs_generated": args.prs,
        "seconds": round(time.perf_counter() - started),
        "figures": figures,
        "runs": runs,
    }
    path = args.json or ROOT / "bench" / "results" / "sync.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2))
    print(f"written to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
