"""The small JQL grammar the product sends, and nothing more.

    query   := [clause (AND clause)*] [ORDER BY key [ASC|DESC] (, key [ASC|DESC])*]
    clause  := project (= value | IN (value, ...)) | key (= value | IN (...))
             | (updated | created) (>= | > | <= | < | =) "yyyy-MM-dd[ HH:mm]"

Dates are read in the account's time zone, which is UTC here. Anything else raises
`JqlError` with Jira's wording, answered as a 400.
Reference: https://support.atlassian.com/jira-software-cloud/docs/use-advanced-search-with-jira-query-language-jql/
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

TOKEN = re.compile(r'\s*(?:(>=|<=|!=|=|>|<|\(|\)|,)|"([^"]*)"|\'([^\']*)\'|([^\s=<>!(),"\']+))')
SORTABLE = {"updated", "created", "key", "id"}
DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")


class JqlError(ValueError):
    pass


@dataclass
class Query:
    projects: list[str] | None = None  # None: no project restriction
    keys: list[str] | None = None
    times: list[tuple[str, str, datetime]] = field(default_factory=list)  # (field, op, when)
    order: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)

    @property
    def bounded(self) -> bool:
        return bool(self.projects or self.keys or self.times)


def tokenize(text: str) -> list[tuple[str, str]]:
    """(kind, value) pairs; kind is 'op', 'str' (quoted) or 'word'."""
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise JqlError(f"Error in the JQL Query: The character '{text[pos]}' is reserved.")
        op, dq, sq, word = match.groups()
        if op is not None:
            tokens.append(("op", op))
        elif dq is not None or sq is not None:
            tokens.append(("str", dq if dq is not None else sq))
        else:
            tokens.append(("word", word))
        pos = match.end()
    return tokens


def parse_date(value: str) -> datetime:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise JqlError(
        f"Date value '{value}' for field 'updated' is invalid. Valid formats include: "
        "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period "
        "format e.g. '-5d', '4w 2d'."
    )


class Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.pos = 0

    def peek(self, offset: int = 0):
        at = self.pos + offset
        return self.tokens[at] if at < len(self.tokens) else (None, None)

    def take(self):
        token = self.peek()
        self.pos += 1
        return token

    def word_is(self, *words: str, offset: int = 0) -> bool:
        kind, value = self.peek(offset)
        return kind == "word" and value.lower() in words

    def expect_value(self) -> str:
        kind, value = self.take()
        if kind not in ("word", "str"):
            raise JqlError(f"Error in the JQL Query: Expecting a value but got '{value}'.")
        return value

    def values(self) -> list[str]:
        kind, value = self.take()
        if (kind, value) == ("op", "="):
            return [self.expect_value()]
        if kind == "word" and value.lower() == "in":
            if self.take() != ("op", "("):
                raise JqlError("Error in the JQL Query: Expecting '(' after 'in'.")
            found = [self.expect_value()]
            while self.peek() == ("op", ","):
                self.take()
                found.append(self.expect_value())
            if self.take() != ("op", ")"):
                raise JqlError("Error in the JQL Query: Expecting ')' or ',' in the list.")
            return found
        raise JqlError(f"Error in the JQL Query: Expecting operator '=' or 'in' but got '{value}'.")

    def clause(self, query: Query) -> None:
        kind, name = self.take()
        if kind not in ("word", "str"):
            raise JqlError(f"Error in the JQL Query: Expecting a field name but got '{name}'.")
        low = name.lower()
        if low == "project":
            query.projects = (query.projects or []) + [v.upper() for v in self.values()]
        elif low in ("key", "issuekey", "issue"):
            query.keys = (query.keys or []) + [v.upper() for v in self.values()]
        elif low in ("updated", "created", "updateddate", "createddate"):
            kind, op = self.take()
            if kind != "op" or op not in (">=", ">", "<=", "<", "="):
                raise JqlError(f"Error in the JQL Query: Expecting an operator after '{name}'.")
            query.times.append((low.removesuffix("date"), op, parse_date(self.expect_value())))
        else:
            raise JqlError(
                f"Field '{name}' does not exist or you do not have permission to view it."
            )

    def order_by(self, query: Query) -> None:
        self.take(), self.take()  # ORDER BY
        while True:
            kind, name = self.take()
            if kind not in ("word", "str") or name.lower() not in SORTABLE:
                raise JqlError(f"Not able to sort using field '{name}'.")
            desc = False
            if self.word_is("asc", "desc"):
                desc = self.take()[1].lower() == "desc"
            query.order.append((name.lower(), desc))
            if self.peek() != ("op", ","):
                break
            self.take()

    def parse(self) -> Query:
        query = Query()
        while self.peek()[0] is not None and not self.word_is("order"):
            self.clause(query)
            if self.word_is("and"):
                self.take()
            elif self.peek()[0] is not None and not self.word_is("order"):
                _, value = self.peek()
                raise JqlError(
                    f"Error in the JQL Query: Expecting 'AND' or 'ORDER BY' at '{value}'."
                )
        if self.word_is("order"):
            if not self.word_is("by", offset=1):
                raise JqlError("Error in the JQL Query: Expecting 'by' after 'order'.")
            self.order_by(query)
        if self.peek()[0] is not None:
            raise JqlError(f"Error in the JQL Query: Unexpected '{self.peek()[1]}' at the end.")
        return query


def parse(text: str) -> Query:
    return Parser(text or "").parse()


def matches(query: Query, issue) -> bool:
    if query.projects is not None and issue.project.key not in query.projects:
        return False
    if query.keys is not None and issue.key not in query.keys:
        return False
    for name, op, when in query.times:
        value = issue.updated if name == "updated" else issue.created
        value = value.replace(second=0) if op == "=" else value  # minute precision
        if not {
            ">=": value >= when,
            ">": value > when,
            "<=": value <= when,
            "<": value < when,
            "=": value == when,
        }[op]:
            return False
    return True


def sort_key(order: list[tuple[str, bool]]):
    """Without ORDER BY the sandbox sorts by key, descending; ties go by id."""
    fields = order or [("key", True)]

    def key(issue):
        parts = []
        for name, desc in fields:
            if name in ("key", "id"):
                value = (issue.project.key, int(issue.key.rsplit("-", 1)[1]))
                value = value if name == "key" else int(issue.id)
            else:
                value = (issue.updated if name == "updated" else issue.created).timestamp()
            parts.append(Reverse(value) if desc else value)
        parts.append(int(issue.id))
        return tuple(parts)

    return key


class Reverse:
    """Wraps a value so tuple comparison sorts it descending."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        return other.value < self.value

    def __eq__(self, other):
        return self.value == other.value
