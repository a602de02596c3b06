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


def queries_together(queries: dict) -> dict[str, list[dict]]:
    """`query_rows` of each of `queries` (name -> queryset or (SQL, params)), by name."""
    if connection.vendor != "postgresql":
        return {name: query_rows(query) for name, query in queries.items()}
    sql, params = [], []
    for name, query in queries.items():
        branch, branch_params = query if isinstance(query, tuple) else query.query.sql_with_params()
        sql.append(f"SELECT %s, row_to_json(b)::text FROM ({branch}) b")
        params += [name, *branch_params]
    found: dict[str, list[dict]] = {name: [] for name in queries}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sql), params)
        for name, row in cursor.fetchall():
            found[name].append(json.loads(row))
    return found
