"""The "real" shape's figures and the per-PR plan drawn from them (numbers only, no world).

Measured from the public history of a large open-source Django application (its 1,500
most recent PRs, about three years):

    per PR          mean   p50   p90   p99    max      over 50   over 100
    changed files   12.2   2     21    190    1,146    3.3 %     1.3 %
    commits         2.9    1     1     42     371      0.7 %     0.5 %  (two over 250)
    reviews         1.3    1     3     3      -        0         0
    lines changed   -      37    562   -      286,946

92 % merged, 5 % open, 3 % closed unmerged; 2.3 % rename a file; 3 % are a bot's dependency
updates; three authors are deleted accounts. The biggest PRs are a generated-translation
refresh (1,000+ files), a release merge (370 commits) and a vendored-asset update (280k
lines).

Each figure is a quantile function through those points (log-linear between them); a
history of n PRs takes the values at (i + 0.5) / n, so its percentiles are the table's at
any n, and larger histories reach a little further into the tail. `bench/` reads the same
plan to shape its dashboard data.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

# (quantile, value) knots of each figure.
FILES = (
    (0.0, 1.0),
    (0.35, 1.49),
    (0.6, 3.49),
    (0.75, 7.0),
    (0.9, 21.4),
    (0.9667, 50.4),
    (0.9873, 100.4),
    (0.99, 184.0),
    (0.999, 700.0),
    (0.999667, 1146.0),
    (1.0, 1400.0),
)
COMMITS = (
    (0.0, 1.0),
    (0.91, 1.49),
    (0.95, 4.0),
    (0.98, 19.0),
    (0.99, 42.0),
    (0.9927, 50.4),
    (0.9953, 100.4),
    (0.9987, 252.0),
    (0.999667, 371.0),
    (1.0, 450.0),
)
LINES = (
    (0.0, 1.0),
    (0.1, 4.0),
    (0.25, 12.0),
    (0.5, 37.0),
    (0.75, 150.0),
    (0.9, 562.0),
    (0.97, 3000.0),
    (0.99, 12000.0),
    (0.999, 60000.0),
    (0.999667, 286946.0),
    (1.0, 350000.0),
)
REVIEWS = ((0, 0.2), (1, 0.45), (2, 0.2), (3, 0.145), (4, 0.0035), (5, 0.0015))
OUTCOMES = (("merged", 0.92), ("closed", 0.03), ("open", 0.04), ("draft", 0.01))
BOT_SHARE = 0.03
RENAME_SHARE = 0.023
GHOST_AUTHORS = 3
GHOST_SHARE = 0.0025  # of the PRs, for each deleted account
# One of each notable PR per this many PRs (at least one).
NOTABLE_EVERY = 1500


@dataclass(slots=True)
class PullSpec:
    """What one generated PR will be: sizes, outcome, and what kind of change it is."""

    files: int
    commits: int
    reviews: int
    lines: int
    outcome: str  # merged | closed | open | draft
    kind: str = "regular"  # regular | bot | translation | release | vendored
    ghost: int = 0  # 1..GHOST_AUTHORS: which deleted account wrote it; 0: a living one
    renames: int = 0  # files it renames


def quantile(knots: tuple[tuple[float, float], ...], u: float) -> int:
    for (u0, v0), (u1, v1) in zip(knots, knots[1:], strict=False):
        if u <= u1:
            f = (u - u0) / (u1 - u0)
            return round(math.exp(math.log(v0) + f * (math.log(v1) - math.log(v0))))
    return round(knots[-1][1])


def spread(knots, n: int) -> list[int]:
    """n values of a figure, largest first: its quantiles at (i + 0.5) / n."""
    return [quantile(knots, (i + 0.5) / n) for i in reversed(range(n))]


def counted(shares, n: int) -> list:
    """n items in the given shares (largest remainders get the rounding)."""
    exact = [(item, share * n) for item, share in shares]
    counts = {item: int(x) for item, x in exact}
    rest = sorted(exact, key=lambda e: -(e[1] - int(e[1])))
    for item, _ in rest[: n - sum(counts.values())]:
        counts[item] += 1
    return [item for item, _ in shares for _ in range(counts[item])]


def _take(pool: list[int], *, at_most: int) -> int:
    """Remove and return the largest value of a descending `pool` that is <= at_most."""
    for i, value in enumerate(pool):
        if value <= at_most:
            return pool.pop(i)
    return pool.pop()


def _paired(rng: random.Random, pool: list[int], latent: list[float], noise: float) -> list[int]:
    """Hand the pool's values out so their ranks follow `latent` (plus noise)."""
    keys = sorted(range(len(latent)), key=lambda i: latent[i] + rng.gauss(0, noise))
    out = [0] * len(latent)
    for value, i in zip(sorted(pool), keys, strict=True):
        out[i] = value
    return out


def plan_build(n: int, *, seed: object) -> list[PullSpec]:
    """The specs of n PRs, in the order they will be created (oldest first)."""
    rng = random.Random(f"{seed}:shape")
    if n <= 0:
        return []
    files, commits, lines = spread(FILES, n), spread(COMMITS, n), spread(LINES, n)
    notable = []
    for _ in range(max(1, round(n / NOTABLE_EVERY)) if n >= 50 else 0):
        # the largest of each figure goes to the change that makes it, the others small
        translation = PullSpec(files.pop(0), _take(commits, at_most=1), 0, 0, "merged")
        release = PullSpec(files.pop(0), commits.pop(0), 0, 0, "merged", kind="release")
        vendored = PullSpec(_take(files, at_most=60), _take(commits, at_most=3), 0, 0, "merged")
        vendored.lines, translation.lines, release.lines = lines.pop(0), lines.pop(0), lines.pop(0)
        translation.kind, vendored.kind = "translation", "vendored"
        notable += [translation, release, vendored]
    m = len(files)
    latent = [rng.gauss(0, 1) for _ in range(m)]
    files = _paired(rng, files, latent, 0.6)
    lines = _paired(rng, lines, latent, 0.6)
    commits = _paired(rng, commits, [x * 0.5 for x in latent], 1.0)
    reviews = counted(REVIEWS, n)
    outcomes = counted(OUTCOMES, m)
    rng.shuffle(reviews)
    rng.shuffle(outcomes)
    outcomes += ["merged"] * len(notable)
    specs = [
        PullSpec(f, c, 0, li, "") for f, c, li in zip(files, commits, lines, strict=True)
    ] + notable
    for spec, count, outcome in zip(specs, reviews, outcomes, strict=True):
        spec.reviews, spec.outcome = count, outcome
    regular = list(range(m))
    rng.shuffle(regular)
    small = [i for i in regular if specs[i].files <= 2 and specs[i].commits == 1]
    bots = set(small[: round(BOT_SHARE * n)])
    for i in bots:
        specs[i].kind = "bot"
    humans = [i for i in regular if i not in bots]
    per_ghost = max(1, round(GHOST_SHARE * n))
    for g in range(GHOST_AUTHORS):
        for i in humans[g * per_ghost : (g + 1) * per_ghost]:
            specs[i].ghost = g + 1
    for i in humans[len(humans) - round(RENAME_SHARE * n) :]:
        spec = specs[i]
        spec.renames = min(spec.files, 1 if rng.random() < 0.6 else 1 + int(rng.expovariate(0.3)))
    rng.shuffle(specs)
    return specs
