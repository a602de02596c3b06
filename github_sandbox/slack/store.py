"""What Slack's incoming webhooks were sent, and which webhooks no longer accept posts."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus

# A webhook's path after /services/: workspace (T…), webhook (B…) and its secret.
WEBHOOK_PATH = re.compile(r"^T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+$")

# Reference: https://api.slack.com/messaging/webhooks#handling_errors
# Reference: https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks
# What a webhook that no longer works answers: removed or disabled (404), its channel
# archived or its workspace disabled (410).
REFUSALS = {
    "no_service": 404,
    "channel_not_found": 404,
    "channel_is_archived": 410,
    "team_disabled": 410,
    "action_prohibited": 403,
}

# Reference: https://api.slack.com/reference/block-kit/blocks (up to 50 blocks a message)
# Reference: https://docs.slack.dev/reference/block-kit/blocks/header-block (150 characters)
# Reference: https://api.slack.com/reference/block-kit/blocks#section (3000; 10 fields of 2000)
MAX_BLOCKS = 50
MAX_HEADER = 150
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_CONTEXT_ELEMENTS = 10
BLOCK_TYPES = {"header", "section", "context", "divider", "actions", "image", "rich_text"}


@dataclass(frozen=True)
class SlackMessage:
    webhook: str  # "T…/B…/secret", the path after /services/
    text: str | None
    blocks: list | None
    received_at: dt.datetime
    body: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "webhook": self.webhook,
            "text": self.text,
            "blocks": self.blocks,
            "received_at": self.received_at.isoformat().replace("+00:00", "Z"),
        }


def webhook_key(value: str) -> str:
    """`T…/B…/secret` from a whole webhook URL, a `/services/…` path or the key itself."""
    value = value.strip()
    if "/services/" in value:
        value = value.split("/services/", 1)[1]
    return value.strip("/")


def blocks_problem(blocks) -> str | None:
    """Why Slack would refuse these blocks (its error string), or None."""
    if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
        return "invalid_blocks"
    for block in blocks:
        if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
            return "invalid_blocks_format"
        kind = block["type"]
        if kind == "header":
            text = block.get("text")
            if not _text_ok(text, MAX_HEADER) or text.get("type") != "plain_text":
                return "invalid_blocks"
        elif kind == "section":
            text, fields = block.get("text"), block.get("fields")
            if text is None and not fields:
                return "invalid_blocks"
            if text is not None and not _text_ok(text, MAX_SECTION_TEXT):
                return "invalid_blocks"
            if fields is not None and (
                not isinstance(fields, list)
                or len(fields) > MAX_FIELDS
                or not all(_text_ok(f, MAX_FIELD_TEXT) for f in fields)
            ):
                return "invalid_blocks"
        elif kind == "context":
            elements = block.get("elements")
            if not isinstance(elements, list) or not 0 < len(elements) <= MAX_CONTEXT_ELEMENTS:
                return "invalid_blocks"
    return None


def _text_ok(text, most: int) -> bool:
    return (
        isinstance(text, dict)
        and text.get("type") in ("plain_text", "mrkdwn")
        and isinstance(text.get("text"), str)
        and 0 < len(text["text"]) <= most
    )


class SlackStore:
    """Every message posted to a webhook, and the webhooks told to refuse posts."""

    def __init__(self, now=None):
        self.lock = threading.Lock()
        self.now = now or (lambda: dt.datetime.now(dt.UTC))
        self._messages: list[SlackMessage] = []
        self._refused: dict[str, str] = {}  # webhook key -> Slack's error string
        self._failing: list[tuple[int, float]] = []  # the next posts' (status, delay)
        self.sleep = time.sleep

    def post(self, key: str, body: bytes) -> tuple[int, str]:
        """Slack's answer (status, body) to a post; a message is recorded only if it is ok."""
        with self.lock:
            refusal = self._refused.get(key)
            failing = self._failing.pop(0) if self._failing else None
        if failing is not None:
            status, delay = failing
            self.sleep(delay)
            if status:  # Slack having a bad moment: nothing recorded, the webhook still works
                return status, HTTPStatus(status).phrase
        if refusal is not None:
            return REFUSALS[refusal], refusal
        try:
            data = json.loads(body or b"")
        except ValueError:
            return 400, "invalid_payload"
        if not isinstance(data, dict):
            return 400, "invalid_payload"
        text, blocks = data.get("text"), data.get("blocks")
        if text is not None and not isinstance(text, str):
            return 400, "invalid_payload"
        if blocks is not None and (problem := blocks_problem(blocks)):
            return 400, problem
        if not text and not blocks and not data.get("attachments"):
            return 400, "missing_text_or_fallback_or_attachments"
        message = SlackMessage(key, text, blocks, self.now(), data)
        with self.lock:
            self._messages.append(message)
        return 200, "ok"

    def refuse(self, key: str, error: str = "no_service") -> None:
        if error not in REFUSALS:
            raise ValueError(f"error must be one of {', '.join(REFUSALS)}")
        with self.lock:
            self._refused[webhook_key(key)] = error

    def fail_next(self, count: int = 1, *, status: int = 503, delay: float = 0.0) -> None:
        """The next `count` posts to any webhook are answered `status` (a 5xx: Slack is
        having a bad moment) after `delay` seconds; with `status=0` they are answered as
        usual, only late (a client's timeout)."""
        with self.lock:
            self._failing += [(status, delay)] * count

    def restore(self, key: str) -> None:
        with self.lock:
            self._refused.pop(webhook_key(key), None)

    def messages(self, key: str | None = None) -> list[SlackMessage]:
        with self.lock:
            found = list(self._messages)
        return [m for m in found if key is None or m.webhook == webhook_key(key)]

    def refused(self) -> dict[str, str]:
        with self.lock:
            return dict(self._refused)

    def reset(self) -> None:
        with self.lock:
            self._messages.clear()
            self._refused.clear()
            self._failing.clear()
