"""Several reads of one page in one round trip.

On PostgreSQL the queries become branches of one `UNION ALL`, each row turned into JSON
(`row_to_json`) with its branch's name, so that queries of any shape travel together (and
the planner may run branches side by side). Elsewhere they run one after the other. Either
way each query's rows come back as dicts; with JSON, timestamps and dates are ISO text.
"""

import json

from django.db import connection


def query_rows(query) -> list[dict]:
    """The rows of a `values()` queryset or of (SQL, params), as dicts."""
    if not isinstance(query, tuple):
        return list(query)
    with connection.cursor() as cursor:
        cursor.execute(*query)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def queries_together(queries: dict, *, side_by_side: dict | None = None) -> dict[str, list[dict]]:
    """`query_rows` of each of `queries` and `side_by_side` (name -> queryset or (SQL,
    params)), by name.

    On PostgreSQL the queries of `side_by_side` are a `UNION ALL` of their own, planned
    apart (`OFFSET 0` keeps PostgreSQL from merging it with the others), so that it can run
    them side by side in parallel workers (Parallel Append) whatever the others are: one
    query that cannot be parallel-safe (a CTE) or that is split across workers by
    PostgreSQL itself (a large scan) rules out a Parallel Append of every branch.
    """
    side_by_side = side_by_side or {}
    if connection.vendor != "postgresql":
        return {name: query_rows(query) for name, query in {**side_by_side, **queries}.items()}
    sql, params = [], []
    if side_by_side:
        nested, params = _union(side_by_side)
        sql.append(f"SELECT * FROM ({nested} OFFSET 0) side_by_side")
    if queries:
        rest, rest_params = _union(queries)
        sql.append(rest)
        params += rest_params
    found: dict[str, list[dict]] = {name: [] for name in {**side_by_side, **queries}}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sql), params)
        for name, row in cursor.fetchall():
            found[name].append(json.loads(row))
    return found


def _union(queries: dict) -> tuple[str, list]:
    """`queries` as one `UNION ALL` of (name, row as JSON text) rows, with its params."""
    sql, params = [], []
    for name, query in queries.items():
        branch, branch_params = query if isinstance(query, tuple) else query.query.sql_with_params()
        sql.append(f"SELECT %s AS name, row_to_json(b)::text AS row FROM ({branch}) b")
        params += [name, *branch_params]
    return " UNION ALL ".join(sql), params
