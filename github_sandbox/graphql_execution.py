"""graphql-core's execution with a shortcut for plain scalar fields.

Most of what a page of pull requests returns is scalars: a PR's title, dates and counts, each
file's path and counts, each commit's oid and dates. graphql-core resolves every one of them
the general way (the field looked up, a resolve-info and its path built, the arguments read
from the query, the value completed through nullability, list and leaf checks), which made
the sandbox's CPU per page (about 15 ms for 25 PRs) a large part of a benchmarked sync's time,
on the same machine as the sync. Here a selection's scalar fields are planned once per
execution (field, resolver, arguments, serializer, one shared resolve-info) and each object's
are then resolved and serialised directly. Anything unusual takes graphql-core's own path,
with the same result and the same errors: a resolver that raises, a value that does not
serialise, a null for a non-null field (each resolved again that way), and every field that
returns an object or a list (connections, whose resolvers may have effects, among them). An
object, and a list of objects, of a plain object type are then completed without the
per-value dispatch (their selection collected once, each item's errors handled as
graphql-core handles them). On the 78 queries of a real-shaped full sync (1,517 PRs) the
sandbox's CPU fell from 1.14 s to 0.59 s, every answer identical.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    Undefined,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
    located_error,
)
from graphql.execution import ExecutionContext
from graphql.execution.execute import get_field_def
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path

_SLOW = object()  # resolve this field graphql-core's own way


class ScalarShortcutExecutionContext(ExecutionContext):
    """An ExecutionContext that resolves plain scalar fields without graphql-core's per-field
    machinery (see the module's docstring); results and errors are the same."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # (parent type, id of a collected fields dict) -> (that dict, its plan). The dicts
        # come from `_subfields_cache` (kept for the whole execution, so an id is never
        # reused for another); the plan keeps its dict, and is used only for that one.
        self._plans: dict[tuple[Any, int], tuple[dict, list]] = {}

    def execute_fields(self, parent_type, source_value, path, fields):
        key = (parent_type, id(fields))
        planned = self._plans.get(key)
        if planned is None or planned[0] is not fields:
            planned = (
                fields,
                [self._plan(parent_type, name, nodes) for name, nodes in fields.items()],
            )
            self._plans[key] = planned
        results = {}
        for response_name, field_nodes, shortcut in planned[1]:
            value = _SLOW
            if shortcut is not None:
                value = _resolved(shortcut, source_value)
            if value is _SLOW:
                value = self.execute_field(
                    parent_type,
                    source_value,
                    field_nodes,
                    Path(path, response_name, parent_type.name),
                )
                if value is Undefined:
                    continue
            results[response_name] = value
        return results

    def complete_value(self, return_type, field_nodes, info, path, result):
        object_type = _object_type(return_type)
        if (
            object_type is not None
            and result is not None
            and result is not Undefined
            and not isinstance(result, Exception)
        ):
            # An object: its fields, as graphql-core's complete_object_value runs them.
            fields = self.collect_subfields(object_type, field_nodes)
            return self.execute_fields(object_type, result, path, fields)
        return super().complete_value(return_type, field_nodes, info, path, result)

    def complete_list_value(self, return_type, field_nodes, info, path, result):
        item_type = return_type.of_type
        object_type = _object_type(item_type)
        if object_type is None or not isinstance(result, list | tuple):
            return super().complete_list_value(return_type, field_nodes, info, path, result)
        # A list of objects (a connection's nodes): as graphql-core completes one, with the
        # selection collected once and each item's errors handled as it handles them.
        fields = self.collect_subfields(object_type, field_nodes)
        completed = []
        for index, item in enumerate(result):
            item_path = path.add_key(index, None)
            try:
                if item is None or item is Undefined or isinstance(item, Exception):
                    value = self.complete_value(item_type, field_nodes, info, item_path, item)
                else:
                    value = self.execute_fields(object_type, item, item_path, fields)
            except Exception as raw_error:  # noqa: BLE001 - as graphql-core handles it
                self.handle_field_error(
                    located_error(raw_error, field_nodes, item_path.as_list()), item_type
                )
                value = None
            completed.append(value)
        return completed

    def _plan(self, parent_type, response_name: str, field_nodes: list) -> tuple:
        """(response name, field nodes, shortcut or None) for one field of a selection."""
        field_def = get_field_def(self.schema, parent_type, field_nodes[0])
        if field_def is None or self.middleware_manager is not None:
            return response_name, field_nodes, None
        return_type = field_def.type
        named = get_nullable_type(return_type)
        if not is_leaf_type(named):
            return response_name, field_nodes, None
        try:
            args = get_argument_values(field_def, field_nodes[0], self.variable_values)
        except Exception:  # noqa: BLE001 - graphql-core's own path reports it
            return response_name, field_nodes, None
        # The path is left out: it is only used to locate errors, and any error makes the
        # field resolve again graphql-core's own way, with its path.
        info = GraphQLResolveInfo(
            field_nodes[0].name.value,
            field_nodes,
            return_type,
            parent_type,
            None,
            self.schema,
            self.fragments,
            self.root_value,
            self.operation,
            self.variable_values,
            self.context_value,
            self.is_awaitable,
        )
        resolve = field_def.resolve or self.field_resolver
        shortcut = (resolve, info, args, named.serialize, not is_non_null_type(return_type))
        return response_name, field_nodes, shortcut


def _resolved(shortcut: tuple, source: Any) -> Any:
    """The field's serialised value, or _SLOW if graphql-core must resolve it itself."""
    resolve, info, args, serialize, nullable = shortcut
    try:
        value = resolve(source, info, **args) if args else resolve(source, info)
        if value is None or value is Undefined:
            return None if nullable else _SLOW
        if isinstance(value, Exception):
            return _SLOW
        serialized = serialize(value)
    except Exception:  # noqa: BLE001 - resolved again graphql-core's way, which reports it
        return _SLOW
    if serialized is None or serialized is Undefined:
        return _SLOW
    return serialized


def _object_type(return_type) -> GraphQLObjectType | None:
    """The object type `return_type` is (non-null or not), if it is one with no `is_type_of`
    check; None for anything else (a list, a leaf, an interface or union)."""
    if isinstance(return_type, GraphQLNonNull):
        return_type = return_type.of_type
    if type(return_type) is GraphQLObjectType and return_type.is_type_of is None:
        return return_type
    return None
