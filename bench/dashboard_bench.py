"""Benchmark the dashboard's server time at 10k and 100k PRs on PostgreSQL.

    python bench/dashboard_bench.py                 # 10k, then grow to 100k
    python bench/dashboard_bench.py --sizes 10000   # only 10k

Generates a team's history straight into the database with COPY: PRs over the last two
years in 10 repositories by 200 people, 3 bots and the ghost, shaped like a large
open-source Django application's (`github_sandbox/shape.py`: ~12 files, ~3 commits and
~1.3 reviews per PR, a few with hundreds; 92 % merged; the same paths, renames and
extension mix as the sandbox's real shape), then VACUUM ANALYZE. Then it requests each page
with Django's test Client, every Django cache cleared before each request: the overview for
30 days, 180 days, a custom two-year period and 180 days of one repository; people; the PR
list over 180 days sorted by each of its columns; and the CSV export of ~10k rows, streamed
and read to its last byte. Prints p50/p95 server time and the query count of each, next to
the floors of issue 13 (p95 under 100 ms at 10k and 250 ms at 100k; at most 12 queries).
Uses DATABASE_URL (default: a `tformance_bench_dashboard` database on the local PostgreSQL,
created if missing), which it migrates and empties first. Writes bench/results/dashboard.json.

    python bench/dashboard_bench.py --keep          # reuse the data of an earlier --keep run

With `--keep` each size's data is also kept as a database of its own, `<name>_keep_<size>`
(a PostgreSQL template copy), and copied back instead of generated on the next run with
`--keep`; newer migrations are applied to the copy. Drop those databases to start afresh.
"""

import argparse
import datetime as dt
import itertools
import json
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.common import django_setup_on_empty_database, figure, figures_print  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tformance_bench_dashboard"
CHUNK = 5000
HUMANS, BOTS, REPOSITORIES = 200, 3, 10
HISTORY_DAYS = 730
FLOORS_MS = {10_000: 100, 100_000: 250}
MAX_QUERIES = 12
CSV_ROWS = 10_000
CHANGE_TYPES = {"removed": "deleted"}  # the sandbox's REST statuses -> PRFile.ChangeType
AI_TOOLS = ["Claude", "Copilot", "Cursor"]


def team_create():
    from django.contrib.auth import get_user_model

    from tformance.pulls.models import TeamMember, TrackedRepository
    from tformance.sync.models import RepositorySync
    from tformance.teams.models import Membership, Team

    team = Team.objects.create(name="Bench", slug="bench", time_zone="Europe/Berlin")
    user = get_user_model().objects.create_user(
        username="bench@example.com", email="bench@example.com", password="bench passphrase"
    )
    Membership.objects.create(team=team, user=user, role=Membership.Role.MEMBER)
    repos = TrackedRepository.objects.bulk_create(
        TrackedRepository(team=team, github_id=i, full_name=f"bench/repo-{i}")
        for i in range(REPOSITORIES)
    )
    RepositorySync.objects.bulk_create(
        RepositorySync(repository=r, team=team, status=RepositorySync.Status.COMPLETE)
        for r in repos
    )
    humans = TeamMember.objects.bulk_create(
        TeamMember(team=team, github_id=i, login=f"dev-{i}", is_active=True) for i in range(HUMANS)
    )
    bots = TeamMember.objects.bulk_create(
        TeamMember(team=team, github_id=1000 + i, login=f"bot-{i}[bot]", is_bot=True)
        for i in range(BOTS)
    )
    ghost = TeamMember.objects.create(team=team, login=TeamMember.GHOST_LOGIN, is_ghost=True)
    return team, user, repos, {"humans": humans, "bots": bots, "ghost": ghost}


def _text(value) -> str:
    """A value in COPY's text format."""
    kind = type(value)
    if kind is str:
        if "\\" in value or not value.isprintable():
            value = value.replace("\\", "\\\\").replace("\t", "\\t")
            value = value.replace("\n", "\\n").replace("\r", "\\r")
        return value
    if kind is int:
        return str(value)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is dt.datetime:
        return value.isoformat()
    if kind is list or kind is dict:
        return _text(json.dumps(value))
    return _text(str(value))


