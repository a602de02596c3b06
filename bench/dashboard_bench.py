"""Benchmark the dashboard's server time at 10k and 100k PRs on PostgreSQL.

    python bench/dashboard_bench.py                 # 10k, then grow to 100k
    python bench/dashboard_bench.py --sizes 10000   # only 10k

Generates a team's history straight into the database with bulk_create (PRs over the last
year in 10 repositories by 60 people and 3 bots, with ~1.5 reviews, ~3 commits and ~4
changed files per PR), then requests the overview, people and PR-list pages with Django's
test Client and prints p50/p95 server time and the query count of each. Uses DATABASE_URL
(default: a `tformance_bench_dashboard` database on the local PostgreSQL, created if
missing), which it migrates and empties first. Writes the figures to bench/results/.

    python bench/dashboard_bench.py --keep          # reuse the data of an earlier --keep run

With `--keep` each size's data is also kept as a database of its own, `<name>_keep_<size>`
(a PostgreSQL template copy), and copied back instead of generated on the next run with
`--keep`; newer migrations are applied to the copy. Drop those databases to start afresh.
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.common import django_setup_on_empty_database  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tformance_bench_dashboard"
CHUNK = 5000
PATHS = [
    ("src/app/models.py", "Python", "backend"),
    ("src/app/views.py", "Python", "backend"),
    ("web/src/App.tsx", "TSX", "frontend"),
    ("web/src/styles.css", "CSS", "frontend"),
    ("tests/test_views.py", "Python", "tests"),
    (".github/workflows/ci.yml", "YAML", "infra"),
    ("docs/guide.md", "Markdown", "docs"),
    ("package-lock.json", "JSON", "generated"),
    ("pyproject.toml", "TOML", "config"),
    ("db/migrations/0042.sql", "SQL", "data"),
]


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
        TrackedRepository(team=team, github_id=i, full_name=f"bench/repo-{i}") for i in range(10)
    )
    RepositorySync.objects.bulk_create(
        RepositorySync(repository=r, team=team, status=RepositorySync.Status.COMPLETE)
        for r in repos
    )
    people = TeamMember.objects.bulk_create(
        [TeamMember(team=team, github_id=i, login=f"dev-{i}") for i in range(60)]
        + [
            TeamMember(team=team, github_id=1000 + i, login=f"bot-{i}[bot]", is_bot=True)
            for i in range(3)
        ]
    )
    return team, user, repos, people


def history_add(*, team, repos, people, count: int, start_number: int, rng: random.Random) -> None:
    """Add `count` PRs (and their children) spread over the last year."""
    from tformance.pulls.derived import size_bucket
    from tformance.pulls.models import Commit, PRFile, PRReview, PullRequest

    now = dt.datetime.now(dt.UTC)
    humans = people[:60]
    for offset in range(0, count, CHUNK):
        prs = []
        for n in range(start_number + offset, start_number + min(offset + CHUNK, count)):
            opened = now - dt.timedelta(minutes=rng.randint(0, 365 * 24 * 60))
            author = rng.choice(people) if rng.random() < 0.05 else rng.choice(humans)
            state = rng.choices(["merged", "open", "closed"], [85, 8, 7])[0]
            merged = (
                opened + dt.timedelta(hours=rng.expovariate(1 / 30)) if state == "merged" else None
            )
            reviewed = rng.random() < 0.85
            first_review = opened + dt.timedelta(hours=rng.expovariate(1 / 8)) if reviewed else None
            additions, deletions = int(rng.paretovariate(1.2) * 10), int(rng.paretovariate(1.5) * 3)
            ai = rng.random() < 0.25
            prs.append(
                PullRequest(
                    team=team,
                    repository=repos[n % len(repos)],
                    github_node_id=f"PR_{n}",
                    github_id=n,
                    number=n,
                    title=f"Change number {n}",
                    state=state,
                    author=author,
                    url=f"https://github.com/bench/repo-{n % len(repos)}/pull/{n}",
                    opened_at=opened,
                    github_updated_at=merged or opened,
                    merged_at=merged,
                    closed_at=merged if state != "open" else None,
                    first_commit_at=opened - dt.timedelta(hours=rng.expovariate(1 / 20)),
                    first_review_at=first_review,
                    additions=additions,
                    deletions=deletions,
                    size_bucket=size_bucket(additions=additions, deletions=deletions),
                    is_ai_assisted=ai,
                    ai_tools=[rng.choice(["Claude", "Copilot", "Cursor"])] if ai else [],
                )
            )
        PullRequest.objects.bulk_create(prs, batch_size=1000)
        reviews, commits, files = [], [], []
        for pr in prs:
            for r in range(rng.choice([0, 1, 1, 2, 2, 3]) if pr.first_review_at else 0):
                reviews.append(
                    PRReview(
                        team=team,
                        pull_request=pr,
                        github_id=pr.number * 10 + r,
                        reviewer=rng.choice(humans),
                        state="approved",
                        submitted_at=pr.first_review_at + dt.timedelta(hours=r),
                    )
                )
            for c in range(rng.randint(1, 5)):
                commits.append(
                    Commit(
                        team=team,
                        pull_request=pr,
                        sha=f"{pr.number:032x}{c:08x}",
                        author=pr.author,
                        message="Work",
                        authored_at=pr.first_commit_at + dt.timedelta(hours=c),
                    )
                )
            for path, language, category in rng.sample(PATHS, rng.randint(1, 7)):
                files.append(
                    PRFile(
                        team=team,
                        pull_request=pr,
                        path=path,
                        change_type="modified",
                        additions=pr.additions // 4,
                        deletions=pr.deletions // 4,
                        language=language,
                        category=category,
                    )
                )
        PRReview.objects.bulk_create(reviews, batch_size=2000)
        Commit.objects.bulk_create(commits, batch_size=2000)
        PRFile.objects.bulk_create(files, batch_size=2000)


def _admin(database_url: str):
    import psycopg

    return psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True)


def vacuum() -> None:
    """Statistics and the visibility map, as autovacuum keeps them (it may be off here)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


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
    people = list(TeamMember.objects.filter(team=team).order_by("github_id"))
    return team, user, repos, people


