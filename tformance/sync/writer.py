"""Write one pull request whole: the PR, its people, reviews, commits and files, or nothing.

Called once per PR inside the sync loop. The PR's children, one row per key, are checked
against GitHub's totalCount before anything is written; then the PR and all of its children
are written in one statement (PostgreSQL) or one transaction (SQLite), so a PR row never
exists without all of its children.
"""

import contextlib
import dataclasses
import datetime as dt
import functools
import json
import logging
import re

import psycopg
from django.db import DatabaseError, OperationalError, connection, models, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from tformance.github.types import PullRequestRecord
from tformance.pulls import derived
from tformance.pulls.models import Commit, PRFile, PRReview, PullRequest, TrackedRepository
from tformance.pulls.stack_days import pull_request_stack_refresh, stack_delta_ctes, stack_key_cte
from tformance.pulls.techstack import file_classify
from tformance.sync.errors import IncompletePullRequest
from tformance.sync.people import (
    PullRequestPeople,
    actor_login,
    pull_request_people_upsert,
    team_member_ghost,
)

logger = logging.getLogger(__name__)
DEADLOCK_ATTEMPTS = 3


def pull_request_write(
    *,
    repository: TrackedRepository,
    record: PullRequestRecord,
    people: PullRequestPeople | None = None,
) -> tuple[PullRequest, PullRequestPeople]:
    """Upsert `record` (complete: `GitHubClient.complete_pull_requests`) whole or not at all.

    On PostgreSQL the PR and its children are one statement; on SQLite one transaction.

    `people` are those its page already upserted (`pull_request_people_upsert`); the ones it
    lacks are upserted here, and returned with them for the next PR.
    """
    if people is None:
        people = PullRequestPeople(
            team=repository.team, ghost_pk=team_member_ghost(team=repository.team).pk
        )
    for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
        try:
            known = pull_request_people_upsert(people=people, records=[record])
            rows = _children(record=record, people=known)
            fields = _pull_request_fields(
                repository=repository,
                record=record,
                people=known,
                review_count=sum(row[-1] for row in rows[_REVIEWS]),
            )
            pr = PullRequest(repository=repository, number=record.number, **fields)
            # The rows are, one per key, all the children the PR will have: a PR that would
            # be stored short of GitHub's counts is refused before anything is written.
            _check_complete(
                pr=pr, stored={kind.name: len(kind_rows) for kind, kind_rows in rows.items()}
            )
            if connection.vendor == "postgresql":
                stored = _pull_request_statement(pr=pr, updated=list(fields), rows=rows)
                # A guard on the statement itself: the rows it upserted are the PR's rows.
                _check_complete(pr=pr, stored=stored)
            else:
                with transaction.atomic():
                    stored = _pull_request_orm(pr=pr, updated=list(fields), rows=rows)
                    _check_complete(pr=pr, stored=stored)
            return pr, known
        except OperationalError as exc:
            # PostgreSQL broke a deadlock with another sync by rolling this PR back;
            # the write is idempotent, so it is simply done again.
            if (
                attempt == DEADLOCK_ATTEMPTS
                or not _is_deadlock(exc)
                or transaction.get_connection().in_atomic_block
            ):
                raise
            logger.info("[sync] #%s deadlocked with another sync; retry %d", record.number, attempt)
    raise AssertionError("unreachable")


