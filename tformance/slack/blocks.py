"""Block Kit pieces within Slack's limits, and mrkdwn that shows what it is given.

Reference: https://api.slack.com/reference/block-kit/blocks (up to 50 blocks a message)
Reference: https://docs.slack.dev/reference/block-kit/blocks/header-block (150 characters)
Reference: https://api.slack.com/reference/block-kit/blocks#section (text up to 3,000
characters; up to 10 fields of 2,000)
Reference: https://api.slack.com/reference/block-kit/blocks#context (up to 10 elements)
"""

import dataclasses

MAX_BLOCKS = 50
MAX_HEADER = 150
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_CONTEXT_ELEMENTS = 10
ELLIPSIS = "…"


@dataclasses.dataclass(frozen=True)
class SlackMessage:
    text: str  # the fallback: notifications, screen readers, clients without blocks
    blocks: list[dict]


def mrkdwn_escape(text: str) -> str:
    """Text shown as written: Slack reads &, < and > as its own markup.

    Reference: https://api.slack.com/reference/surfaces/formatting#escaping
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn_link(url: str, label: str) -> str:
    # `|` and `>` would end the link early; the label is escaped, the URL is ours.
    return f"<{url.replace('>', '%3E').replace('|', '%7C')}|{mrkdwn_escape(label)}>"


def clip(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + ELLIPSIS


def header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, MAX_HEADER)}}


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION_TEXT)}}


def fields_section(fields: list[str]) -> dict:
    return {
        "type": "section",
        "fields": [
            {"type": "mrkdwn", "text": clip(f, MAX_FIELD_TEXT)} for f in fields[:MAX_FIELDS]
        ],
    }


def context(*texts: str) -> dict:
    return {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": clip(t, MAX_FIELD_TEXT)}
            for t in texts[:MAX_CONTEXT_ELEMENTS]
        ],
    }


def divider() -> dict:
    return {"type": "divider"}


def blocks_fit(blocks: list[dict], *, more: str) -> list[dict]:
    """At most `MAX_BLOCKS`; when some are left out, the last one says so (`more`)."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    return [*blocks[: MAX_BLOCKS - 1], context(more)]
