"""Benchmark a full and an incremental sync against the GitHub sandbox on PostgreSQL.

    python bench/sync_bench.py --prs 1000 --latency-ms 50

Starts the sandbox in its own process with a generated organisation, syncs every active
repository of it the way one worker thread does, and prints one table: wall time, PRs/s,
HTTP requests and GraphQL points per 100 PRs, and the floor the wall time is measured
against (requests x latency). Writes the same figures as JSON to bench/results/.
Uses DATABASE_URL (default: a `tformance_bench` database on the local PostgreSQL), which
it migrates and empties first.
"""

import argparse
import datetime as dt
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.common import django_setup_on_empty_database  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tformance_bench"


class SandboxProcess:
    """`python -m github_sandbox` in its own process, driven over its control endpoints."""

    def __init__(self, *, prs: int, repos: int, port: int, args: tuple[str, ...] = ()) -> None:
        import subprocess

        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "github_sandbox",
                "--port",
                str(port),
                "--prs",
                str(prs),
                "--repos",
                str(repos),
                *args,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for line in self.process.stdout:
            if "token (" in line:
                self.token = line.rsplit(" ", 1)[1].strip()
                break
        else:
            raise RuntimeError("the sandbox did not start")

    def control(self, path: str, payload: dict | None = None) -> dict:
        import requests

        url = f"{self.url}/_sandbox/{path}"
        response = (
            requests.post(url, json=payload, timeout=30)
            if payload is not None
            else (requests.get(url, timeout=30))
        )
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def connect_team(sandbox: SandboxProcess):
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


def sync_all(team, sandbox: SandboxProcess, *, full: bool) -> dict:
    from tformance.pulls.models import TrackedRepository
    from tformance.sync.repository import repository_sync

    sandbox.control("stats/reset", {})
    started = time.perf_counter()
    prs = 0
    for repository in TrackedRepository.objects.filter(team=team, is_active=True):
        prs += repository_sync(repository=repository, full=full).prs
    seconds = time.perf_counter() - started
    stats = sandbox.control("stats")
    return {
        "prs": prs,
        "seconds": round(seconds, 2),
        "requests": stats["total_requests"],
        "graphql_requests": stats["graphql_requests"],
        "rest_requests": stats["rest_requests"],
        "points": stats["graphql_points"],
        "by_endpoint": stats["by_endpoint"],
    }


def change_some(sandbox: SandboxProcess, percent: float) -> int:
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prs", type=int, default=1000, help="PRs in the generated org")
    parser.add_argument("--repos", type=int, default=4)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--changed-percent", type=float, default=1.0)
    parser.add_argument("--sandbox-port", type=int, default=8799)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DB)
    parser.add_argument("--json", type=Path, help="where to write the results")
    args = parser.parse_args()

    django_setup_on_empty_database(args.database_url)
    from django.conf import settings

    sandbox = SandboxProcess(prs=args.prs, repos=args.repos, port=args.sandbox_port)
    try:
        settings.GITHUB_URL = settings.GITHUB_API_URL = sandbox.url
        team = connect_team(sandbox)
        sandbox.control("faults", {"latency_ms": args.latency_ms})
        rows = {"full sync": sync_all(team, sandbox, full=True)}
        rows["incremental, nothing changed"] = sync_all(team, sandbox, full=False)
        changed = change_some(sandbox, args.changed_percent)
        rows[f"incremental, {changed} PRs changed"] = sync_all(team, sandbox, full=False)
    finally:
        sandbox.stop()

    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nSync benchmark: {args.prs} PRs generated, {args.latency_ms} ms latency per request")
    header = f"{'run':34} {'PRs':>6} {'seconds':>8} {'PRs/s':>7} {'req':>6} {'req/100 PRs':>11} {'pts':>5} {'pts/100 PRs':>11} {'floor s':>8}"
    print(header)
    print("-" * len(header))
    for name, r in rows.items():
        per = 100 / r["prs"] if r["prs"] else 0
        r["prs_per_second"] = round(r["prs"] / r["seconds"], 1) if r["seconds"] else 0
        r["requests_per_100_prs"] = round(r["requests"] * per, 1)
        r["points_per_100_prs"] = round(r["points"] * per, 1)
        # Requests are sequential, so latency alone costs requests x latency.
        r["floor_seconds"] = round(r["requests"] * args.latency_ms / 1000, 2)
        print(
            f"{name:34} {r['prs']:>6} {r['seconds']:>8} {r['prs_per_second']:>7} {r['requests']:>6} "
            f"{r['requests_per_100_prs']:>11} {r['points']:>5} {r['points_per_100_prs']:>11} "
            f"{r['floor_seconds']:>8}"
        )
    print(f"peak RSS of the syncing process (the sandbox runs apart): {peak_rss_mb:.0f} MB")
    endpoints = sorted(rows["full sync"]["by_endpoint"].items(), key=lambda kv: -kv[1])
    print("full sync requests by endpoint: " + ", ".join(f"{k} {v}" for k, v in endpoints))
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "prs_generated": args.prs,
        "latency_ms": args.latency_ms,
        "peak_rss_mb": round(peak_rss_mb),
        "runs": rows,
    }
    path = args.json or ROOT / "bench" / "results" / f"sync-{args.prs}-{args.latency_ms}ms.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2))
    print(f"written to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
