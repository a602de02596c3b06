"""The recorded posts as an HTML page, drawn roughly as Slack shows Block Kit messages.

Everything a message carries is escaped; mrkdwn's bold, italics, code and `<url|label>`
links are drawn, and only http(s) links become anchors.
"""

from __future__ import annotations

import re
from html import escape

LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")
BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)\*(?![\w*])")
ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)_(?![\w_])")
CODE = re.compile(r"`([^`\n]+)`")
STYLE = (
    "body{font:15px/1.46 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;"
    "color:#1d1c1d}.msg{border-bottom:1px solid #ddd;padding:.75rem 0}.meta{color:#616061;"
    "font-size:12px}h2{font-size:18px;margin:.4rem 0}.fields{display:grid;"
    "grid-template-columns:1fr 1fr;gap:.25rem 1rem}.context{color:#616061;font-size:13px}"
    "hr{border:0;border-top:1px solid #ddd}code{background:#f6f6f6;padding:0 .2rem}"
)


def _unentity(text: str) -> str:
    # Reference: https://api.slack.com/reference/surfaces/formatting#escaping
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _plain(text: str) -> str:
    html = escape(_unentity(text))
    html = CODE.sub(r"<code>\1</code>", html)
    html = BOLD.sub(r"<b>\1</b>", html)
    html = ITALIC.sub(r"<i>\1</i>", html)
    return html.replace("\n", "<br>")


def mrkdwn_html(text: str) -> str:
    out, last = [], 0
    for match in LINK.finditer(text):
        out.append(_plain(text[last : match.start()]))
        url, label = _unentity(match.group(1)), match.group(2)
        shown = _plain(label) if label else escape(url)
        if url.startswith(("http://", "https://")):
            out.append(f'<a href="{escape(url, quote=True)}">{shown}</a>')
        else:
            out.append(shown)
        last = match.end()
    out.append(_plain(text[last:]))
    return "".join(out)


def _text_html(obj) -> str:
    if not isinstance(obj, dict):
        return ""
    text = str(obj.get("text", ""))
    return mrkdwn_html(text) if obj.get("type") == "mrkdwn" else escape(text)


def block_html(block: dict) -> str:
    kind = block.get("type")
    if kind == "header":
        return f"<h2>{_text_html(block.get('text'))}</h2>"
    if kind == "divider":
        return "<hr>"
    if kind == "context":
        parts = [_text_html(e) for e in block.get("elements") or []]
        return f'<div class="context">{" · ".join(parts)}</div>'
    if kind == "section":
        html = f"<div>{_text_html(block.get('text'))}</div>" if block.get("text") else ""
        if block.get("fields"):
            cells = "".join(f"<div>{_text_html(f)}</div>" for f in block["fields"])
            html += f'<div class="fields">{cells}</div>'
        return f'<div class="section">{html}</div>'
    return f'<div class="meta">[{escape(str(kind))} block]</div>'


def messages_page(messages) -> str:
    items = []
    for m in reversed(messages):  # newest first, as a channel reads from the bottom up
        body = "".join(block_html(b) for b in m.blocks) if m.blocks else mrkdwn_html(m.text or "")
        webhook = escape(m.webhook.rsplit("/", 1)[0])  # the secret is not shown
        items.append(
            f'<article class="msg"><div class="meta">{escape(m.received_at.isoformat())} · '
            f"webhook {webhook}</div>{body}</article>"
        )
    listing = "".join(items) or "<p class='meta'>No messages yet.</p>"
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Slack sandbox</title>"
        f"<style>{STYLE}</style></head><body><h1>Slack sandbox: {len(messages)} "
        f"message{'s' if len(messages) != 1 else ''}</h1>{listing}</body></html>"
    )