class Copier:
    """COPY rows into a model's table: tuples of `columns` (attnames), in that order; every
    other field takes its model default, so the script follows the models as they change."""

    def __init__(self, model, columns: tuple[str, ...]) -> None:
        from django.db import connection
        from django.utils import timezone

        rest = [
            f
            for f in model._meta.concrete_fields
            if f.attname not in columns
            and not f.primary_key
            and not getattr(f, "generated", False)  # PostgreSQL computes those
        ]
        defaults = []
        for field in rest:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                defaults.append(timezone.now())
            else:  # the model's default: "" for text, else None
                defaults.append(field.get_default())
        by_name = {f.attname: f for f in model._meta.concrete_fields}
        names = [by_name[c].column for c in columns] + [f.column for f in rest]
        self.sql = "COPY {} ({}) FROM STDIN".format(
            connection.ops.quote_name(model._meta.db_table),
            ", ".join(connection.ops.quote_name(n) for n in names),
        )
        self.tail = "".join("\t" + _text(d) for d in defaults) + "\n"

    def copy(self, rows) -> int:
        from django.db import connection

        tail = self.tail
        lines = ["\t".join(map(_text, row)) + tail for row in rows]
        with connection.cursor() as cursor:
            with cursor.cursor.copy(self.sql) as copy:
                for i in range(0, len(lines), 10_000):
                    copy.write("".join(lines[i : i + 10_000]))
        return len(lines)


PR_COLUMNS = (
    "id",
    "team_id",
    "repository_id",
    "github_node_id",
    "github_id",
    "number",
    "title",
    "state",
    "is_draft",
    "author_id",
    "url",
    "opened_at",
    "github_updated_at",
    "merged_at",
    "closed_at",
    "first_commit_at",
    "first_review_at",
    "additions",
    "deletions",
    "changed_files",
    "commits_count",
    "files_total",
    "commits_total",
    "reviews_total",
    "size_bucket",
    "is_ai_assisted",
    "ai_tools",
)
REVIEW_COLUMNS = (
    "team_id",
    "pull_request_id",
    "github_id",
    "reviewer_id",
    "state",
    "submitted_at",
)
COMMIT_COLUMNS = (
    "team_id",
    "pull_request_id",
    "sha",
    "author_id",
    "message",
    "authored_at",
    "committed_at",
)
FILE_COLUMNS = (
    "team_id",
    "pull_request_id",
    "path",
    "previous_path",
    "change_type",
    "additions",
    "deletions",
    "language",
    "category",
)


def ids_take(model, count: int) -> list[int]:
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [r[0] for r in cursor.fetchall()]


def pull_paths(rng: random.Random, spec) -> list[str]:
    from github_sandbox import shape_pulls

    if spec.kind == "bot":
        return ["requirements/base.txt"] if spec.files == 1 else shape_pulls.gen_paths_npm()
    if spec.kind == "translation":
        return shape_pulls.translation_paths(rng, spec.files)
    if spec.kind == "vendored":
        return shape_pulls.vendored_paths(spec.files)
    return shape_pulls.mixed_paths(rng, spec.files)


