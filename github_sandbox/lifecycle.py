"""A generated pull request's reviews and outcome, drawn from the world it lives in."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from .generator import finish_times, make_commits, make_files
from .models import PullRequest, Review
from .world import World


def make_reviews(
    world: World, rng: random.Random, pr: PullRequest, count: int, until: datetime
) -> list[Review]:
    humans = [a for a in world.org_members(world.default_org) if a.kind == "User"]
    candidates = [h for h in humans if h is not pr.author] or humans
    reviews, span = [], max((until - pr.created_at).total_seconds(), 60)
    for i in range(count):
        when = pr.created_at + timedelta(seconds=span * (i + 1) / (count + 1))
        last = i == count - 1
        state = (
            "APPROVED"
            if last and pr.merged
            else rng.choices(["APPROVED", "CHANGES_REQUESTED", "COMMENTED"], [3, 2, 3])[0]
        )
        body = {"APPROVED": "LGTM", "CHANGES_REQUESTED": "Please add tests.", "COMMENTED": ""}
        reviews.append(
            Review(
                world.next_id("review"),
                pr,
                rng.choice(candidates),
                state,
                body[state],
                when,
                when,
                pr.head_sha,
            )
        )
    return reviews


def fill_pull(
    world: World,
    rng: random.Random,
    pr: PullRequest,
    mix: str,
    *,
    files: int,
    commits: int,
    reviews: int,
    outcome: str,
    trailer: str | None = None,
) -> PullRequest:
    """Give `pr` children and an outcome (merged/closed/open/draft); sets updated_at last."""
    pr.files = pr.files or make_files(rng, mix, files, pr.id)
    pr.commits = pr.commits or make_commits(
        rng, pr.author, pr.files, pr.created_at, commits, pr.id, trailer
    )
    lead = timedelta(hours=min(rng.lognormvariate(3.0, 1.1), 24 * 20))
    end = min(pr.created_at + lead, world.now - timedelta(minutes=5))
    end = max(end, pr.created_at + timedelta(minutes=2))
    if outcome == "merged":
        pr.state, pr.merged, pr.merged_at, pr.closed_at = "closed", True, end, end
    elif outcome == "closed":
        pr.state, pr.closed_at = "closed", end
    elif outcome == "draft":
        pr.draft = True
    pr.reviews = make_reviews(world, rng, pr, reviews, end)
    if pr.merged:
        approvers = [r.author for r in pr.reviews if r.state == "APPROVED"]
        pr.merged_by = approvers[-1] if approvers else world.accounts[world.viewer_login]
    finish_times(pr)
    return pr
