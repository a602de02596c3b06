"""The CSV lines PostgreSQL writes (`CsvLine`) are byte for byte those `csv.writer` writes
from the same values (SQLite's way), on the values that need quoting, guarding or care."""

import datetime as dt

import pytest
from django.db import connection

from tests.helpers.ci import skip_or_fail
from tests.helpers.factories import (
    PRReviewFactory,
    PullRequestFactory,
    TeamMemberFactory,
    TrackedRepositoryFactory,
)
from tformance.dashboard.export import FIELDS, CsvLine, _cells, _line
from tformance.pulls.models import PullRequest

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
TITLES = [
    "Plain title",
    "A, comma",
    'Say "hi"',
    "Two\nlines",
    "Carriage\rreturn",
    "=HYPERLINK(1)",
    "+1 more",
    "-minus",
    "@mention",
    "\tTabbed",
    "'quoted already",
    "Ünïcödé ✓ 日本語",
    "",
]


def test_postgresql_writes_each_line_as_csv_writer_does(team):
    if connection.vendor != "postgresql":
        skip_or_fail("CsvLine is PostgreSQL's; SQLite writes lines with csv.writer")
    repository = TrackedRepositoryFactory(team=team, full_name="acme/api")
    bob = TeamMemberFactory(team=team, login="bob")
    for i, title in enumerate(TITLES):
        merged = i % 3 != 0
        pr = PullRequestFactory(
            repository=repository,
            title=title,
            author=None if i % 5 == 0 else TeamMemberFactory(team=team),
            state="merged" if merged else "open",
            is_draft=i % 4 == 0,
            opened_at=T0 + dt.timedelta(hours=i, microseconds=123400 * (i % 2)),
            merged_at=T0 + dt.timedelta(days=1, hours=i, seconds=7) if merged else None,
            closed_at=T0 + dt.timedelta(days=1, hours=i, seconds=7) if merged else None,
            first_commit_at=T0 - dt.timedelta(hours=i),
            first_review_at=T0 + dt.timedelta(hours=i + 2) if i % 2 else None,
            additions=i * 11,
            deletions=i,
            size_bucket="S",
            is_ai_assisted=i % 3 == 1,
            ai_tools=["Claude", "Copilot"] if i % 3 == 1 else [],
        )
        if i % 2:
            PRReviewFactory(pull_request=pr, reviewer=bob, submitted_at=pr.first_review_at)
    rows = PullRequest.objects.filter(team=team).order_by("pk")

    from_values = [_line(_cells(values)) for values in rows.values_list(*FIELDS)]
    from_database = list(rows.annotate(_line=CsvLine()).values_list("_line", flat=True))

    assert from_database == from_values
    assert any('"' in line for line in from_values) and any(
        "\n" in line[:-2] for line in from_values
    )