def history_add(*, team, repos, people, count: int, start_number: int, seed: int) -> None:
    """Add `count` real-shaped PRs (and their children) spread over the last two years.

    Foreign keys are not checked while loading (`session_replication_role`; the rows are
    consistent by construction): it is most of COPY's time."""
    from django.db import DatabaseError, connection
    from django.utils import timezone

    from github_sandbox.shape import plan_build
    from github_sandbox.shape_pulls import changed_files
    from tformance.pulls.derived import size_bucket
    from tformance.pulls.models import Commit, PRFile, PRReview, PullRequest
    from tformance.pulls.techstack import file_classify

    rng = random.Random(f"dashboard:{seed}:{start_number}")
    now = timezone.now()
    team_id, humans, bots, ghost = team.pk, people["humans"], people["bots"], people["ghost"]
    human_ids = [h.pk for h in humans]
    weights = list(itertools.accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(humans))))
    plan = plan_build(count, seed=f"{seed}:{start_number}")
    copiers = [
        Copier(PullRequest, PR_COLUMNS),
        Copier(PRReview, REVIEW_COLUMNS),
        Copier(Commit, COMMIT_COLUMNS),
        Copier(PRFile, FILE_COLUMNS),
    ]
    hour, minute = dt.timedelta(hours=1), dt.timedelta(minutes=1)
    with connection.cursor() as cursor:
        try:  # a superuser's switch; without it the load only takes longer
            cursor.execute("SET session_replication_role = replica")
        except DatabaseError:
            pass
    for offset in range(0, count, CHUNK):
        specs = plan[offset : offset + CHUNK]
        ids = ids_take(PullRequest, len(specs))
        prs, reviews, commits, files = [], [], [], []
        numbers = itertools.count(start_number + offset)
        for number, pk, spec in zip(numbers, ids, specs, strict=False):
            author = (
                rng.choice(bots).pk
                if spec.kind == "bot"
                else ghost.pk
                if spec.ghost
                else rng.choices(human_ids, cum_weights=weights)[0]
            )
            opened = now - minute * rng.uniform(10, HISTORY_DAYS * 24 * 60)
            first_review = opened + hour * rng.expovariate(1 / 8) if spec.reviews else None
            ended = None
            if spec.outcome in ("merged", "closed"):
                ended = max(opened, first_review or opened) + hour * rng.lognormvariate(2.5, 1.2)
                ended = min(ended, now - minute)
            merged = ended if spec.outcome == "merged" else None
            paths = pull_paths(rng, spec)
            pr_files = changed_files(rng, pk, paths, spec.lines, renames=spec.renames)
            additions = sum(f.additions for f in pr_files)
            deletions = sum(f.deletions for f in pr_files)
            ai = rng.random() < 0.2
            repo = repos[number % len(repos)]
            first_commit = opened - hour * rng.expovariate(1 / 20)
            prs.append(
                (
                    pk,
                    team_id,
                    repo.pk,
                    f"PR_{number}",
                    number,
                    number,
                    f"Change number {number}",
                    "merged" if merged else "closed" if ended else "open",
                    spec.outcome == "draft",
                    author,
                    f"https://github.com/{repo.full_name}/pull/{number}",
                    opened,
                    ended or opened,
                    merged,
                    ended,
                    first_commit,
                    first_review,
                    additions,
                    deletions,
                    len(pr_files),
                    spec.commits,
                    len(pr_files),
                    spec.commits,
                    spec.reviews,
                    size_bucket(additions=additions, deletions=deletions),
                    ai,
                    [rng.choice(AI_TOOLS)] if ai else [],
                )
            )
            for r in range(spec.reviews):
                reviews.append(
                    (
                        team_id,
                        pk,
                        pk * 10 + r,
                        human_ids[int(rng.random() * len(human_ids))],
                        "approved" if r == spec.reviews - 1 else "commented",
                        first_review + hour * r,
                    )
                )
            for c in range(spec.commits):
                when = first_commit + minute * c
                commits.append((team_id, pk, f"{pk:024x}{c:016x}", author, "Work", when, when))
            for f in pr_files:
                language, category = file_classify(f.path)
                files.append(
                    (
                        team_id,
                        pk,
                        f.path,
                        f.previous_path or "",
                        CHANGE_TYPES.get(f.status, f.status),
                        f.additions,
                        f.deletions,
                        language,
                        category,
                    )
                )
        for copier, rows in zip(copiers, (prs, reviews, commits, files), strict=True):
            copier.copy(rows)
    with connection.cursor() as cursor:
        cursor.execute("RESET session_replication_role")


def _admin(database_url: str):
    import psycopg

    return psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True)


def vacuum() -> None:
    """Statistics and the visibility map, as autovacuum keeps them (it may be off here)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (
            "pulls_pullrequest",
            "pulls_prreview",
            "pulls_commit",
            "pulls_prfile",
            "pulls_techstackday",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")


def data_kept(*, database_url: str, size: int) -> bool:
    """Copy the data kept for `size` into the database and migrate it; False if none is."""
    from django.core.management import call_command
    from django.db import connection

    name = database_url.rsplit("/", 1)[1]
    with _admin(database_url) as admin:
        kept = f"{name}_keep_{size}"
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [kept]).fetchone():
            return False
        connection.close()
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{kept}"')
    call_command("migrate", verbosity=0)
    vacuum()
    return True


def data_keep(*, database_url: str, size: int) -> None:
    from django.db import connection

    name = database_url.rsplit("/", 1)[1]
    connection.close()
    with _admin(database_url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}_keep_{size}"')
        admin.execute(f'CREATE DATABASE "{name}_keep_{size}" TEMPLATE "{name}"')


def team_get():
    """The team, its user, repositories and people, as `team_create` made them."""
    from tformance.pulls.models import TeamMember, TrackedRepository
    from tformance.teams.models import Team

    team = Team.objects.get(slug="bench")
    user = team.memberships.get().user
    repos = list(TrackedRepository.objects.filter(team=team).order_by("github_id"))
    members = TeamMember.objects.filter(team=team).order_by("github_id")
    people = {
        "humans": [m for m in members if not m.is_bot and not m.is_ghost],
        "bots": [m for m in members if m.is_bot],
        "ghost": next(m for m in members if m.is_ghost),
    }
    return team, user, repos, people


def caches_clear() -> None:
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def get(client, url: str):
    """One request, its body read to the last byte (a streamed one too)."""
    caches_clear()
    started = time.perf_counter()
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, body


def measure(client, url: str, *, repeat: int, budget_seconds: float) -> dict:
    """The first request counts the queries (and warms up); then up to `repeat` timed ones,
    fewer (at least 3) once a page has had its time budget."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        _, body = get(client, url)
    times, started = [], time.perf_counter()
    while len(times) < repeat and (
        len(times) < 3 or time.perf_counter() - started < budget_seconds
    ):
        times.append(get(client, url)[0])
    times.sort()
    return {
        "p50_ms": round(statistics.median(times)),
        "p95_ms": round(times[math.ceil(0.95 * len(times)) - 1]),  # nearest rank
        "queries": len(queries),
        "samples": len(times),
        "bytes": len(body),
        "rows": body.count(b"\n") - 1 if url.startswith("/t/bench/prs.csv") else None,
    }


