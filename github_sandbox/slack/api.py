"""The webhook endpoint (`POST /services/…`) and the `/_sandbox/slack` control endpoints."""

from __future__ import annotations

from ..responses import Response
from .page import messages_page
from .store import REFUSALS, WEBHOOK_PATH, SlackStore

TEXT = "text/html; charset=utf-8"  # what Slack's webhooks answer with, "ok" included
PREFIX = "/services/"


def is_webhook_path(path: str) -> bool:
    return path.startswith(PREFIX)


def webhook(store: SlackStore, method: str, path: str, body: bytes) -> Response:
    # Reference: https://api.slack.com/messaging/webhooks#posting_with_webhooks
    key = path.removeprefix(PREFIX).strip("/")
    if not WEBHOOK_PATH.match(key):
        return Response(404, "no_service", content_type=TEXT)
    if method != "POST":
        return Response(405, "invalid_method", content_type=TEXT)
    status, answer = store.post(key, body)
    return Response(status, answer, content_type=TEXT)


def control(store: SlackStore, method: str, action: str, data: dict) -> Response:
    """`action` is the path after /_sandbox/: "slack", "slack/messages", "slack/revoke" ..."""
    if action == "slack" and method == "GET":
        return Response(200, messages_page(store.messages()), content_type=TEXT)
    if action == "slack/messages" and method == "GET":
        return Response(
            200,
            {"messages": [m.as_dict() for m in store.messages()], "refused": store.refused()},
        )
    if action in ("slack/revoke", "slack/restore") and method == "POST":
        hook = data.get("webhook")
        if not isinstance(hook, str) or not hook:
            return Response(422, {"message": "webhook (its URL or T…/B…/… path) is required"})
        if action == "slack/restore":
            store.restore(hook)
            return Response(200, {"restored": True})
        error = data.get("error", "no_service")
        if error not in REFUSALS:
            return Response(422, {"message": f"error must be one of {', '.join(REFUSALS)}"})
        store.refuse(hook, error)
        return Response(200, {"refused": error, "status": REFUSALS[error]})
    if action == "slack/fail" and method == "POST":
        count, status, delay = data.get("count", 1), data.get("status", 503), data.get("delay", 0)
        if not isinstance(count, int) or not (status == 0 or 500 <= status <= 599):
            return Response(422, {"message": "count is a number; status is 0 or a 5xx"})
        store.fail_next(count, status=status, delay=float(delay))
        return Response(200, {"failing": count})
    if action == "slack/reset" and method == "POST":
        store.reset()
        return Response(200, {"reset": True})
    return Response(404, {"message": "Not Found"})
