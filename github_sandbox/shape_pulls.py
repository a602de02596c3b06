"""The "real" shape's pull requests (`shape.plan_build`) made into a Django application's:
its files, its contributors, its deleted accounts, its bot and its biggest changes."""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta
from hashlib import sha1

from . import generator as gen
from .lifecycle import fill_pull
from .models import Account, ChangedFile, Repository
from .shape import PullSpec, counted, plan_build
from .world import World

APPS = [
    "accounts",
    "billing",
    "core",
    "dashboard",
    "events",
    "forms",
    "library",
    "notifications",
    "projects",
    "reports",
    "search",
    "users",
]
LANGS = (
    "ar bg ca cs da de el en_GB eo es es_AR es_MX et eu fa fi fr fy ga gl he hi hr hu id is it "
    "ja ka kk km ko lt lv mk ml mn nb ne nl nn pl pt pt_BR ro ru sk sl sq sr sv sw ta te th tr tt "
    "uk ur vi zh_Hans zh_Hant"
).split()
FONTS = ["inter-regular", "inter-bold", "source-code-pro", "fontawesome-webfont", "lato-italic"]
# (weight, path template): weights are the measured extension mix (py 11,370, html 2,884,
# md 1,116, po 685, mo 408, scss 231, yaml 197, woff2 167, ts 150, woff 136, txt 133, css 130,
# others ~700) less what the translation refreshes, vendored assets and bots add.
MIX = [
    (5000, "{app}/{name}.py"),
    (3000, "{app}/tests/test_{name}.py"),
    (1200, "{app}/migrations/{k:04d}_{name}.py"),
    (1080, "{app}/api/{name}.py"),
    (2300, "{app}/templates/{app}/{name}.html"),
    (490, "templates/includes/{name}.html"),
    (900, "docs/{section}/{name}.md"),
    (216, "{top}.md"),
    (90, "{app}/locale/{lang}/LC_MESSAGES/django.po"),
    (40, "{app}/locale/{lang}/LC_MESSAGES/django.mo"),
    (231, "assets/styles/{name}.scss"),
    (100, ".github/workflows/{name}.yaml"),
    (97, "config/{name}.yaml"),
    (125, "static/fonts/{font}.woff2"),
    (150, "frontend/src/{name}.ts"),
    (100, "static/fonts/{font}.woff"),
    (45, "requirements/{req}.txt"),
    (43, "docs/{name}.txt"),
    (130, "static/css/{name}.css"),
    (250, "frontend/src/{name}.js"),
    (60, "frontend/package-lock.json"),
    (60, "frontend/package.json"),
    (60, "static/dist/{name}.js.map"),
    (100, "static/img/{name}.svg"),
    (80, "static/img/{name}.png"),
    (40, "pyproject.toml"),
    (30, "Dockerfile"),
]
TEMPLATES = [t for _, t in MIX]
CUMULATIVE = list(itertools.accumulate(w for w, _ in MIX))
BINARY = (".mo", ".woff", ".woff2", ".png")
SECTIONS = ["guide", "api", "howto", "releases", "topics"]
TOPS = ["README", "CHANGELOG", "CONTRIBUTING"]
REQS = ["base", "dev", "prod", "test"]
# Contributors from outside the organisation, as an open-source project has them.
CONTRIBUTORS = [
    ("zoe-muller", "Zoë Müller"),
    ("jose-alvarez", "José Álvarez"),
    ("lukasz-nowak", "Łukasz Nowak"),
    ("soren-berg", "Søren Berg"),
    ("amara-okafor", "Amara Okafor"),
    ("chen-wei", "陈伟"),
    ("fatima-haddad", "فاطمة حداد"),
    ("ines-moreau", "Inès Moreau"),
    ("raj-patel", "Raj Patel"),
    ("olga-ivanova", "Ольга Иванова"),
    ("mateo-garcia", "Mateo García"),
    ("hana-novak", "Hana Novák"),
    ("yuki-sato", "佐藤 由紀"),
    ("ben-carter", "Ben Carter"),
    ("leila-nazari", "Leila Nazari"),
    ("tobias-lind", "Tobias Lind"),
    ("grace-mwangi", "Grace Mwangi"),
    ("david-cohen", "David Cohen"),
    ("anna-kowalska", "Anna Kowalska"),
    ("minh-nguyen", "Nguyễn Minh"),
]
# What a deleted account leaves behind: its commits' git name and email.
GHOSTS = [
    ("Ilse Vandenberg", "ilse@oldmail.example"),
    ("Marc Dubois", "marc.dubois@former.example"),
    ("Kenji Sato", "kenji@retired.example"),
]
DEPENDENCIES = {
    1: ["django", "celery", "sentry-sdk", "psycopg", "pillow", "gunicorn"],
    2: ["webpack", "sass", "htmx.org", "typescript", "esbuild"],
}