def pages(team, repo) -> dict[str, str]:
    from django.utils import timezone

    from tformance.metrics.selectors.pull_requests import SORTS
    from tformance.pulls.models import PullRequest

    tz = ZoneInfo(team.time_zone)
    today = timezone.now().astimezone(tz).date()
    two_years = f"range=custom&start={today - dt.timedelta(days=729)}&end={today}"
    opened = PullRequest.objects.filter(team=team).order_by("-opened_at")
    nth = opened.values_list("opened_at", flat=True)[CSV_ROWS - 1 : CSV_ROWS]
    since = nth[0].astimezone(tz).date() if nth else today - dt.timedelta(days=729)
    found = {
        "overview, 30 days": "/t/bench/?range=30",
        "overview, 180 days": "/t/bench/?range=180",
        "overview, custom 2 years": f"/t/bench/?{two_years}",
        "overview, 180 days, one repo": f"/t/bench/?range=180&repository={repo.pk}",
        "people, 90 days": "/t/bench/people/?range=90",
    }
    for key in SORTS:
        found[f"PR list, 180 days, by {key}"] = f"/t/bench/prs/?range=180&sort=-{key}"
    found["CSV, ~10k rows"] = f"/t/bench/prs.csv?range=custom&start={since}&end={today}&bots=on"
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--page-seconds", type=float, default=8.0, help="time budget of a page's repeats"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DB)
    parser.add_argument("--json", type=Path, help="where to write the results")
    parser.add_argument(
        "--keep", action="store_true", help="keep each size's data, and reuse what was kept"
    )
    args = parser.parse_args()
    started_all = time.perf_counter()
    django_setup_on_empty_database(args.database_url)
    from django.conf import settings

    settings.DEBUG = False  # as a production web process: no query log, no debug templates
    from django.test import Client

    from config.wsgi import heap_freeze
    from tformance.pulls.facts import facts_rebuild

    team, user, repos, people = team_create()
    client = Client()
    client.force_login(user)
    results, figures, have = {}, [], 0
    for size in sorted(args.sizes):
        started = time.perf_counter()
        if args.keep and data_kept(database_url=args.database_url, size=size):
            team, user, repos, people = team_get()
            client.force_login(user)
            added = 0
        else:
            history_add(
                team=team,
                repos=repos,
                people=people,
                count=size - have,
                start_number=have + 1,
                seed=args.seed,
            )
            # COPY bypasses what the sync derives for each PR it writes: derive it from the rows.
            facts_rebuild()
            vacuum()
            if args.keep:
                data_keep(database_url=args.database_url, size=size)
            added = size - have
        generated, have = time.perf_counter() - started, size
        heap_freeze()  # as a web process after its start (config/wsgi.py), not the generator's heap
        print(f"\n{size:,} PRs ({added:,} generated in {generated:.0f} s)", flush=True)
        rows = {}
        for name, url in pages(team, repos[0]).items():
            rows[name] = measure(client, url, repeat=args.repeat, budget_seconds=args.page_seconds)
            r = rows[name]
            extra = f"  {r['rows']:,} rows" if r["rows"] is not None else ""
            print(
                f"  {name:<36} p50 {r['p50_ms']:>6} ms  p95 {r['p95_ms']:>6} ms  "
                f"{r['queries']:>3} queries  ({r['samples']} samples){extra}",
                flush=True,
            )
        results[size] = {"generate_seconds": round(generated), "pages": rows}
        label = f"{size // 1000}k" if size % 1000 == 0 else f"{size:,}"
        figures.append(figure(f"dashboard {label}: generate the data", round(generated), unit="s"))
        for name, r in rows.items():
            figures.append(
                figure(
                    f"dashboard {label}: {name}: p95",
                    r["p95_ms"],
                    floor=FLOORS_MS.get(size),
                    better="below",
                    unit="ms",
                    note=f"p50 {r['p50_ms']} ms" + (f", {r['rows']:,} rows" if r["rows"] else ""),
                )
            )
    for name, r in rows.items():  # the query count is the same at any size
        figures.append(
            figure(f"dashboard: {name}: queries", r["queries"], floor=MAX_QUERIES, unit="queries")
        )
    print()
    figures_print(figures)
    out = args.json or ROOT / "bench" / "results" / "dashboard.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    summary = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started_all),
        "figures": figures,
        "sizes": results,
    }
    out.write_text(json.dumps(summary, indent=2))
    print(f"\nwritten to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
