"""The metrics' definitions as SQL expressions, identical in meaning on PostgreSQL and SQLite.

What counts as a review, which PRs wait for one and since when, the bot rule: each is
written here once and used by every selector. A PR's durations are `pulls.durations`,
stored on the PR as generated columns (`PullRequest.cycle_seconds` ...).
"""

from django.db.models import (
    Case,
    DateTimeField,
    OuterRef,
    Q,
    When,
)

from tformance.pulls.durations import review_requested_at, reviewed_before_merge
from tformance.pulls.models import PRReview, PullRequest, TeamMember


def review_by_other(author=None, *, via: str = "") -> Q:
    """A review that counts: submitted, not pending, by someone other than the PR's author.

    A condition on reviews; `author` is the PR's author as the review sees it:
    `OuterRef("author_id")` (the default) in a subquery of a PR query,
    `F("pull_request__author_id")` from a query of reviews, `F("author_id")` with
    `via="reviews__"` from PRs joined to their reviews. `pulls.derived.review_by_other` is
    the same rule on a record.
    """
    author = OuterRef("author_id") if author is None else author
    return (
        Q(**{f"{via}submitted_at__isnull": False})
        & ~Q(**{f"{via}state": PRReview.State.PENDING})
        & ~Q(**{f"{via}reviewer_id": author})
    )


def bot_account(member: str, *, team) -> Q:
    """Rows whose `member` (a relation to TeamMember: "author", "reviewer") is one of the
    team's bots: a handful of ids the database hashes once, not a join on every row."""
    bots = TeamMember.objects.filter(team=team, is_bot=True).values("pk")
    return Q(**{f"{member}__in": bots})


def bot_pull_request(*, team) -> Q:
    """PRs left out unless bots are included: by a bot that is not an AI coding agent.

    An AI agent's PRs stay in as AI-assisted work; a bot account is still no person of its
    own (the people table and reviewer load leave out every `bot_account`).
    """
    return bot_account("author", team=team) & Q(is_ai_assisted=False)


def merged_unreviewed() -> Q:
    """Merged without a review from someone else before the merge."""
    return Q(merged_at__isnull=False) & ~reviewed_before_merge()


def waiting_for_review() -> Q:
    """Open, not a draft, and nobody but the author has reviewed it yet."""
    return Q(state=PullRequest.State.OPEN, is_draft=False, first_review_at__isnull=True)


def waiting_since():
    """Since when a PR `waiting_for_review` has waited (`review_requested_at`); else NULL."""
    return Case(
        When(waiting_for_review(), then=review_requested_at()),
        default=None,
        output_field=DateTimeField(),
    )
