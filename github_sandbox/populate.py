"""Builds accounts, organisations, repositories and the everyday pull requests of a world."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from . import generator as gen
from .hardcases import add_hard_cases
from .jira.links import link_pull_requests
from .jira.world import jira_world_build
from .lifecycle import fill_pull
from .models import Account, ChangedFile, Organization, Repository, fake_sha
from .shape_pulls import shaped_history_add
from .world import World

# "default": the everyday history the tests are written against; "real": PR histories
# shaped like a large open-source Django application's (`shape.py`), for the benchmarks.
SHAPES = ("default", "real")

# name, file mix, private, description
REPO_SPECS = [
    ("monolith", "python", True, "The main Django monolith"),
    ("web-app", "typescript", True, "Customer-facing React app"),
    ("api-gateway", "go", False, "Edge API gateway"),
    ("data-pipeline", "python", True, "Nightly ETL jobs"),
    ("design-system", "typescript", False, "Shared UI components"),
    ("infra", "go", True, "Terraform and deploy tooling"),
    ("mobile-app", "typescript", True, "React Native app"),
    ("search-service", "go", True, "Search indexer"),
]
LANGUAGE = {"python": "Python", "typescript": "TypeScript", "go": "Go"}


def world_build(
    *,
    seed: int = 1,
    now: datetime | None = None,
    repos: int = 4,
    prs: int = 120,
    months: int = 6,
    include_giant_pr: bool = False,
    shape: str = "default",
) -> World:
    """A world of `repos` active repositories sharing `prs` pull requests over `months`."""
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {SHAPES}, not {shape!r}")
    world = World(seed=seed, now=now)
    populate(
        world, repos=repos, prs=prs, months=months, include_giant_pr=include_giant_pr, shape=shape
    )
    world.settle()
    return world


def populate(
    world: World, *, repos: int, prs: int, months: int, include_giant_pr: bool, shape: str
) -> None:
    rng = random.Random(world.seed)
    now = world.now
    for i, (login, name) in enumerate([*gen.HUMANS, gen.OUTSIDER]):
        first = name.split()[0].lower().replace("á", "a")
        world.add_account(
            Account(
                20_000 + i * 7,
                login,
                "User",
                name,
                f"{first}@acme.dev",
                now - timedelta(days=900 + 40 * i),
                now - timedelta(days=3 + i),
            )
        )
    for login, bot_id in gen.BOTS:
        world.add_account(Account(bot_id, login, "Bot", None, None, now - timedelta(days=2000)))
    acme = make_org(world, 90_001, world.default_org, "Acme Corp", now)
    labs = make_org(world, 90_002, world.second_org, "Acme Labs", now)
    for i, (login, _) in enumerate(gen.HUMANS):
        acme.members[login] = "admin" if i < 2 else "member"
        if rng.random() < 0.5 or login == world.viewer_login:
            acme.public_members.add(login)
    labs.members.update(
        {world.viewer_login: "admin", "priya-raman": "member", "noah-kim": "member"}
    )
    labs.public_members.add(world.viewer_login)

    window = timedelta(days=30 * months)
    active = REPO_SPECS[: max(1, repos)]
    made = [make_repo(world, acme, spec, now, rng, months=months) for spec in active]
    weights = [3] + [2] * (len(made) - 1)
    counts = distribute(rng, prs, weights)
    add_hard_cases(
        world, made[0], now - window, include_giant_pr=include_giant_pr, text_cases=shape == "real"
    )
    if shape == "real":
        shaped_history_add(world, made, counts, start=now - window, end=now)
    else:
        for i, (repo, count, spec) in enumerate(zip(made, counts, active, strict=True)):
            # hard cases own the first day of the monolith's history so numbers follow creation
            begin = now - window + timedelta(days=1 if i == 0 else 0)
            add_regular_pulls(world, rng, repo, spec[1], count, begin, now)
    legacy = make_repo(
        world,
        acme,
        ("legacy-billing", "python", True, "Old billing (archived)"),
        now,
        rng,
        months=months,
        archived=True,
    )
    add_regular_pulls(
        world,
        rng,
        legacy,
        "python",
        5,
        now - window - timedelta(days=200),
        now - window - timedelta(days=60),
    )
    lab = make_repo(
        world, labs, ("experiments", "python", False, "Prototypes"), now, rng, months=months
    )
    add_regular_pulls(world, rng, lab, "python", 6, now - timedelta(days=60), now)
    # Jira's own random stream: the GitHub data above does not depend on it
    world.jira = jira_world_build(
        seed=world.seed,
        now=now,
        months=months,
        people=gen.HUMANS,
        per_project=max(40, min(2000, prs // 6)),
    )
    link_pull_requests(world, world.jira)
    for repo in world.repos.values():
        normalize(repo)
        finish_repo(repo)


def normalize(repo: Repository) -> None:
    """GitHub timestamps have second precision; drop the generator's microseconds."""

    def trim(obj, *names):
        for name in names:
            value = getattr(obj, name)
            if value is not None:
                setattr(obj, name, value.replace(microsecond=0))

    trim(repo, "created_at", "updated_at", "pushed_at")
    for pr in repo.pulls:
        trim(pr, "created_at", "updated_at", "closed_at", "merged_at")
        for item in pr.reviews:
            trim(item, "created_at", "submitted_at")
        for item in pr.events:
            trim(item, "created_at")
        for commit in pr.commits:
            trim(commit.author, "date")
            trim(commit.committer, "date")


