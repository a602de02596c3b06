"""The metrics' definitions as SQL expressions, identical in meaning on PostgreSQL and SQLite.

What counts as a review, which PRs wait for one and since when, the bot rule, and every
duration: each is written here once and used by every selector. Every duration is a number of seconds (float), computed by the database:
PostgreSQL ``EXTRACT(EPOCH FROM end - start)``, SQLite ``(julianday(end) -
julianday(start)) * 86400``, both rounded to whole seconds. NULL when either end is
NULL, so a PR without a review simply has no pickup time.
"""

from django.db.models import (
    Case,
    DateTimeField,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from tformance.pulls.models import PRReview, PullRequest


class DurationSeconds(Func):
    """Seconds from `start` to `end` (both datetimes)."""

    output_field = FloatField()
    arity = 2

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        return self.as_postgresql(compiler, connection, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        end, start = (compiler.compile(e) for e in self.source_expressions)
        sql = f"ROUND(EXTRACT(EPOCH FROM ({end[0]} - {start[0]})))::double precision"
        return sql, (*end[1], *start[1])

    def as_sqlite(self, compiler, connection, **extra_context):
        end, start = (compiler.compile(e) for e in self.source_expressions)
        sql = f"ROUND((julianday({end[0]}) - julianday({start[0]})) * 86400.0)"
        return sql, (*end[1], *start[1])


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


def review_count():
    """The number of reviews by others (`review_by_other`) a PR received.

    A scalar ``SELECT COUNT(*)`` subquery (no GROUP BY, so never NULL): several times
    cheaper per row on PostgreSQL than a grouped one.
    """
    reviews = (
        PRReview.objects.filter(review_by_other(), pull_request=OuterRef("pk"))
        .order_by()
        .annotate(c=Func(F("pk"), function="COUNT"))
        .values("c")
    )
    return Subquery(reviews, output_field=IntegerField())


def bot_account(member: str) -> Q:
    """Rows whose `member` (a relation to TeamMember: "author", "reviewer") is a bot."""
    return Q(**{f"{member}__is_bot": True})


def bot_pull_request() -> Q:
    """PRs left out unless bots are included: by a bot that is not an AI coding agent.

    An AI agent's PRs stay in as AI-assisted work; a bot account is still no person of its
    own (the people table and reviewer load leave out every `bot_account`).
    """
    return bot_account("author") & Q(is_ai_assisted=False)


def review_requested_at():
    """When review could start: ready-for-review for PRs opened as drafts, else opened."""
    return Coalesce(F("ready_for_review_at"), F("opened_at"))


def reviewed_before_merge() -> Q:
    return Q(first_review_at__isnull=False, first_review_at__lte=F("merged_at"))


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


def cycle_seconds():
    """First commit authored -> merged; PR opened -> merged when commits are missing.

    A first commit dated after the PR was opened (rebases rewrite author dates rarely,
    but clocks lie) falls back to the opening time too.
    """
    start = Case(
        When(
            first_commit_at__isnull=False,
            first_commit_at__lt=F("opened_at"),
            then=F("first_commit_at"),
        ),
        default=F("opened_at"),
    )
    return DurationSeconds(F("merged_at"), start)


def coding_seconds():
    """First commit -> PR opened (0 when the first commit is not earlier)."""
    return Case(
        When(
            first_commit_at__isnull=False,
            first_commit_at__lt=F("opened_at"),
            then=DurationSeconds(F("opened_at"), F("first_commit_at")),
        ),
        default=0.0,
        output_field=FloatField(),
    )


def pickup_seconds():
    """Ready for review -> first review by someone else (only when it came before merge)."""
    return Case(
        When(
            reviewed_before_merge() | Q(merged_at__isnull=True, first_review_at__isnull=False),
            then=Greatest(DurationSeconds(F("first_review_at"), review_requested_at()), 0.0),
        ),
        default=None,
        output_field=FloatField(),
    )


def review_seconds():
    """First review -> merged."""
    return Case(
        When(reviewed_before_merge(), then=DurationSeconds(F("merged_at"), F("first_review_at"))),
        default=None,
        output_field=FloatField(),
    )


def first_review_wait_seconds():
    """Time to first review for any PR that has one (merged or not)."""
    return Case(
        When(
            first_review_at__isnull=False,
            then=Greatest(DurationSeconds(F("first_review_at"), review_requested_at()), 0.0),
        ),
        default=None,
        output_field=FloatField(),
    )
