"""Puts Jira issue keys into the GitHub pull requests, where developers put them.

About 70 % of the people-authored PRs carry the key of a seeded issue: most in the branch
name (`feature/CORE-123-short-slug`), some also or only in the title (`CORE-123: …`,
`[WEB-45] …`), some only in the body. A few carry the key of a project that does not exist
(`ABC-7`), a few carry two keys, the rest none. Dependabot's PRs, the hard cases and the
release merge keep their text. Its own random stream, so the rest of the world is unchanged.
"""

from __future__ import annotations

import bisect
import random
import re

# repository name -> the project its work is tracked in
REPO_PROJECTS = {
    "monolith": "CORE",
    "data-pipeline": "CORE",
    "web-app": "WEB",
    "design-system": "WEB",
    "mobile-app": "WEB",
    "api-gateway": "OPS",
    "infra": "OPS",
    "search-service": "OPS",
    "experiments": "CORE",
}
GHOST_PROJECT = "ABC"
KEY = re.compile(r"\b[A-Z][A-Z0-9]+-\d+\b")


def slug(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())[:4]
    return "-".join(words) or "change"


def link_pull_requests(world, jira) -> None:
    rng = random.Random(f"{world.seed}:jira-links")
    hard = {id(pr) for pr in world.hard_cases.values()}
    by_project = {}
    for issue in jira.issues:
        by_project.setdefault(issue.project.key, []).append(issue)
    created = {key: [i.created for i in issues] for key, issues in by_project.items()}
    for pr in world.all_pulls():
        if id(pr) in hard or pr.head_ref == "develop" or pr.repo.archived:
            continue
        if pr.author is not None and pr.author.login == "dependabot[bot]":
            continue
        home = REPO_PROJECTS.get(pr.repo.name, "CORE")
        if rng.random() < 0.1:
            home = rng.choice(sorted(by_project))

        def pick(project=home, opened=pr.created_at):
            issues = by_project[project]
            # an issue opened before the PR, among the most recent ones
            upto = bisect.bisect_right(created[project], opened) or 1
            return issues[rng.randrange(max(0, upto - 12), upto)]

        keys = place_keys(rng, pr, pick)
        if keys:
            jira.pr_keys[(pr.repo.full_name, pr.number)] = keys


def place_keys(rng: random.Random, pr, pick) -> list[str]:
    """Rewrites the PR's branch/title/body; returns the seeded keys it now carries."""
    roll = rng.random()
    prefix = "bugfix" if pr.title.lower().startswith("fix") else "feature"
    if roll < 0.42:  # branch only
        key = pick().key
        pr.head_ref = f"{prefix}/{key}-{slug(pr.title)}"
        return [key]
    if roll < 0.56:  # branch and title
        key = pick().key
        pr.head_ref = f"{prefix}/{key}-{slug(pr.title)}"
        pr.title = f"{key}: {pr.title}"
        return [key]
    if roll < 0.63:  # title only
        key = pick().key
        pr.title = f"[{key}] {pr.title}"
        return [key]
    if roll < 0.70:  # body only
        key = pick().key
        pr.body = f"{pr.body}\n\nCloses {key}"
        return [key]
    if roll < 0.73:  # a project that does not exist
        pr.head_ref = f"{prefix}/{GHOST_PROJECT}-{rng.randint(1, 40)}-{slug(pr.title)}"
        return []
    if roll < 0.76:  # two keys
        first, second = pick(), pick()
        if first is second:
            return place_two(pr, prefix, [first.key])
        return place_two(pr, prefix, [first.key, second.key])
    return []


def place_two(pr, prefix: str, keys: list[str]) -> list[str]:
    pr.head_ref = f"{prefix}/{keys[0]}-{slug(pr.title)}"
    pr.title = f"{' '.join(keys)}: {pr.title}" if len(keys) > 1 else f"{keys[0]}: {pr.title}"
    return keys


def keys_in(*texts: str) -> list[str]:
    """Issue keys mentioned in the texts, first mention first, without repeats."""
    found = []
    for text in texts:
        for key in KEY.findall(text or ""):
            if key not in found:
                found.append(key)
    return found
