"""Seeded generation of a realistic organisation: same seed + same `now` -> identical data."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from .models import Account, ChangedFile, Commit, GitActor, PullRequest, fake_sha

HUMANS = [
    ("maya-chen", "Maya Chen"),
    ("jonas-weber", "Jonas Weber"),
    ("priya-raman", "Priya Raman"),
    ("tomas-silva", "Tomás Silva"),
    ("aiko-tanaka", "Aiko Tanaka"),
    ("liam-oconnor", "Liam O'Connor"),
    ("sofia-rossi", "Sofia Rossi"),
    ("kwame-mensah", "Kwame Mensah"),
    ("elena-petrova", "Elena Petrova"),
    ("noah-kim", "Noah Kim"),
]
OUTSIDER = ("rick-outsider", "Rick Outsider")  # a user in no org: for 404/403 tests
# Real app bots and their real user ids (REST logins carry `[bot]`).
BOTS = [("dependabot[bot]", 49699333), ("devin-ai-integration[bot]", 158243242)]

# (language, weighted file templates) per repository flavour; `{d}`/`{n}` are filled at random.
FILE_MIXES = {
    "python": [
        (30, "src/{d}/{n}.py"),
        (14, "tests/{d}/test_{n}.py"),
        (5, "migrations/00{k}_{n}.sql"),
        (4, "docs/{n}.md"),
        (3, "config/{n}.yaml"),
        (2, "poetry.lock"),
        (2, "pyproject.toml"),
    ],
    "typescript": [
        (30, "src/{d}/{N}.tsx"),
        (14, "src/{d}/{n}.ts"),
        (10, "src/{d}/{N}.test.tsx"),
        (8, "src/styles/{n}.css"),
        (3, "package-lock.json"),
        (2, "package.json"),
        (2, "README.md"),
    ],
    "go": [
        (32, "internal/{d}/{n}.go"),
        (14, "internal/{d}/{n}_test.go"),
        (6, "deploy/{n}.yaml"),
        (3, "go.sum"),
        (2, "go.mod"),
        (3, "docs/{n}.md"),
    ],
}
DIRS = ["billing", "auth", "reports", "sync", "api", "users", "search", "teams", "metrics", "ui"]
NAMES = [
    "client",
    "models",
    "views",
    "service",
    "utils",
    "handlers",
    "schema",
    "cache",
    "router",
    "parser",
    "widgets",
    "forms",
    "queue",
    "loader",
    "settings",
    "export",
]
TITLES = {
    "feature": ["Add {x} support to {d}", "Introduce {x} for {d}", "Build {d} {x} page"],
    "bugfix": ["Fix {x} in {d}", "Handle empty {x} in {d}", "Fix race in {d} {x}"],
    "chore": ["Refactor {d} {x}", "Clean up {d} {x}", "Rename {x} helpers in {d}"],
    "docs": ["Document {d} {x}", "Update {d} README"],
}
AI_TRAILERS = [
    "Co-authored-by: Claude <noreply@anthropic.com>",
    "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>",
    "Co-authored-by: Cursor Agent <cursoragent@cursor.com>",
]
CLAUDE_BODY = "\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)"


def email_for(account: Account) -> str:
    if account.kind == "Bot":
        return f"{account.id}+{account.login}@users.noreply.github.com"
    return account.email or f"{account.login}@users.noreply.github.com"


def pick_path(rng: random.Random, mix: str) -> str:
    weights, templates = zip(*FILE_MIXES[mix], strict=True)
    template = rng.choices(templates, weights)[0]
    name = rng.choice(NAMES)
    return template.format(d=rng.choice(DIRS), n=name, N=name.title(), k=rng.randint(10, 99))


def make_files(rng: random.Random, mix: str, count: int, salt: object) -> list[ChangedFile]:
    files, seen = [], set()
    while len(files) < count:
        path = pick_path(rng, mix)
        if path in seen:  # a path appears once per PR; fall back to numbered siblings
            stem, dot, ext = path.rpartition(".")
            path = f"{stem}_{len(files)}.{ext}" if dot else f"{path}_{len(files)}"
        seen.add(path)
        lock = path.endswith((".lock", "-lock.json", "go.sum"))
        status = rng.choices(["modified", "added", "removed", "renamed"], [70, 20, 6, 4])[0]
        adds = rng.randint(40, 900) if lock else int(rng.paretovariate(1.3) * 8)
        dels = 0 if status == "added" else int(adds * rng.uniform(0.1, 0.9))
        if status == "removed":
            adds, dels = 0, max(dels, 5)
        prev = None
        if status == "renamed":
            prev = path.replace(".", "_old.", 1)
            adds, dels = adds // 4, dels // 4
        files.append(ChangedFile(path, status, adds, dels, fake_sha("blob", salt, path), prev))
    return files


def make_commits(
    rng: random.Random,
    author: Account | None,
    files: list[ChangedFile],
    opened: datetime,
    count: int,
    salt: object,
    trailer: str | None = None,
) -> list[Commit]:
    """Commits authored before the PR opened; a ghost author leaves only name/email."""
    name = (author.name or author.login) if author else "Former Employee"
    email = email_for(author) if author else "former.employee@example.com"
    start = opened - timedelta(hours=rng.uniform(1, 72))
    adds, dels = sum(f.additions for f in files), sum(f.deletions for f in files)
    commits, parent = [], fake_sha("base", salt)
    for i in range(count):
        when = start + (opened - start) * (i + 1) / (count + 1)
        msg = rng.choice(["Implement changes", "Address review feedback", "Fix tests", "WIP"])
        if i == 0 and trailer:
            msg = f"{msg}\n\nSome details about the change.\n\n{trailer}"
        sha = fake_sha("commit", salt, i)
        actor = GitActor(name, email, when, author)
        committer = GitActor("GitHub", "noreply@github.com", when) if i == count - 1 else actor
        share_a = adds // count + (adds % count if i == 0 else 0)
        share_d = dels // count + (dels % count if i == 0 else 0)
        commits.append(Commit(sha, msg, actor, committer, share_a, share_d, [parent]))
        parent = sha
    return commits


def finish_times(pr: PullRequest) -> None:
    """updatedAt is at least every child timestamp, as on GitHub."""
    stamps = [pr.created_at, pr.closed_at, pr.merged_at]
    stamps += [r.submitted_at for r in pr.reviews] + [e.created_at for e in pr.events]
    stamps += [c.committer.date for c in pr.commits]
    pr.updated_at = max(s for s in stamps if s is not None) + timedelta(seconds=7)


def random_title(rng: random.Random) -> tuple[str, str]:
    kind = rng.choices(list(TITLES), [5, 3, 2, 1])[0]
    title = rng.choice(TITLES[kind]).format(x=rng.choice(NAMES), d=rng.choice(DIRS))
    return kind, title


def random_body(rng: random.Random, kind: str) -> tuple[str, str | None]:
    """Body text and, sometimes, an AI co-author trailer for the first commit."""
    body = f"## Summary\n\nThis {kind} change updates the code.\n\n## Testing\n\n- [x] unit tests"
    roll = rng.random()
    if roll < 0.10:
        return body + CLAUDE_BODY, AI_TRAILERS[0]
    if roll < 0.16:
        return body, rng.choice(AI_TRAILERS[1:])
    if roll < 0.20:
        return body + "\n\nNo AI was used to write this change.", None
    return body, None
