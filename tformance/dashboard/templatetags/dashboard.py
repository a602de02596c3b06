"""Formatting for the dashboard: durations, shares, changes, and links to the PR list."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from tformance.metrics.formatting import duration_text, percent_text

register = template.Library()


@register.filter
def duration(seconds):
    return duration_text(seconds)


@register.filter
def percent(share):
    return percent_text(share)


@register.simple_tag
def change(value, lower_is_better=False):
    """A small badge: ▲ 12 % / ▼ 30 %, green when it moved the right way."""
    if value is None:
        return mark_safe('<span class="change change-none">no earlier data</span>')
    if round(value * 100) == 0:
        return mark_safe('<span class="change change-flat">± 0 %</span>')
    up = value > 0
    good = up != bool(lower_is_better)
    return format_html(
        '<span class="change change-{}" title="change against the previous period">{} {} %</span>',
        "good" if good else "bad",
        "▲" if up else "▼",
        abs(round(value * 100)),
    )


@register.simple_tag(takes_context=True)
def prs_url(context, **extra):
    """The PR list under the page's current filters, narrowed by `extra`."""
    params = dict(context["filter_params"])
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return reverse("dashboard:prs", args=[context["team"].slug]) + "?" + urlencode(params)


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