@contextlib.contextmanager
def commits_not_flushed_first():
    """While this is open, a commit on this thread's connection (PostgreSQL, outside an atomic
    block: each PR's statement is a transaction of its own) returns without waiting for its
    WAL to reach the disk (`synchronous_commit = off`); RESET after.

    A PR written this way is as atomic and as visible to every other session as before; a
    crash of the database server (not of the worker) can lose the last fraction of a second
    of them. Nothing is lost for the sync: WAL is written in order, so a checkpoint that
    survives a crash has every PR written before it, and one that did not survive leaves
    the run at the checkpoint before, whose next pages are written again. For 1,517 PRs the
    waits for the disk had been about 0.7 s of a full sync's 3.9 (at no latency), one flush
    per PR.
    Reference: https://www.postgresql.org/docs/current/wal-async-commit.html
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        if connection.connection is not None and not connection.in_atomic_block:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("RESET synchronous_commit")
            except DatabaseError:
                # A connection that broke has no session left to reset; the error that
                # broke it is the one raised.
                logger.info("[sync] could not reset synchronous_commit", exc_info=True)


def _is_deadlock(exc: OperationalError) -> bool:
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    return sqlstate in ("40P01", "40001")  # deadlock_detected, serialization_failure


def _pull_request_fields(
    *, repository, record: PullRequestRecord, people: PullRequestPeople, review_count: int
) -> dict:
    """The PR's columns that a sync writes (all but its repository and number)."""
    author_login = actor_login(record.author) if record.author else None
    tools = derived.ai_tools(record, author_login=author_login)
    fields = {
        "team": repository.team,
        "github_node_id": record.node_id,
        "github_id": record.database_id or 0,
        "title": record.title,
        "body": record.body,
        "state": record.state.lower(),
        "is_draft": record.is_draft,
        "author_id": people.pk(record.author),
        "base_ref": record.base_ref,
        "head_ref": record.head_ref,
        "url": record.url,
        "opened_at": record.created_at,
        "github_updated_at": record.updated_at,
        "ready_for_review_at": record.ready_for_review_at,
        "merged_at": record.merged_at,
        "closed_at": record.closed_at,
        "additions": record.additions,
        "deletions": record.deletions,
        "changed_files": record.changed_files,
        "commits_count": record.commits.total_count,
        "files_total": derived.files_total(record),
        "commits_total": record.commits.total_count,
        "reviews_total": record.reviews.total_count,
        "files_capped": derived.files_capped(record),
        "commits_capped": derived.commits_capped(record),
        "first_commit_at": derived.first_commit_at(record),
        "first_review_at": derived.first_review_at(record),
        "size_bucket": derived.size_bucket(additions=record.additions, deletions=record.deletions),
        "is_ai_assisted": bool(tools),
        "ai_tools": tools,
        "issue_keys": derived.issue_keys(
            head_ref=record.head_ref, title=record.title, body=record.body
        ),
        "review_count": review_count,
        "synced_at": timezone.now(),
    }
    return fields


@dataclasses.dataclass(frozen=True, eq=False)
class _Kind:
    """A kind of child row: its model, its natural key within the PR (the first column),
    the columns the sync writes with their PostgreSQL types, and its name in the checks."""

    name: str
    model: type[models.Model]
    columns: dict[str, str]

    @property
    def key(self) -> str:
        return next(iter(self.columns))


_REVIEWS = _Kind(
    "reviews",
    PRReview,
    {
        "github_id": "bigint",
        "reviewer_id": "bigint",
        "state": "text",
        "submitted_at": "timestamptz",
        "body_length": "integer",
        "by_other": "boolean",  # last: the PR's review_count is their sum
    },
)
_COMMITS = _Kind(
    "commits",
    Commit,
    {
        "sha": "text",
        "author_id": "bigint",
        "author_name": "text",
        "author_email": "text",
        "committer_id": "bigint",
        "committer_name": "text",
        "committer_email": "text",
        "message": "text",
        "authored_at": "timestamptz",
        "committed_at": "timestamptz",
        "additions": "integer",
        "deletions": "integer",
    },
)
_FILES = _Kind(
    "files",
    PRFile,
    {
        "path": "text",
        "previous_path": "text",
        "change_type": "text",
        "additions": "integer",
        "deletions": "integer",
        "language": "text",
        "category": "text",
    },
)
_KINDS = (_REVIEWS, _COMMITS, _FILES)


def _children(*, record: PullRequestRecord, people: PullRequestPeople) -> dict[_Kind, list[tuple]]:
    """The PR's reviews, commits and files as rows of their kind's columns, one per key.

    A list that shifted while it was paged can repeat an item; an upsert cannot touch a row
    twice, so the last one stays and the completeness check sees the shortfall.
    """
    files = []
    for f in record.files.items:
        language, category = file_classify(f.path)
        files.append(
            (
                f.path,
                f.previous_path,
                f.change_type.lower(),
                f.additions,
                f.deletions,
                language,
                category,
            )
        )
    rows = {
        _REVIEWS: [
            (
                r.database_id,
                people.pk(r.author),
                r.state.lower(),
                r.submitted_at,
                len(r.body or ""),
                derived.review_by_other(r, author=record.author),
            )
            for r in record.reviews.items
        ],
        _COMMITS: [
            (
                c.sha,
                people.pks.get(c.author_database_id),
                c.author_name or "",
                c.author_email or "",
                people.pks.get(c.committer_database_id),
                c.committer_name or "",
                c.committer_email or "",
                c.message,
                c.authored_at,
                c.committed_at,
                c.additions,
                c.deletions,
            )
            for c in record.commits.items
        ],
        _FILES: files,
    }
    return {
        kind: list({row[0]: row for row in kind_rows}.values()) for kind, kind_rows in rows.items()
    }