def contributors_add(world: World) -> None:
    for i, (login, name) in enumerate(CONTRIBUTORS):
        created = world.now - timedelta(days=400 + 50 * i)
        world.add_account(
            Account(31_000 + i * 11, login, "User", name, None, created, created + timedelta(9))
        )


def shaped_history_add(
    world: World, repos: list[Repository], counts: list[int], *, start: datetime, end: datetime
) -> None:
    """`sum(counts)` PRs of the real shape, `counts[i]` of them in `repos[i]`."""
    rng = random.Random(f"{world.seed}:real")
    contributors_add(world)
    members = [world.accounts[login] for login in repos[0].owner.members]
    people = members + [world.accounts[login] for login, _ in CONTRIBUTORS]
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(people))]
    specs = iter(plan_build(sum(counts), seed=world.seed))
    for repo, count in zip(repos, counts, strict=True):
        repo.language = "Python"
        # the hard cases own the first day of the first repository
        begin = start + timedelta(days=1 if repo is repos[0] else 0)
        span = (end - begin).total_seconds() * 0.995
        times = sorted(begin + timedelta(seconds=rng.uniform(0, span)) for _ in range(count))
        for created in times:
            spec = next(specs)
            author = (
                world.accounts["dependabot[bot]"]
                if spec.kind == "bot"
                else None
                if spec.ghost
                else rng.choices(people, weights)[0]
            )
            pull_add(world, rng, world.new_pull(repo, author, created), spec)


def pull_add(world: World, rng: random.Random, pr, spec: PullSpec) -> None:
    if spec.kind == "bot":
        side = 1 if spec.files == 1 else 2
        dep = rng.choice(DEPENDENCIES[side])
        paths = ["requirements/base.txt"] if side == 1 else gen_paths_npm()
        major, minor = rng.randint(1, 5), rng.randint(0, 9)
        pr.title = f"Bump {dep} from {major}.{minor}.0 to {major}.{minor + 1}.1"
        pr.body = f"Bumps {dep}.\n\nDependabot will resolve any conflicts with this PR."
        pr.labels = ["dependencies"]
    elif spec.kind == "translation":
        paths = translation_paths(rng, spec.files)
        pr.title = "Refresh the generated translations from Transifex"
        pr.body = "Pulled with `tx pull --all` and compiled with `compilemessages`."
    elif spec.kind == "vendored":
        paths = vendored_paths(spec.files)
        pr.title = "Update the vendored front-end assets (Bootstrap, Font Awesome)"
        pr.body = "Replaces `static/vendor/` with the upstream release builds."
    else:
        paths = mixed_paths(rng, spec.files)
        kind, pr.title = gen.random_title(rng)
        pr.body, _ = gen.random_body(rng, kind)
        if spec.kind == "release":
            pr.title, pr.head_ref = "Release: merge develop into main", "develop"
    pr.files = changed_files(rng, pr.id, paths, spec.lines, renames=spec.renames)
    fill_pull(
        world,
        rng,
        pr,
        "python",
        files=spec.files,
        commits=spec.commits,
        reviews=spec.reviews,
        outcome=spec.outcome,
    )
    if spec.ghost:
        name, email = GHOSTS[spec.ghost - 1]
        for commit in pr.commits:
            commit.author.name, commit.author.email = name, email


