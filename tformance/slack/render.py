"""Block Kit drawn as HTML, roughly as Slack shows it: the settings page's digest preview.

Everything a message carries is escaped; mrkdwn's bold, italics, code and `<url|label>`
links are drawn, and only http(s) links become anchors. (The sandbox's Slack page draws its
recorded posts the same way; it is plain Python outside the product, so it has its own.)
Reference: https://api.slack.com/reference/surfaces/formatting
"""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")
BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)\*(?![\w*])")
ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)_(?![\w_])")
CODE = re.compile(r"`([^`\n]+)`")


def _unentity(text: str) -> str:
    # Reference: https://api.slack.com/reference/surfaces/formatting#escaping
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _plain(text: str) -> str:
    html = escape(_unentity(text))
    html = CODE.sub(r"<code>\1</code>", html)
    html = BOLD.sub(r"<b>\1</b>", html)
    html = ITALIC.sub(r"<i>\1</i>", html)
    return html.replace("\n", "<br>")


def mrkdwn_html(text: str) -> SafeString:
    out, last = [], 0
    for match in LINK.finditer(text):
        out.append(_plain(text[last : match.start()]))
        url, label = _unentity(match.group(1)), match.group(2)
        shown = _plain(label) if label else escape(url)
        if url.startswith(("http://", "https://")):
            out.append(format_html('<a href="{}">{}</a>', url, mark_safe(shown)))
        else:
            out.append(shown)
        last = match.end()
    out.append(_plain(text[last:]))
    return mark_safe("".join(out))  # every piece above is escaped


def _text_html(obj) -> str:
    if not isinstance(obj, dict):
        return ""
    text = str(obj.get("text", ""))
    return mrkdwn_html(text) if obj.get("type") == "mrkdwn" else escape(text)


def _block_html(block: dict) -> str:
    kind = block.get("type")
    if kind == "header":
        return format_html(
            '<p class="slack-header">{}</p>', mark_safe(_text_html(block.get("text")))
        )
    if kind == "divider":
        return '<hr class="slack-divider">'
    if kind == "context":
        parts = " · ".join(_text_html(e) for e in block.get("elements") or [])
        return format_html('<p class="slack-context">{}</p>', mark_safe(parts))
    if kind == "section":
        html = f"<p>{_text_html(block['text'])}</p>" if block.get("text") else ""
        if block.get("fields"):
            cells = "".join(f"<div>{_text_html(f)}</div>" for f in block["fields"])
            html += f'<div class="slack-fields">{cells}</div>'
        return f'<div class="slack-section">{html}</div>'
    return format_html('<p class="slack-context">[{} block]</p>', str(kind))


def blocks_html(blocks: list[dict]) -> SafeString:
    """The blocks as HTML; all text in them is escaped."""
    return mark_safe("".join(_block_html(block) for block in blocks))