def make_org(world: World, org_id: int, login: str, name: str, now) -> Organization:
    org = Organization(
        org_id,
        login,
        "Organization",
        name,
        f"eng@{login}.dev",
        now - timedelta(days=1500),
        now - timedelta(days=30),
        description=f"{name} engineering",
    )
    world.add_account(org)
    return org


def make_repo(world, org, spec, now, rng, *, months: int, archived=False) -> Repository:
    name, mix, private, description = spec
    created = now - timedelta(days=rng.randint(250, 1200) + 30 * months)
    repo = Repository(
        world.next_id("repo"),
        org,
        name,
        private,
        archived,
        created,
        created,
        created,
        description,
        LANGUAGE[mix],
    )
    world.add_repo(repo)
    return repo


def distribute(rng: random.Random, total: int, weights: list[int]) -> list[int]:
    counts = [0] * len(weights)
    for _ in range(total):
        counts[rng.choices(range(len(weights)), weights)[0]] += 1
    return counts


def add_regular_pulls(world, rng, repo, mix, count, start, end) -> None:
    span = (end - start).total_seconds()
    times = sorted(start + timedelta(seconds=rng.uniform(0, span * 0.995)) for _ in range(count))
    humans = [world.accounts[login] for login in repo.owner.members]
    for created in times:
        roll = rng.random()
        author = (
            world.accounts["dependabot[bot]"]
            if roll < 0.07
            else world.accounts["devin-ai-integration[bot]"]
            if roll < 0.11
            else None
            if roll < 0.125
            else rng.choice(humans)
        )
        pr = world.new_pull(repo, author, created)
        recent = (end - created) < timedelta(days=3)
        outcome = rng.choices(
            ["merged", "closed", "open", "draft"], [35, 5, 45, 15] if recent else [82, 8, 7, 3]
        )[0]
        if author is not None and author.kind == "Bot":
            bot_pull(world, rng, pr, mix, outcome)
            continue
        kind, pr.title = gen.random_title(rng)
        pr.body, trailer = gen.random_body(rng, kind)
        files = min(60, int(1 + rng.paretovariate(1.2) * 2))
        commits = min(12, 1 + int(rng.expovariate(0.5)))
        reviews = 0 if rng.random() < 0.15 else rng.randint(1, 4)
        fill_pull(
            world,
            rng,
            pr,
            mix,
            files=files,
            commits=commits,
            reviews=reviews,
            outcome=outcome,
            trailer=trailer,
        )


def bot_pull(world, rng, pr, mix, outcome) -> None:
    if pr.author.login == "dependabot[bot]":
        lock, manifest = {
            "python": ("poetry.lock", "pyproject.toml"),
            "typescript": ("package-lock.json", "package.json"),
            "go": ("go.sum", "go.mod"),
        }[mix]
        dep = rng.choice(["requests", "lodash", "grpc", "django", "axios", "zap"])
        pr.title = f"Bump {dep} from 1.{rng.randint(0, 9)}.0 to 1.{rng.randint(10, 19)}.1"
        pr.body = f"Bumps {dep}.\n\nDependabot will resolve any conflicts with this PR."
        pr.labels = ["dependencies"]
        pr.files = [
            ChangedFile(
                lock,
                "modified",
                rng.randint(20, 400),
                rng.randint(20, 400),
                fake_sha("lock", pr.id),
            ),
            ChangedFile(manifest, "modified", 1, 1, fake_sha("man", pr.id)),
        ]
        fill_pull(
            world, rng, pr, mix, files=2, commits=1, reviews=rng.randint(0, 1), outcome=outcome
        )
    else:
        _, title = gen.random_title(rng)
        pr.title = title
        pr.body = (
            f"{title}.\n\nLink to Devin run: https://app.devin.ai/sessions/{pr.id:x}\n"
            f"Requested by: @{rng.choice(list(pr.repo.owner.members))}"
        )
        fill_pull(
            world,
            rng,
            pr,
            mix,
            files=rng.randint(1, 8),
            commits=rng.randint(1, 4),
            reviews=rng.randint(1, 2),
            outcome=outcome,
        )


def finish_repo(repo: Repository) -> None:
    stamps = [c.committer.date for pr in repo.pulls for c in pr.commits]
    stamps += [pr.merged_at for pr in repo.pulls if pr.merged_at]
    if stamps:
        repo.pushed_at = max(max(stamps), repo.created_at)
    repo.updated_at = max(
        repo.pushed_at, max((p.updated_at for p in repo.pulls), default=repo.created_at)
    )
