"""The PR list as CSV: every row of the filtered list, streamed in blocks of lines.

On PostgreSQL the database writes each line (`CsvLine`): Python's `csv` module with its
default dialect, the spreadsheet-formula guard and Python's `isoformat`, `str(bool)` and
`int` spelled in SQL, so that 10,000 rows are 10,000 strings to pass on rather than
10,000 × 21 values to parse and print again. SQLite (the demo's database) reads the values
and writes them with `csv.writer`; a test holds both to the same bytes.
"""

import csv
import json

from django.db import NotSupportedError, connection
from django.db.models import F, Func, TextField

from tformance.jira.selectors import jira_issue_keys_linkable
from tformance.metrics.selectors.pull_requests import PullRequestQuery, pull_request_table

# (the CSV's column, the field it is written from), in order.
COLUMNS = [
    ("repository", "repository__full_name"),
    ("number", "number"),
    ("title", "title"),
    ("author", "author__login"),
    ("state", "state"),
    ("draft", "is_draft"),
    ("opened_at", "opened_at"),
    ("merged_at", "merged_at"),
    ("closed_at", "closed_at"),
    ("cycle_seconds", "cycle_seconds"),
    ("coding_seconds", "coding_seconds"),
    ("pickup_seconds", "pickup_seconds"),
    ("review_seconds", "review_seconds"),
    ("first_review_seconds", "first_review_seconds"),
    ("reviews", "review_count"),
    ("additions", "additions"),
    ("deletions", "deletions"),
    ("size", "size_bucket"),
    ("ai_assisted", "is_ai_assisted"),
    ("ai_tools", "ai_tools"),
    ("url", "url"),
]
CSV_COLUMNS = [column for column, _ in COLUMNS]
JIRA_COLUMN = "jira_issues"
FIELDS = [field for _, field in COLUMNS]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BLOCK = 2000  # lines per block written
# A title that starts like a formula or holds what csv quotes (QUOTE_MINIMAL).
TITLE_NEEDS_CARE = "^[" + "".join(FORMULA_STARTS).replace("-", "") + '-]|[,"\r\n]'


def csv_lines(*, filters, query: PullRequestQuery):
    """The CSV's lines in blocks of `BLOCK`: a header, then one line per PR of the list.

    With Jira, a last column lists the issues each PR links to (`jira.selectors`).
    """
    rows = pull_request_table(filters=filters, query=query)
    jira = jira_issue_keys_linkable(team=filters.team)
    header = CSV_COLUMNS + [JIRA_COLUMN] if jira is not None else CSV_COLUMNS
    yield _line(header)
    if connection.vendor != "postgresql":
        lines = (
            (_line(_cells(values[:-1])), values[-1])
            for values in rows.values_list(*FIELDS, "issue_keys").iterator(BLOCK)
        )
        blocks = _batched(lines)
    elif jira is None:  # the lines as PostgreSQL wrote them: nothing to decode or add
        for block in _fetched(rows.annotate(_line=CsvLine()).values_list("_line")):
            yield "".join(line for (line,) in block)
        return
    else:
        blocks = _fetched(rows.annotate(_line=CsvLine()).values_list("_line", "issue_keys"))
    for block in blocks:
        if jira is not None:
            # Keys are capitals, digits and hyphens, joined by ";": no cell to quote.
            block = [
                (f"{line[:-2]},{';'.join(k for k in _keys(issue_keys) if k in jira)}\r\n", None)
                for line, issue_keys in block
            ]
        yield "".join(line for line, _ in block)


def _fetched(rows):
    """The tuples of the `values_list` queryset `rows`, `BLOCK` at a time, from a cursor of
    PostgreSQL's own (a named one, as `iterator()` uses) without the ORM's work per row: the
    lines are text already and are passed on as they come."""
    sql, params = rows.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while block := cursor.fetchmany(BLOCK):
            yield block


def _batched(rows):
    block = []
    for row in rows:
        block.append(row)
        if len(block) >= BLOCK:
            yield block
            block = []
    if block:
        yield block


def _keys(issue_keys) -> list[str]:
    """A PR's issue keys: a list from the ORM, JSON text from a cursor of Django's psycopg
    (it leaves jsonb for JSONField to decode)."""
    return json.loads(issue_keys) if isinstance(issue_keys, str) else issue_keys


class _Echo:
    def write(self, value):
        return value


_writer = csv.writer(_Echo())


def _line(cells) -> str:
    return _writer.writerow(cells)


