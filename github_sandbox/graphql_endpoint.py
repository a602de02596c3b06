"""POST /graphql: parsing, GitHub's limits, rate-limit points, execution, error shapes."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    execute,
    parse,
)

from .graphql_api import Context, default_resolver, schema
from .graphql_execution import ScalarShortcutExecutionContext
from .graphql_limits import Analysis, analyze, operation_of, validation_errors
from .pagination import GitHubGraphQLError
from .responses import Response, server_error_502

# Reference: https://docs.github.com/graphql/guides/forming-calls-with-graphql


def rate_headers(limit: int, remaining: int, used: int, reset: int, resource: str) -> dict:
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": str(reset),
        "X-RateLimit-Used": str(used),
        "X-RateLimit-Resource": resource,
    }


@dataclass(frozen=True)
class GraphQLRequest:
    query: str
    variables: dict
    operation_name: str | None


@dataclass(frozen=True)
class CheckedQuery:
    """A query that parsed, validated and stays within GitHub's node limit."""

    document: DocumentNode
    operation: OperationDefinitionNode
    analysis: Analysis


def handle_graphql(app, token, viewer, body: bytes, web_base: str, rid: str) -> Response:
    request = read_request(body)
    if isinstance(request, Response):
        return request
    checked = check_query(request)
    if isinstance(checked, Response):
        return checked
    faults = app.faults
    if faults.graphql_502_above_nodes is not None and (
        checked.analysis.node_count > faults.graphql_502_above_nodes
    ):
        app.stats.add(served_502=1)
        return server_error_502(True, rid)

    points = 0 if is_dry_run(checked.operation, request.variables) else checked.analysis.cost
    ok, limit, remaining, used, reset = app.auth.charge(
        token.login,
        "graphql",
        points,
        faults.graphql_budget,
        faults.window_seconds,
        faults.window_from_exhaustion,
    )
    headers = rate_headers(limit, remaining, used, reset, "graphql")
    if not ok:
        app.stats.add(primary_limited_graphql=1)
        return rate_limited(viewer, headers)
    app.stats.add(graphql_points=points)
    rate = {
        "cost": checked.analysis.cost,
        "limit": limit,
        "nodeCount": checked.analysis.node_count,
        "remaining": remaining,
        "used": used,
        "resetAt": datetime.fromtimestamp(reset, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    context = Context(app.world, token, viewer, web_base, rate, app.faults)
    app.stats.operation(checked.operation.name.value if checked.operation.name else "")
    return Response(200, execute_checked(checked, request, context), headers)


def read_request(body: bytes) -> GraphQLRequest | Response:
    """The JSON body's query, variables and operation name, or GitHub's answer to a bad body."""
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        return Response(
            400,
            {
                "message": "Problems parsing JSON",
                "documentation_url": "https://docs.github.com/graphql",
            },
        )
    query = payload.get("query") if isinstance(payload, dict) else None
    if not isinstance(query, str):
        return Response(
            200,
            {"errors": [{"message": "A query attribute must be specified and must be a string."}]},
        )
    return GraphQLRequest(query, payload.get("variables") or {}, payload.get("operationName"))


def check_query(request: GraphQLRequest) -> CheckedQuery | Response:
    """Parse, validate, pick the operation and count its nodes, as GitHub does before running it."""
    document, errors = parsed(request.query)
    if errors:
        return Response(200, {"errors": list(errors)})
    gql_schema = schema()
    operation = operation_of(document, request.operation_name)
    if operation is None:
        return Response(200, {"errors": [{"message": "An operation name is required"}]})
    analysis = analyze(gql_schema, document, operation, request.variables)
    if analysis.limit_error:
        return Response(200, {"errors": [analysis.limit_error]})
    return CheckedQuery(document, operation, analysis)


@functools.lru_cache(maxsize=256)
def parsed(query: str) -> tuple[DocumentNode | None, tuple[dict, ...]]:
    """The query's document and its static errors: the same text always gives the same, and
    a client sends the same few queries again and again (cached, as the sandbox's CPU is
    part of what a benchmark of the sync measures). A query that differs from one found
    valid only in its numbers (`pr123: pullRequest(number: 123)` aliases, their cursors'
    variables) is valid too and is not validated again."""
    try:
        document = parse(query)
    except GraphQLSyntaxError as exc:
        return None, (parse_error(exc),)
    shape = numbers_renamed(query)
    if shape is not None and shape in _VALID_SHAPES:
        return document, ()
    errors = tuple(validation_errors(schema(), document))
    if not errors and shape is not None:
        if len(_VALID_SHAPES) >= 1024:
            _VALID_SHAPES.clear()
        _VALID_SHAPES.add(shape)
    return document, errors


# The texts, numbers renamed, of queries that validated without an error.
_VALID_SHAPES: set[str] = set()
_DIGITS = re.compile(r"[0-9]+")


def numbers_renamed(query: str) -> str | None:
    """The query with each distinct run of digits renamed in order of first appearance (1,
    2, ...), or None if a run could be an integer that GraphQL refuses (over 9 digits, or a
    leading zero).

    The renaming is one-to-one, so two queries with the same result differ only in which
    digits they use where, consistently: names stay equal or distinct as they were, no name
    of the schema has a digit, and an integer of up to 9 digits is as valid as another. So
    one validates exactly when the other does (the errors' texts would differ: only the
    absence of errors is shared)."""
    names: dict[str, str] = {}
    for run in _DIGITS.findall(query):
        if len(run) > 9 or (len(run) > 1 and run[0] == "0"):
            return None
        names.setdefault(run, str(len(names) + 1))
    return _DIGITS.sub(lambda match: names[match.group()], query)


def rate_limited(viewer, headers: dict) -> Response:
    # Observed shape of GitHub's answer once the GraphQL budget is spent (HTTP 200).
    return Response(
        200,
        {
            "errors": [
                {
                    "type": "RATE_LIMIT",
                    "code": "graphql_rate_limit",
                    "message": f"API rate limit already exceeded for user ID {viewer.id}.",
                }
            ]
        },
        {**headers, "X-RateLimit-Remaining": "0"},
    )


def execute_checked(checked: CheckedQuery, request: GraphQLRequest, context: Context) -> dict:
    result = execute(
        schema(),
        checked.document,
        variable_values=request.variables,
        operation_name=request.operation_name,
        context_value=context,
        field_resolver=default_resolver,
        # Every resolver here answers at once: graphql-core need not check each value.
        is_awaitable=lambda value: False,
        execution_context_class=ScalarShortcutExecutionContext,
    )
    out: dict = {"data": result.data}
    if result.errors:
        out["errors"] = [format_error(e) for e in result.errors]
    return out


def is_dry_run(operation, variables) -> bool:
    for sel in operation.selection_set.selections:
        if isinstance(sel, FieldNode) and sel.name.value == "rateLimit":
            for arg in sel.arguments or ():
                if arg.name.value == "dryRun":
                    value = arg.value
                    if value.kind == "variable":
                        return bool(variables.get(value.name.value))
                    return getattr(value, "value", False) is True
    return False


def format_error(error: GraphQLError) -> dict:
    """Resolver errors in GitHub's key order: type, path, locations, message."""
    original = error.original_error
    shaped: dict = {}
    if isinstance(original, GitHubGraphQLError):
        shaped["type"] = original.type
    if error.path:
        shaped["path"] = list(error.path)
    shaped["locations"] = [
        {"line": loc.line, "column": loc.column} for loc in error.locations or ()
    ]
    shaped["message"] = (
        original.message if isinstance(original, GitHubGraphQLError) else (error.message)
    )
    return shaped


def parse_error(exc: GraphQLSyntaxError) -> dict:
    """Approximates graphql-ruby's `Parse error on "x" (TOKEN) at [line, col]` wording."""
    loc = exc.locations[0] if exc.locations else None
    where = f" at [{loc.line}, {loc.column}]" if loc else ""
    detail = exc.message.removeprefix("Syntax Error: ")
    shaped = {"message": f"Parse error on {detail}{where}"}
    if loc:
        shaped["locations"] = [{"line": loc.line, "column": loc.column}]
    return shaped