def _pull_request_statement(
    *, pr: PullRequest, updated: list[str], rows: dict[_Kind, list[tuple]]
) -> dict[str, int]:
    """Upsert the PR and make its children exactly `rows`, in one statement.

    One statement is one atomic step in PostgreSQL: the PR and all of its children are
    stored together or not at all, and no reader sees one without the others. Each kind is
    upserted on its natural key and its other rows deleted, in data-modifying CTEs that all
    see the rows as they were before the statement; the upserted rows are all the PR has
    afterwards, so their counts are the stored counts. Sets `pr.pk`.
    """
    params = {
        f.column: f.get_db_prep_save(getattr(pr, f.attname), connection)
        for f in _pull_request_columns()
        if f.name not in _KEYED
    }
    with connection.wrap_database_errors:  # as psycopg's own refusals are raised
        for kind in _KINDS:
            params[f"{kind.name}_rows"] = _rows_json(rows[kind])
    text, names = _statement(tuple(updated))
    with _prepared_cursor() as cursor:
        cursor.execute(text, [params[name] for name in names])
        pr.pk, *stored = cursor.fetchone()
    pr._state.adding = False
    return {kind.name: n for kind, n in zip(_KINDS, stored, strict=True)}


# The key the PR's files are counted under by day (`pulls.stack_days`) comes from the
# statement's first CTE, with the key it had before.
_KEYED = {"stack_day": "(SELECT day FROM s_k)", "stack_bot": "(SELECT bot FROM s_k)"}


@functools.cache
def _pull_request_columns() -> list[models.Field]:
    """The PR's fields the statement writes: all but its id and the generated columns,
    which PostgreSQL computes."""
    return [
        f
        for f in PullRequest._meta.concrete_fields
        if not f.primary_key and not getattr(f, "generated", False)
    ]


@functools.cache
def _statement(updated: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The text of `_pull_request_statement`, the same for every PR, and the names of its
    parameters in order: it is written with placeholders named after the PR's columns
    (`stack_key_cte` binds some of them too) and, for each kind, `<kind>_rows`, its rows as
    one JSON array of arrays that its CTE `<kind>_in` turns into typed rows once, for its
    upsert, its delete and the tech stack by day.

    At about 7.7 KB it is longer than psycopg caches the parsing of (4 KB), so it is sent
    with PostgreSQL's own numbered placeholders (`_numbered`), which psycopg passes as
    they are instead of splitting the text at its placeholders for every PR.
    """
    qn = connection.ops.quote_name
    fields = _pull_request_columns()
    by_name = {f.attname: f for f in fields} | {f.name: f for f in fields}
    values = ", ".join(_KEYED.get(f.name, f"%({f.column})s") for f in fields)
    updates = ", ".join(
        f"{qn(by_name[n].column)} = EXCLUDED.{qn(by_name[n].column)}" for n in [*updated, *_KEYED]
    )
    ctes = [
        stack_key_cte(),
        f"pr AS (INSERT INTO {qn(PullRequest._meta.db_table)} "
        f"({', '.join(qn(f.column) for f in fields)}) VALUES ({values}) "
        f"ON CONFLICT (repository_id, number) DO UPDATE SET {updates} "
        "RETURNING id, team_id, repository_id)",
    ]
    counts = []
    for kind in _KINDS:
        table, key, columns = qn(kind.model._meta.db_table), qn(kind.key), list(kind.columns)
        names = ", ".join(qn(c) for c in columns)
        typed = ", ".join(
            f"r->>{n}" if kind.columns[c] == "text" else f"(r->>{n})::{kind.columns[c]}"
            for n, c in enumerate(columns)
        )
        updates = ", ".join(f"{qn(c)} = EXCLUDED.{qn(c)}" for c in columns[1:])
        ctes += [
            f"{kind.name}_in ({names}) AS (SELECT {typed} "
            f"FROM jsonb_array_elements(%({kind.name}_rows)s::jsonb) r)",
            f"{kind.name}_up AS (INSERT INTO {table} (team_id, pull_request_id, {names}) "
            f"SELECT p.team_id, p.id, i.* FROM pr p, {kind.name}_in i "
            f"ON CONFLICT (pull_request_id, {key}) DO UPDATE SET {updates} RETURNING 1)",
            f"{kind.name}_gone AS (DELETE FROM {table} WHERE pull_request_id = "
            f"(SELECT id FROM pr) AND {key} NOT IN (SELECT {key} FROM {kind.name}_in))",
        ]
        counts.append(f"(SELECT count(*) FROM {kind.name}_up)")
    # The tech stack by day follows the files (`pulls.stack_days`), in the same statement:
    # its CTEs read the PR's key and files as they were before it, from the snapshot.
    ctes += stack_delta_ctes(pull_request="pr", files=f"{_FILES.name}_in")
    return _numbered(f"WITH {', '.join(ctes)} SELECT (SELECT id FROM pr), {', '.join(counts)}")


def _numbered(text: str) -> tuple[str, tuple[str, ...]]:
    """`text` with its `%(name)s` placeholders as PostgreSQL's `$1`, `$2`... (a name used
    twice is one number), and the names in their numbers' order."""
    names: dict[str, int] = {}

    def number(match: re.Match) -> str:
        return f"${names.setdefault(match.group(1), len(names) + 1)}"

    numbered = re.sub(r"%\((\w+)\)s", number, text)
    if "%" in numbered.replace("%%", ""):
        raise ValueError("the statement has a placeholder that is not %(name)s")
    return numbered.replace("%%", "%"), tuple(names)