def gen_paths_npm() -> list[str]:
    return ["frontend/package.json", "frontend/package-lock.json"]


def mixed_paths(rng: random.Random, count: int) -> list[str]:
    """Paths of one everyday PR: mostly one or two apps, each path once."""
    apps = rng.sample(APPS, 1 if count < 4 else min(len(APPS), 1 + count // 20))
    templates = rng.choices(TEMPLATES, cum_weights=CUMULATIVE, k=count)
    paths, seen, rand, names = [], set(), rng.random, gen.NAMES
    for i, template in enumerate(templates):
        path = template.format(
            app=apps[int(rand() * len(apps))],
            name=names[int(rand() * len(names))],
            k=1 + int(rand() * 120),
            section=SECTIONS[i % len(SECTIONS)],
            top=TOPS[i % len(TOPS)],
            lang=LANGS[i % len(LANGS)],
            font=FONTS[i % len(FONTS)],
            req=REQS[i % len(REQS)],
        )
        if path in seen:  # a path appears once per PR; fall back to numbered siblings
            stem, dot, ext = path.rpartition(".")
            path = f"{stem}_{len(paths)}.{ext}" if dot else f"{path}_{len(paths)}"
        seen.add(path)
        paths.append(path)
    return paths


def translation_paths(rng: random.Random, count: int) -> list[str]:
    """A translation refresh: catalogues (.po) and compiled ones (.mo), a few templates."""
    kinds = counted((("po", 0.52), ("mo", 0.32), ("html", 0.08), ("py", 0.08)), count)
    pairs = [(app, lang) for lang in LANGS for app in APPS]
    paths = [f"{a}/locale/{lang}/LC_MESSAGES/django.po" for a, lang in pairs[: kinds.count("po")]]
    paths += [f"{a}/locale/{lang}/LC_MESSAGES/django.mo" for a, lang in pairs[: kinds.count("mo")]]
    paths += [
        f"{APPS[i % 12]}/templates/{APPS[i % 12]}/page_{i}.html" for i in range(kinds.count("html"))
    ]
    return paths + [f"{APPS[i % 12]}/translation_{i}.py" for i in range(count - len(paths))]


def vendored_paths(count: int) -> list[str]:
    kinds = ["{}.min.js", "{}.min.js.map", "{}.min.css", "fonts/{}.woff2", "fonts/{}.woff"]
    libs = ["bootstrap", "fontawesome", "chart", "htmx", "select2", "flatpickr"]
    return [
        f"static/vendor/{libs[(i // 5) % 6]}/" + kinds[i % 5].format(f"part{i // 30}")
        for i in range(count)
    ]


def changed_files(
    rng: random.Random, salt: int, paths: list[str], lines: int, *, renames: int
) -> list[ChangedFile]:
    """The PR's files with `lines` additions + deletions spread over its text files."""
    text = [i for i, p in enumerate(paths) if not p.endswith(BINARY)]
    weights = [rng.paretovariate(1.2) for _ in text]
    total = sum(weights) or 1.0
    share = [0] * len(paths)
    for i, w in zip(text, weights, strict=True):
        share[i] = int(lines * w / total)
    if text:
        share[text[0]] += lines - sum(share)
    files, rand = [], rng.random
    for i, path in enumerate(paths):
        roll = rand()
        status = (
            "renamed"
            if i < renames
            else "modified"
            if roll < 0.75
            else "added"
            if roll < 0.95
            else "removed"
        )
        dels = 0 if status == "added" else int(share[i] * rand() * 0.6)
        adds = share[i] - dels
        if status == "removed":
            adds, dels = 0, share[i]
        previous = f"legacy/{path}" if status == "renamed" else None
        sha = sha1(f"blob:{salt}:{path}".encode()).hexdigest()  # fake_sha's, made faster
        files.append(ChangedFile(path, status, adds, dels, sha, previous, path.endswith(BINARY)))
    return files
