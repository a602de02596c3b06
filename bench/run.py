"""`make bench`: every benchmark, then one table of figures, floors, before and now.

    python bench/run.py                      # run them all, print the table
    python bench/run.py --only sync          # sync, dashboard and/or parallel
    python bench/run.py --table-only         # the table from bench/results/ as it is
    python bench/run.py --save-baseline      # also write bench/baseline.json ("before")

Runs `sync_bench.py` (a real-shaped history of 1,500 PRs; peak RSS at 1k and 20k),
`dashboard_bench.py` (10k and 100k PRs) and, when it exists, `parallel_bench.py` (a
6-repository team synced by 1 and by 4 worker threads). Each writes its JSON to
bench/results/ (gitignored); this script reads them and prints one row per figure: its
floor from issue 13, the "before" value (bench/baseline.json, committed: the same scripts
run on the commit before the issue's work, 0ba4a32; "—" where it has none), the value
now, and pass/FAIL against the floor. A script that fails is reported and the others still
run; the exit status is then 1. The whole run takes under 15 minutes on a 2-core machine.

The "before" values: check out 0ba4a32 in a worktree, copy this bench/ and github_sandbox/
over it (the scripts and the sandbox's real shape are newer than it; the product is what is
measured), run `python bench/run.py --save-baseline` there and commit its bench/baseline.json.
"""

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.common import SIGNS, figure  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BASELINE = ROOT / "bench" / "baseline.json"
SCRIPTS = {
    "sync": ("sync_bench.py", "sync.json", []),
    "dashboard": (
        "dashboard_bench.py",
        "dashboard.json",
        ["--repeat", "10", "--page-seconds", "6"],
    ),
    "parallel": ("parallel_bench.py", "parallel.json", []),
}


def run(script: str, out: Path, args: list[str]) -> float:
    print(f"\n$ python bench/{script} {' '.join(args)}", flush=True)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, f"bench/{script}", *args, "--json", str(out)], cwd=ROOT, check=True
    )
    return time.monotonic() - started


def _number(run: dict, *names):
    """The first of `names` that `run` has as a number (scripts name things differently)."""
    for name in names:
        value = run.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
    return None


def parallel_figures(result: dict) -> list[dict]:
    """Rows for parallel_bench.py's {"runs": {"1 thread": {"seconds", "prs", ...}, ...}}."""
    if isinstance(result.get("figures"), list):
        return result["figures"]
    rows, seconds = [], {}
    for name, r in (result.get("runs") or {}).items():
        if not isinstance(r, dict):
            continue
        secs = _number(r, "seconds", "wall_seconds", "elapsed_seconds", "wall_time")
        prs = _number(r, "prs", "pull_requests", "prs_synced")
        limited = _number(r, "rate_limited_requests", "rate_limited", "refused")
        seconds[name] = secs
        note = f"{prs} PRs" if prs is not None else ""
        rows.append(_row(f"parallel, {name}: wall time", secs, unit="s", note=note))
        if secs and prs:
            rows.append(_row(f"parallel, {name}: PRs per second", round(prs / secs, 1)))
        pauses = _number(r, "pauses_for_the_rate_limit", "pauses", "rate_limit_pauses")
        if limited is not None:
            rows.append(
                figure(
                    f"parallel, {name}: requests refused by the rate limit",
                    limited,
                    floor=0,
                    note="respected: none refused"
                    + (f"; {pauses} pauses for the limit" if pauses is not None else ""),
                )
            )
    one = next((s for n, s in seconds.items() if n.startswith("1 ")), None)
    for name, secs in seconds.items():
        if one and secs and not name.startswith("1 ") and "budget" not in name:
            rows.append(_row(f"parallel, {name}: speed-up over 1 thread", round(one / secs, 2)))
    return rows


def _row(name, value, *, unit="", note=""):
    return figure(name, value, unit=unit, note=note)


def figures_of(part: str, result: dict) -> list[dict]:
    if part == "parallel":
        return parallel_figures(result)
    return [f for f in result.get("figures", []) if isinstance(f, dict) and "name" in f]


def _shown(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer() and abs(value) >= 100:
        return f"{int(value):,}"
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def table_print(rows: list[dict], baseline: dict) -> None:
    width = max([len(r["name"]) for r in rows] + [10])
    header = f"{'figure':<{width}}  {'floor':>10}  {'before':>9}  {'now':>9}  result"
    print(header)
    print("-" * len(header))
    for r in rows:
        sign = SIGNS.get(r.get("better"), "≤")
        floor = f"{sign} {_shown(r['floor'])}" if r.get("floor") is not None else ""
        before = _shown(baseline.get(r["name"]))
        result = {True: "pass", False: "FAIL"}.get(r.get("passed"), "")
        unit = r.get("unit") or ""
        note = "  " + r["note"] if r.get("note") else ""
        print(
            f"{r['name']:<{width}}  {floor:>10}  {before:>9}  {_shown(r['value']):>9}  "
            f"{result:<4}  {unit}{note}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=list(SCRIPTS), default=list(SCRIPTS))
    parser.add_argument("--table-only", action="store_true", help="run nothing, read results")
    parser.add_argument(
        "--save-baseline",
        action="store_true",
        help="write this run's figures to bench/baseline.json as the 'before' values",
    )
    parser.add_argument("--baseline-commit", default="0ba4a32", help="recorded in baseline.json")
    parser.add_argument("--baseline-note", default="", help="how it was measured, for the file")
    args = parser.parse_args()
    started = time.monotonic()
    RESULTS.mkdir(parents=True, exist_ok=True)
    failed, durations = [], {}
    for part in args.only:
        script, out, extra = SCRIPTS[part]
        if args.table_only or not (ROOT / "bench" / script).exists():
            continue
        try:
            durations[part] = round(run(script, RESULTS / out, extra))
        except subprocess.CalledProcessError as error:
            failed.append(f"{script} exited with {error.returncode}")

    rows = []
    for part in args.only:
        path = RESULTS / SCRIPTS[part][1]
        if path.exists():
            rows += figures_of(part, json.loads(path.read_text()))
    baseline = json.loads(BASELINE.read_text()).get("figures", {}) if BASELINE.exists() else {}
    print("\n=== Tformance benchmarks (issue 13): floor, before (baseline.json), now ===")
    table_print(rows, baseline)
    passed = sum(r.get("passed") is True for r in rows)
    judged = sum(r.get("passed") is not None for r in rows)
    total = round(time.monotonic() - started)
    print(f"\n{passed} of {judged} figures with a floor pass")
    if durations:
        print("took " + ", ".join(f"{k} {v} s" for k, v in durations.items()) + f"; all {total} s")
    for line in failed:
        print(f"FAILED: {line}")
    summary = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": total,
        "durations": durations,
        "failed": failed,
        "figures": rows,
    }
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2))
    if args.save_baseline:  # merged into what is there: --only can save part by part
        baseline.update({r["name"]: r["value"] for r in rows})
        BASELINE.write_text(
            json.dumps(
                {
                    "commit": args.baseline_commit,
                    "when": summary["when"],
                    "note": args.baseline_note,
                    "figures": baseline,
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
        print(f"baseline written to {BASELINE.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