def measure(client, url: str, repeat: int) -> dict:
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200  # warm-up, and the query count
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    times.sort()
    return {
        "p50_ms": round(statistics.median(times)),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))]),
        "queries": len(queries),
    }


PAGES = {
    "overview, 30 days": "/t/bench/?range=30",
    "overview, 180 days": "/t/bench/?range=180",
    "overview, 180 days, one repo": "/t/bench/?range=180&repository={repo}",
    "people, 90 days": "/t/bench/people/?range=90",
    "PR list, 180 days merged by cycle": "/t/bench/prs/?range=180&state=merged&sort=-cycle",
    "PR list, 30 days": "/t/bench/prs/?range=30",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DB)
    parser.add_argument(
        "--keep", action="store_true", help="keep each size's data, and reuse what was kept"
    )
    args = parser.parse_args()
    django_setup_on_empty_database(args.database_url)
    from django.test import Client

    from tformance.pulls.facts import facts_rebuild

    rng = random.Random(1)
    team, user, repos, people = team_create()
    client = Client()
    client.force_login(user)
    results, have = {}, 0
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
                rng=rng,
            )
            facts_rebuild()  # what the sync derives for the PRs it writes
            vacuum()
            if args.keep:
                data_keep(database_url=args.database_url, size=size)
            added = size - have
        generated, have = time.perf_counter() - started, size
        print(f"\n{size} PRs ({added} generated in {generated:.0f} s)")
        rows = {}
        for name, url in PAGES.items():
            rows[name] = measure(client, url.format(repo=repos[0].pk), args.repeat)
            print(
                f"  {name:<36} p50 {rows[name]['p50_ms']:>5} ms  p95 {rows[name]['p95_ms']:>5} ms  "
                f"{rows[name]['queries']:>3} queries"
            )
        results[size] = {"generate_seconds": round(generated), "pages": rows}
    out = ROOT / "bench" / "results" / "dashboard.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
