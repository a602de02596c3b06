"""`make bench`: every benchmark, one table, one JSON file (bench/results/summary.json).

Sync: ~1,000 and ~5,000 PRs at 0 and 50 ms sandbox latency (full, incremental with nothing
changed, incremental with 1 % changed); a 6-repository team synced by real workers with 1
and 4 threads, and with a rate limit that runs out mid-sync (bench/parallel_bench.py).
Dashboard: server time at 10k and 100k PRs. Each figure stands next to the floor it is
measured against, where one exists.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SYNC_RUNS = [(1000, 0), (1000, 50), (5000, 0), (5000, 50)]
DASHBOARD_SIZES = [10_000, 100_000]


def run(script: str, *args: str) -> None:
    print(f"\n$ python bench/{script} {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, f"bench/{script}", *args], cwd=ROOT, check=True)


def main() -> int:
    started = time.monotonic()
    RESULTS.mkdir(parents=True, exist_ok=True)
    summary = {"sync": [], "dashboard": None}
    for prs, latency in SYNC_RUNS:
        out = RESULTS / f"sync-{prs}-{latency}ms.json"
        run("sync_bench.py", "--prs", str(prs), "--latency-ms", str(latency), "--json", str(out))
        summary["sync"].append(json.loads(out.read_text()))
    run("parallel_bench.py", "--json", str(RESULTS / "parallel.json"))
    summary["parallel"] = json.loads((RESULTS / "parallel.json").read_text())
    dashboard = ROOT / "bench" / "dashboard_bench.py"
    if dashboard.exists():
        run("dashboard_bench.py", "--sizes", *map(str, DASHBOARD_SIZES), "--repeat", "10")
        summary["dashboard"] = json.loads((RESULTS / "dashboard.json").read_text())

    print("\n=== Tformance benchmark summary ===")
    print(
        f"{'sync run':44} {'PRs':>6} {'s':>7} {'floor s':>8} {'PRs/s':>7} "
        f"{'req/100':>8} {'pts/100':>8} {'pts floor/100':>13} {'RSS MB':>7}"
    )
    for result in summary["sync"]:
        for name, r in result["runs"].items():
            label = f"{result['prs_generated']} PRs, {result['latency_ms']} ms: {name}"
            # GitHub's cost formula gives a page of 25 PRs with nested lists of 50 a cost of
            # 1 point, so one point per 25 PRs is the least any sync of them can spend.
            floor_points = round(100 / 25, 1) if r["prs"] else 0
            print(
                f"{label:44} {r['prs']:>6} {r['seconds']:>7} {r['floor_seconds']:>8} "
                f"{r['prs_per_second']:>7} {r['requests_per_100_prs']:>8} "
                f"{r['points_per_100_prs']:>8} {floor_points:>13} {result['peak_rss_mb']:>7}"
            )
    parallel = summary["parallel"]
    print(
        f"\n{'parallel sync, ' + str(parallel['repositories']) + ' repositories':44} {'PRs':>6} "
        f"{'s':>7} {'PRs/s':>7} {'requests':>8} {'points':>7} {'pauses':>7} {'refused':>8}"
    )
    for name, r in parallel["runs"].items():
        label = f"{parallel['latency_ms']} ms: {name}"
        print(
            f"{label:44} {r['prs']:>6} {r['seconds']:>7} {r['prs_per_second']:>7} "
            f"{r['requests']:>8} {r['points']:>7} {r['pauses_for_the_rate_limit']:>7} "
            f"{r['rate_limited_requests']:>8}"
        )
    if summary["dashboard"]:
        print(
            f"\n{'dashboard page (server time)':44} {'PRs':>8} {'p50 ms':>7} {'p95 ms':>7} {'queries':>8}"
        )
        for size, result in summary["dashboard"].items():
            for name, page in result["pages"].items():
                print(
                    f"{name:44} {int(size):>8} {page['p50_ms']:>7} {page['p95_ms']:>7} "
                    f"{page['queries']:>8}"
                )
    summary["seconds"] = round(time.monotonic() - started)
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2))
    print(f"\nall benchmarks took {summary['seconds']} s; written to bench/results/summary.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
