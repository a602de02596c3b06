"""The rules of the package docstring, compiled from `TOOLS` once, and `detect_ai_tools`."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .tools import TOOLS

_TRAILER_LINE = re.compile(
    r"^[ \t]*(co-authored-by|assisted-by|generated-by)[ \t]*:[ \t]*(\S.*?)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_NAME_EMAIL = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>\s]+@[^<>\s]+)>")

_IDENTITIES: tuple[tuple[str, re.Pattern[str] | None, re.Pattern[str]], ...] = tuple(
    (
        tool.name,
        re.compile(name, re.IGNORECASE) if name else None,
        re.compile(email, re.IGNORECASE),
    )
    for tool in TOOLS
    for name, email in tool.identities
)
_ALIAS_START: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (tool.name, re.compile(rf"(?:{tool.alias})\b", re.IGNORECASE)) for tool in TOOLS if tool.alias
)

# An attribution footer: at the start of its line (after emoji, bullets, bold, a ticked
# checkbox...), an optional "This PR was", a verb, a preposition, then a tool's name.
_ALIAS_GROUPS = "|".join(f"(?P<t{i}>{tool.alias})" for i, tool in enumerate(TOOLS) if tool.alias)
_ATTRIBUTION = re.compile(
    r"""^[^\w\n]*(?:\[[xX]\][^\w\n]*)?
    (?:(?:this|the)\s+(?:pr|pull\s+request|change|changes|commit|patch|code|description)\s+
       (?:was\s+|were\s+|is\s+|has\s+been\s+)?)?
    (?:auto-?)?(?:generated|created|written|authored|co-authored|made|built|produced
        |implemented|drafted|coded|assisted)
    \s+(?:automatically\s+)?(?:with|by|using|via)\s+
    (?:the\s+)?[\[*_"']*
    (?:"""
    + _ALIAS_GROUPS
    + r""")\b""",
    re.IGNORECASE | re.VERBOSE,
)
_GROUP_TOOL = {f"t{i}": tool.name for i, tool in enumerate(TOOLS) if tool.alias}

# Every tool's markers in one alternation: one pass over each line finds them all.
_MARKER_TOOL: dict[str, str] = {}
_marker_groups = []
for _tool in TOOLS:
    for _marker in _tool.markers:
        _group = f"m{len(_MARKER_TOOL)}"
        _MARKER_TOOL[_group] = _tool.name
        _marker_groups.append(f"(?P<{_group}>{_marker})")
_MARKERS = re.compile("|".join(_marker_groups), re.IGNORECASE)
del _tool, _marker, _group, _marker_groups

_SUBJECTS: tuple[tuple[str, str], ...] = tuple(
    (tool.name, prefix.lower()) for tool in TOOLS for prefix in tool.subject_prefixes
)
_BOT_LOGINS: dict[str, str] = {login: tool.name for tool in TOOLS for login in tool.bot_logins}

_NEGATION = re.compile(r"\b(?:no|not|never|without|none|nor)\b|n't\b", re.IGNORECASE)
_FENCED_BLOCK = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n.*?(?:^[ \t]*\1[^\n]*$|\Z)", re.M | re.S)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_UNTICKED = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s*\[\s\]")


def _visible_lines(text: str) -> list[str]:
    """The lines that can carry a signature: no code, quotes or unticked checklist items."""
    text = _FENCED_BLOCK.sub("", text)
    text = _INLINE_CODE.sub("", text)
    return [
        line
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith(">") and not _UNTICKED.match(line)
    ]


def _tool_for_trailer(value: str) -> str | None:
    parsed = _NAME_EMAIL.match(value)
    if parsed:
        name, email = parsed["name"].strip(" \"'"), parsed["email"]
        for tool, name_re, email_re in _IDENTITIES:
            if email_re.fullmatch(email) and (name_re is None or name_re.match(name)):
                return tool
        return None
    # No address: the value must start with the tool's name, in a form that is not also a
    # person's name ("Claude Code", not "Claude").
    for tool, alias_re in _ALIAS_START:
        if alias_re.match(value):
            return tool
    return None


def _tools_in_text(text: str, found: set[str]) -> None:
    lines = _visible_lines(text)
    for match in _TRAILER_LINE.finditer("\n".join(lines)):
        tool = _tool_for_trailer(match[2])
        if tool:
            found.add(tool)
    for line in lines:
        attribution = _ATTRIBUTION.match(line)
        if attribution and attribution.lastgroup in _GROUP_TOOL:
            found.add(_GROUP_TOOL[attribution.lastgroup])
        for hit in _MARKERS.finditer(line):
            if not _NEGATION.search(line, 0, hit.start()):
                found.add(_MARKER_TOOL[hit.lastgroup])


def detect_ai_tools(
    *, body: str, commit_messages: Iterable[str], author_login: str | None
) -> list[str]:
    """Sorted canonical names of the AI tools that took part; empty: not AI-assisted."""
    found: set[str] = set()
    if author_login:
        tool = _BOT_LOGINS.get(author_login.strip().lower())
        if tool:
            found.add(tool)
    if body:
        _tools_in_text(body, found)
    for message in commit_messages:
        if not message:
            continue
        subject = message.lstrip().split("\n", 1)[0].lower()
        for tool, prefix in _SUBJECTS:
            if subject.startswith(prefix):
                found.add(tool)
        _tools_in_text(message, found)
    return sorted(found)
