"""GitHub's GraphQL query rules: node limit, point cost and validation error shapes."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    InlineFragmentNode,
    OperationDefinitionNode,
    get_named_type,
    is_composite_type,
    specified_rules,
    validate,
    value_from_ast,
)
from graphql.validation import FieldsOnCorrectTypeRule

NODE_LIMIT = 500_000
RULES = [r for r in specified_rules if r is not FieldsOnCorrectTypeRule]


@dataclass
class Analysis:
    node_count: int = 0
    requests: int = 0
    limit_error: dict | None = None

    @property
    def cost(self) -> int:
        # Reference: https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api#predicting-the-point-value-of-a-query
        # "Divide the number by 100 and round the result"; the minimum is 1.
        return max(1, int(self.requests / 100 + 0.5))


def operation_of(document, operation_name: str | None) -> OperationDefinitionNode | None:
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        return next((o for o in ops if o.name and o.name.value == operation_name), None)
    return ops[0] if len(ops) == 1 else None


def analyze(schema, document, operation, variables: dict) -> Analysis:
    """Counts nodes and requests assuming every connection returns `first`/`last` items.

    Reference: https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api#node-limit
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    result = Analysis()
    root = schema.get_root_type(operation.operation)

    def size_of(field_def, node: FieldNode) -> int:
        sizes = []
        for arg in node.arguments or ():
            if arg.name.value in ("first", "last") and arg.name.value in field_def.args:
                value = value_from_ast(arg.value, field_def.args[arg.name.value].type, variables)
                sizes.append(value if isinstance(value, int) else 0)
        return max(sizes, default=0)

    def walk(selection_set, parent, multiplier: int, seen: frozenset) -> None:
        for sel in selection_set.selections if selection_set else ():
            if isinstance(sel, FieldNode):
                if not isinstance(parent, GraphQLObjectType) and not hasattr(parent, "fields"):
                    continue
                field_def = parent.fields.get(sel.name.value)
                if field_def is None:
                    continue
                named = get_named_type(field_def.type)
                child_multiplier = multiplier
                if named.name.endswith("Connection") and (
                    "first" in field_def.args or "last" in field_def.args
                ):
                    size = size_of(field_def, sel)
                    result.requests += multiplier
                    child_multiplier = multiplier * size
                    result.node_count += child_multiplier
                    if result.limit_error is None and result.node_count > NODE_LIMIT:
                        shown = (
                            child_multiplier
                            if child_multiplier > NODE_LIMIT
                            else (result.node_count)
                        )
                        result.limit_error = {
                            "type": "MAX_NODE_LIMIT_EXCEEDED",
                            "message": (
                                f"By the time this query traverses to the {sel.name.value} "
                                f"connection, it is requesting up to {shown:,} possible nodes "
                                f"which exceeds the maximum limit of {NODE_LIMIT:,}."
                            ),
                        }
                if is_composite_type(named) and sel.selection_set:
                    walk(sel.selection_set, named, child_multiplier, seen)
            elif isinstance(sel, InlineFragmentNode):
                cond = sel.type_condition
                walk(
                    sel.selection_set,
                    schema.get_type(cond.name.value) if cond else parent,
                    multiplier,
                    seen,
                )
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value not in seen:
                frag = fragments.get(sel.name.value)
                if frag is not None:
                    walk(
                        frag.selection_set,
                        schema.get_type(frag.type_condition.name.value),
                        multiplier,
                        seen | {sel.name.value},
                    )

    walk(operation.selection_set, root, 1, frozenset())
    return result


def _locations(node) -> list[dict]:
    loc = node.loc
    if loc is None:
        return []
    from graphql.language import get_location

    where = get_location(loc.source, loc.start)
    return [{"line": where.line, "column": where.column}]


def undefined_fields(schema, document) -> list[dict]:
    """GitHub's `undefinedField` errors, with the path labels graphql-ruby uses."""
    errors = []

    def walk(selection_set, parent, path: list) -> None:
        for sel in selection_set.selections if selection_set else ():
            if isinstance(sel, FieldNode):
                name = sel.name.value
                key = sel.alias.value if sel.alias else name
                if name.startswith("__") or parent is None:
                    continue
                field_def = getattr(parent, "fields", {}).get(name)
                if field_def is None:
                    errors.append(
                        {
                            "path": [*path, key],
                            "extensions": {
                                "code": "undefinedField",
                                "typeName": parent.name,
                                "fieldName": name,
                            },
                            "locations": _locations(sel),
                            "message": f"Field '{name}' doesn't exist on type '{parent.name}'",
                        }
                    )
                    continue
                named = get_named_type(field_def.type)
                if is_composite_type(named):
                    walk(sel.selection_set, named, [*path, key])
            elif isinstance(sel, InlineFragmentNode):
                cond = sel.type_condition
                target = schema.get_type(cond.name.value) if cond else parent
                label = f"... on {cond.name.value}" if cond else "..."
                walk(sel.selection_set, target, [*path, label])

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            op = definition.operation.value
            label = f"{op} {definition.name.value}" if definition.name else op
            walk(definition.selection_set, schema.get_root_type(definition.operation), [label])
        elif isinstance(definition, FragmentDefinitionNode):
            walk(
                definition.selection_set,
                schema.get_type(definition.type_condition.name.value),
                [f"fragment {definition.name.value}"],
            )
    return errors


def validation_errors(schema, document) -> list[dict]:
    """All static errors, reshaped like GitHub's (graphql-ruby) where we know the shape."""
    errors = undefined_fields(schema, document)
    for error in validate(schema, document, RULES):
        message = error.message
        locations = [{"line": loc.line, "column": loc.column} for loc in error.locations or ()]
        shaped = {"locations": locations, "message": message}
        if message.startswith("Unknown argument '"):
            arg = message.split("'")[1]
            field = message.split("'")[3].split(".")[-1]
            shaped = {
                "extensions": {
                    "code": "argumentNotAccepted",
                    "name": field,
                    "typeName": "Field",
                    "argumentName": arg,
                },
                "locations": locations,
                "message": f"Field '{field}' doesn't accept argument '{arg}'",
            }
        elif " is required, but it was not provided." in message and message.startswith("Field"):
            field, arg = message.split("'")[1], message.split("'")[3]
            shaped = {
                "extensions": {
                    "code": "missingRequiredArguments",
                    "className": "Field",
                    "name": field,
                    "arguments": arg,
                },
                "locations": locations,
                "message": f"Field '{field}' is missing required arguments: {arg}",
            }
        errors.append(shaped)
    return errors
