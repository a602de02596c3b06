"""A PR's durations, as SQL expressions of its own columns, identical on PostgreSQL and SQLite.

Each is a number of seconds (float), computed by the database: PostgreSQL ``EXTRACT(EPOCH
FROM end - start)``, SQLite ``(julianday(end) - julianday(start)) * 86400``, both rounded
to whole seconds; NULL when either end is NULL, so a PR without a review simply has no
pickup time. They read nothing but the PR's row, so `PullRequest` stores each one as a
generated column (`GeneratedField`): the database keeps them right on every write, and the
dashboard sorts and takes percentiles of stored numbers instead of computing them per row.
"""

from django.db.models import Case, F, FloatField, Func, Q, When
from django.db.models.functions import Coalesce, Greatest


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


def review_requested_at():
    """When review could start: ready-for-review for PRs opened as drafts, else opened."""
    return Coalesce(F("ready_for_review_at"), F("opened_at"))


def reviewed_before_merge() -> Q:
    return Q(first_review_at__isnull=False, first_review_at__lte=F("merged_at"))


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