def _cells(values) -> list:
    """One PR's cells (its values in FIELDS order), as the CSV has them."""
    (
        repository,
        number,
        title,
        author,
        state,
        draft,
        opened_at,
        merged_at,
        closed_at,
        cycle,
        coding,
        pickup,
        review,
        first_review,
        reviews,
        additions,
        deletions,
        size,
        ai_assisted,
        ai_tools,
        url,
    ) = values
    merged = bool(merged_at)
    return [
        repository,
        number,
        _cell(title),
        author or "",
        state,
        draft,
        _iso(opened_at),
        _iso(merged_at),
        _iso(closed_at),
        _int(cycle if merged else None),
        _int(coding if merged else None),
        _int(pickup),
        _int(review),
        _int(first_review),
        reviews,
        additions,
        deletions,
        size,
        ai_assisted,
        ";".join(ai_tools or []),
        url,
    ]


def _cell(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading quote (CSV injection)."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _int(value):
    return "" if value is None else int(value)


class CsvLine(Func):
    """A PR's line of the CSV, written by PostgreSQL exactly as `_line(_cells(...))`."""

    output_field = TextField()

    def __init__(self):
        super().__init__(*(F(name) for name in FIELDS))

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("CsvLine is PostgreSQL's; elsewhere csv.writer writes lines.")

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = {}, []
        for name, expression in zip(FIELDS, self.source_expressions, strict=True):
            sql[name], found = compiler.compile(expression)
            params += found
        if params:  # columns only: every one is used more than once below
            raise NotSupportedError("CsvLine reads columns, not expressions with parameters.")
        c = sql
        merged = f"{c['merged_at']} IS NOT NULL"
        # One regular expression finds the few titles that need a guard or quotes; the
        # others are passed on as they are instead of being tested for each rule in turn.
        guarded = (
            f"CASE WHEN left({c['title']}, 1) IN ({', '.join(map(_literal, FORMULA_STARTS))}) "
            f"THEN '''' || {c['title']} ELSE {c['title']} END"
        )
        title = (
            f"CASE WHEN {c['title']} ~ {_literal(TITLE_NEEDS_CARE)} "
            f"THEN {_quoted(guarded)} ELSE {c['title']} END"
        )
        tools = (
            f"(SELECT {_quoted('t')} FROM (SELECT array_to_string(ARRAY(SELECT "
            f"jsonb_array_elements_text({c['ai_tools']})), ';') AS t) tools)"
        )
        tools = f"CASE WHEN {c['ai_tools']} = '[]'::jsonb THEN '' ELSE {tools} END"
        cells = [
            _quoted(c["repository__full_name"]),
            f"{c['number']}::text",
            title,
            _quoted(f"coalesce({c['author__login']}, '')"),
            c["state"],  # a choice: lowercase letters
            _bool(c["is_draft"]),
            _iso_sql(c["opened_at"]),
            _iso_sql(c["merged_at"]),
            _iso_sql(c["closed_at"]),
            f"CASE WHEN {merged} THEN {_int_sql(c['cycle_seconds'])} ELSE '' END",
            f"CASE WHEN {merged} THEN {_int_sql(c['coding_seconds'])} ELSE '' END",
            _int_sql(c["pickup_seconds"]),
            _int_sql(c["review_seconds"]),
            _int_sql(c["first_review_seconds"]),
            f"{c['review_count']}::text",
            f"{c['additions']}::text",
            f"{c['deletions']}::text",
            c["size_bucket"],  # a choice: capitals
            _bool(c["is_ai_assisted"]),
            tools,
            _quoted(c["url"]),
        ]
        return "(" + " || ',' || ".join(cells) + " || E'\\r\\n')", []


def _literal(text: str) -> str:
    return (
        "E'"
        + text.replace("\\", "\\\\").replace("'", "\\'").replace("\t", "\\t").replace("\r", "\\r")
        + "'"
    )


def _quoted(sql: str) -> str:
    """csv's QUOTE_MINIMAL: quoted (quotes doubled) when it holds , " CR or LF."""
    return (
        f"CASE WHEN ({sql}) ~ E'[,\"\\r\\n]' "
        f"THEN '\"' || replace({sql}, '\"', '\"\"') || '\"' ELSE ({sql}) END"
    )


def _bool(sql: str) -> str:
    return f"CASE WHEN {sql} THEN 'True' ELSE 'False' END"


def _int_sql(sql: str) -> str:
    return f"coalesce(trunc({sql})::bigint::text, '')"


def _iso_sql(sql: str) -> str:
    """`datetime.isoformat` of a UTC timestamp ("" for none): microseconds only if any."""
    return (
        f"coalesce(replace(to_char(({sql}) AT TIME ZONE 'UTC', "
        f"'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '.000000', '') || '+00:00', '')"
    )
