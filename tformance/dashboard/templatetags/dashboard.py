"""Formatting for the dashboard: durations, shares, changes, and links to the PR list."""

import datetime as dt
from html import escape
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from tformance.dashboard.links import insight_path, insight_query
from tformance.metrics.comparison import MIN_SAMPLE, Change
from tformance.metrics.formatting import (
    ago_text,
    count_text,
    day_text,
    duration_text,
    hours_text,
    percent_text,
)
from tformance.metrics.selectors.pull_requests import LISTS
from tformance.pulls.models import SIZE_MAX_LINES

register = template.Library()


@register.simple_tag
def size_limits(separator: str) -> str:
    """The sizes' limits in lines, "XS ≤ 10", …, "XL > 500", joined by `separator`."""
    sizes = [f"{size} ≤ {most}" for size, most in SIZE_MAX_LINES.items()]
    return separator.join([*sizes, f"XL > {SIZE_MAX_LINES['L']}"])


@register.simple_tag
def weekly_rows(weekly: list[dict]) -> str:
    """The weekly table's rows (`delivery.weekly_trends`, with their links), as the
    template would write them (`date:"j M Y"`, `number`, `percent`, `hours`), with the
    standard library's `html.escape` (Django's `escape` is the same function behind a lazy
    wrapper): two years are ~105 rows of seven cells, and the template's loop, a filter
    per cell, cost ~5 ms of the overview's rendering."""
    return mark_safe("".join(_weekly_row(w) for w in weekly))


def _weekly_row(w: dict) -> str:
    day = w["week"]
    week = f"{day.day} {MONTHS_3[day.month].title()} {day.year:04d}"  # dateformat's "j M Y"
    head = f'<tr class="week-{escape(str(w["status"]))}"><th scope="row">{escape(week)}'
    if w["note"] and w["imported"]:
        head += f' <span class="week-note">{escape(str(w["note"]))}</span>'
    head += "</th>"
    if not w["imported"]:
        note = escape(str(w["note"]))
        return f'{head}<td colspan="6" class="muted" title="{note}">not imported</td></tr>'
    cells = [
        f'<td class="num"><a href="{escape(w["link"])}">{escape(count_text(w["merged"]))}</a></td>',
        f'<td class="num">{escape(count_text(w["ai"]))} ({escape(percent_text(w["ai_share"]))})</td>',
        *(
            f'<td class="num">{escape(hours_text(w[name]))}</td>'
            for name in ("cycle", "coding", "pickup", "review")
        ),
    ]
    return head + "".join(cells) + "</tr>"


@register.filter
def duration(seconds):
    """A duration on its own (a card, a sentence)."""
    return duration_text(seconds)


@register.filter
def hours(seconds):
    """A duration in a table: always hours."""
    return hours_text(seconds)


@register.filter
def percent(share):
    return percent_text(share)


@register.filter
def number(n):
    return count_text(n)


@register.filter
def ago(moment):
    return ago_text(moment, now=timezone.now()) if moment else ""


@register.simple_tag
def change(value: Change | None, lower_is_better=False):
    """A small badge: ▲ 12 % / ▼ 30 % (green when it moved the right way), the counts when
    they are too few for a percentage ("3 → 24 PRs"), or why there is no comparison."""
    if value is None or value.kind == "none":
        note = value.note if value is not None else "no earlier data"
        return format_html('<span class="change change-none">{}</span>', note)
    if value.kind == "counts":
        return format_html(
            '<span class="change change-small" title="Fewer than {} pull requests on one side: '
            'too few for a percentage">{} → {} PRs</span>',
            MIN_SAMPLE,
            count_text(value.n_before),
            count_text(value.n_now),
        )
    if round(value.ratio * 100) == 0:
        return format_html('<span class="change change-flat">± 0 %</span>')
    up = value.ratio > 0
    good = up != bool(lower_is_better)
    return format_html(
        '<span class="change change-{}" title="change against the previous period">{} {} %</span>',
        "good" if good else "bad",
        "▲" if up else "▼",
        f"{abs(round(value.ratio * 100)):,}",
    )


@register.simple_tag(takes_context=True)
def insight_url(context, insight) -> str:
    """The PR list behind an insight: its own list and period, the whole team."""
    return insight_path(insight=insight, team=context["team"], tz=context["filters"].tz)


@register.simple_tag(takes_context=True)
def insight_scope(context, insight) -> str:
    """What an insight is about: "whole team · 5 May 2025 – 1 Jun 2025" (or "open now")."""
    query = insight_query(insight)
    if query is not None and LISTS.get(query.state, LISTS[""])[0] is None:
        return "whole team · open now"
    tz = context["filters"].tz
    last = insight.period_end - dt.timedelta(microseconds=1)
    return f"whole team · {day_text(insight.period_start, tz)} – {day_text(last, tz)}"


@register.simple_tag(takes_context=True)
def prs_url(context, **extra):
    """The PR list under the page's current filters, narrowed by `extra`.

    A table links every row (people: up to three links a person), and `reverse` costs more
    than the rest: the path and the encoded filters are made once per template render."""
    extra = {k: v for k, v in extra.items() if v not in (None, "")}
    made = context.render_context.get(_PRS_URL)
    if made is None:
        params = context["filter_params"]
        path = reverse("dashboard:prs", args=[context["team"].slug]) + "?"
        made = context.render_context[_PRS_URL] = (path, urlencode(params), frozenset(params))
    path, encoded, keys = made
    if not keys.isdisjoint(extra):  # a filter replaced in its place
        return path + urlencode({**context["filter_params"], **extra})
    return path + "&".join(part for part in (encoded, urlencode(extra)) if part)


_PRS_URL = "dashboard.prs_url"  # the render context's key of what `prs_url` made


@register.simple_tag(takes_context=True)
def page_url(context, view_name, **extra):
    """Another dashboard page (overview, people) under the current filters."""
    params = dict(context["filter_params"])
    params.update(extra)
    return reverse(view_name, args=[context["team"].slug]) + "?" + urlencode(params)


@register.simple_tag(takes_context=True)
def sort_url(context, key):
    """The PR list sorted by `key`; descending first, flipping when already sorted by it."""
    current = context["query"].sort
    target = key if current == f"-{key}" else f"-{key}"
    return "?" + urlencode({**context["list_query"], "sort": target})


@register.simple_tag(takes_context=True)
def sort_mark(context, key):
    """▼ or ▲ after the heading the list is sorted by."""
    current = context["query"].sort
    if current.lstrip("-") != key:
        return ""
    return "▼" if current.startswith("-") else "▲"
