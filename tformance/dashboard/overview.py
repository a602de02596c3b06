"""Assemble what the overview page shows from the metric selectors (a fixed set of queries)."""

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse

from tformance.metrics.comparison import MIN_SAMPLE
from tformance.metrics.filters import BOTS_EXPLANATION, MetricFilters
from tformance.metrics.selectors.ai import ai_breakdown
from tformance.metrics.selectors.delivery import (
    attention_waiting,
    attention_xl_unreviewed,
    delivery_kpis,
    kpi_periods,
    size_distribution,
    weekly_trends,
)
from tformance.metrics.selectors.insights import insight_list, insight_summary_get
from tformance.metrics.selectors.people import reviewer_load, reviewer_load_query
from tformance.metrics.selectors.periods import period_numbers
from tformance.metrics.selectors.pull_requests import PullRequestList
from tformance.metrics.selectors.techstack import tech_stack_breakdown, tech_stack_query
from tformance.metrics.weeks import NOT_IMPORTED


def _hours(seconds):
    return round(seconds / 3600, 1) if seconds is not None else None


def _week_link(*, filters: MetricFilters, params: dict, week: dict, path: str) -> str | None:
    """The PRs merged that week (the part of it in the period); none for a week not imported."""
    if week.get("status") == NOT_IMPORTED:
        return None
    tz = filters.tz
    first = max(week["week"], filters.start.astimezone(tz).date())
    last = min(
        week["week"] + dt.timedelta(days=6),
        (filters.end - dt.timedelta(microseconds=1)).astimezone(tz).date(),
    )
    query = {**params, "range": "custom", "start": first.isoformat(), "end": last.isoformat()}
    query["state"] = PullRequestList.MERGED
    return path + "?" + urlencode(query)


def _scale(rows: list[dict], key: str) -> list[dict]:
    """Give each row `bar`: its value against the largest one (bar charts in HTML)."""
    top = max((r[key] or 0 for r in rows), default=0)
    for r in rows:
        r["bar"] = round(100 * (r[key] or 0) / top) if top else 0
    return rows


def overview_build(*, filters: MetricFilters, params: dict) -> dict:
    numbers = period_numbers(
        periods=kpi_periods(filters=filters),
        details=True,
        also={
            "tech": tech_stack_query(filters=filters),
            "reviewers": reviewer_load_query(filters=filters),
        },
    )
    weekly = weekly_trends(filters=filters, numbers=numbers)
    path = reverse("dashboard:prs", args=[filters.team.slug])  # once: a link per week
    for w in weekly:
        w["link"] = _week_link(filters=filters, params=params, week=w, path=path)
        w["imported"] = w["status"] != NOT_IMPORTED
    sizes = size_distribution(filters=filters, numbers=numbers)
    tech = tech_stack_breakdown(filters=filters, rows=numbers.also["tech"])
    ai = ai_breakdown(filters=filters, numbers=numbers)
    charts = {
        "weekly": {
            "labels": [w["week"].strftime("%d %b") for w in weekly],
            "links": [w["link"] for w in weekly],
            "merged": [w["merged"] for w in weekly],
            "ai_share": [
                round(w["ai_share"] * 100) if w["ai_share"] is not None else None for w in weekly
            ],
            "cycle": [_hours(w["cycle"]) for w in weekly],
            "coding": [_hours(w["coding"]) for w in weekly],
            "pickup": [_hours(w["pickup"]) for w in weekly],
            "review": [_hours(w["review"]) for w in weekly],
            "status": [w["status"] for w in weekly],
            "notes": [w["note"] for w in weekly],
        },
        "sizes": {"labels": [s["bucket"] for s in sizes], "counts": [s["count"] for s in sizes]},
        "categories": {
            "labels": [c["name"] for c in tech["categories"]],
            "lines": [c["lines"] for c in tech["categories"]],
        },
    }
    _scale(sizes, "count")
    _scale(tech["categories"], "lines")
    reviewers = _scale(reviewer_load(filters=filters, rows=numbers.also["reviewers"]), "reviews")
    return {
        "kpis": delivery_kpis(filters=filters, numbers=numbers),
        "weekly": weekly,
        "sizes": sizes,
        "tech": tech,
        "ai": ai,
        "reviewers": reviewers,
        "waiting": attention_waiting(filters=filters),
        "xl_unreviewed": attention_xl_unreviewed(filters=filters),
        "insights": insight_list(team=filters.team),
        "insight_summary": insight_summary_get(team=filters.team),
        "charts": charts,
        "bots_explanation": BOTS_EXPLANATION,
        "min_sample": MIN_SAMPLE,
    }


def jira_mix_chart(*, filters: MetricFilters, params: dict, mix: list[dict]) -> dict:
    """The Jira page's work-mix chart: a stacked bar per week, each linking to its merged PRs."""
    path = reverse("dashboard:prs", args=[filters.team.slug])
    return {
        "labels": [row["monday"].strftime("%d %b") for row in mix],
        "links": [
            _week_link(filters=filters, params=params, week={"week": row["monday"]}, path=path)
            for row in mix
        ],
        **{kind: [row[kind] for row in mix] for kind in ("bug", "feature", "chore", "unlinked")},
    }