def _json_default(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_json_encode = json.JSONEncoder(
    ensure_ascii=False, check_circular=False, separators=(",", ":"), default=_json_default
).encode


def _rows_json(rows: list[tuple]) -> str:
    """`rows` as a JSON array of arrays, for a `jsonb` parameter.

    jsonb cannot hold NUL; a text with one is refused before it is sent, as psycopg
    refuses one in any text parameter.
    """
    text = _json_encode(rows)
    if "\\u0000" in text and any("\x00" in v for row in rows for v in row if isinstance(v, str)):
        raise psycopg.DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    return text


class _Cursor(psycopg.RawCursor):
    """psycopg's cursor that binds on the server with PostgreSQL's numbered placeholders;
    `prepare=False` keeps it from preparing."""

    prepare: bool | None = None  # None: as the connection's prepare_threshold says

    def execute(self, query, params=None, *, prepare=None, binary=None):
        prepare = self.prepare if prepare is None else prepare
        return super().execute(query, params, prepare=prepare, binary=binary)


def _prepared_cursor():
    """A cursor that binds parameters on the server, so PostgreSQL prepares the statement
    once per connection (`DATABASE_PREPARED_STATEMENTS` sets psycopg's `prepare_threshold`;
    Django's own cursors bind on the client and never prepare) instead of parsing and
    planning its dozen CTEs for every PR. psycopg forgets the text of a prepared statement,
    which Django's query log reads: while queries are logged (tests, DEBUG) it is not
    prepared."""
    connection.ensure_connection()
    raw = _Cursor(connection.connection)
    if connection.queries_logged:
        raw.prepare = False
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


def _pull_request_orm(
    *, pr: PullRequest, updated: list[str], rows: dict[_Kind, list[tuple]]
) -> dict[str, int]:
    """`_pull_request_statement` for SQLite (the demo's database): a few statements per
    kind, inside the caller's transaction; returns the counts it finds stored afterwards."""
    # INSERT … ON CONFLICT instead of update_or_create's SELECT, savepoint and UPDATE.
    [stored_pr] = PullRequest.objects.bulk_create(
        [pr],
        update_conflicts=True,
        unique_fields=["repository", "number"],
        update_fields=[
            name.removesuffix("_id") if name == "author_id" else name for name in updated
        ],
    )
    pr.pk = stored_pr.pk
    for kind, kind_rows in rows.items():
        columns = list(kind.columns)
        objs = [
            kind.model(team_id=pr.team_id, pull_request=pr, **dict(zip(columns, row, strict=True)))
            for row in kind_rows
        ]
        if objs:
            kind.model.objects.bulk_create(
                objs,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["pull_request", kind.key],
                update_fields=[c.removesuffix("_id") for c in columns[1:]],
            )
        kind.model.objects.filter(pull_request=pr).exclude(
            **{f"{kind.key}__in": [row[0] for row in kind_rows]}
        ).delete()
    pull_request_stack_refresh(pull_request=pr)
    counts = PullRequest.objects.filter(pk=pr.pk).values(
        **{f"n_{kind.name}": _count(kind.model) for kind in rows}
    )
    return {name.removeprefix("n_"): n for name, n in counts.get().items()}


def _count(model):
    """The PR's number of `model` rows, as a subquery (one query counts all three)."""
    rows = (
        model.objects.filter(pull_request=OuterRef("pk"))
        .order_by()
        .values("pull_request")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _check_complete(*, pr: PullRequest, stored: dict[str, int]) -> None:
    """Fail (and roll back the PR) unless the stored children match GitHub's counts."""
    expected = {
        "files": derived.FILES_CAP if pr.files_capped else pr.files_total,
        "commits": derived.COMMITS_CAP if pr.commits_capped else pr.commits_total,
        "reviews": pr.reviews_total,
    }
    wrong = [
        f"{k}: stored {stored[k]}, GitHub has {expected[k]}"
        for k in expected
        if stored[k] != expected[k]
    ]
    if wrong:
        raise IncompletePullRequest(
            f"{pr.repository.full_name}#{pr.number} is incomplete ({'; '.join(wrong)})."
        )
