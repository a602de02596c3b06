"""Paths to the dashboard's pages for a period or an insight: written once for the pages'
own links and for messages that point back at them (the Slack digest)."""

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse

from tformance.dashboard.forms import query_params
from tformance.metrics.selectors.pull_requests import LISTS, PullRequestQuery
from tformance.teams.models import Team


def period_params(*, start: dt.datetime, end: dt.datetime, tz) -> dict[str, str]:
    """The custom period from `start` to `end` (exclusive) as the filter form reads it."""
    last = end - dt.timedelta(microseconds=1)
    return {
        "range": "custom",
        "start": start.astimezone(tz).date().isoformat(),
        "end": last.astimezone(tz).date().isoformat(),
    }


def dashboard_path(*, team: Team, params: dict[str, str] | None = None) -> str:
    query = f"?{urlencode(params)}" if params else ""
    return reverse("dashboard:team", args=[team.slug]) + query


def pull_requests_path(
    *, team: Team, query: PullRequestQuery, params: dict[str, str] | None = None
) -> str:
    """The PR list for `query`, with `params` (a period) on top."""
    found = {**query_params(query), **(params or {})}
    return reverse("dashboard:prs", args=[team.slug]) + (f"?{urlencode(found)}" if found else "")


def insight_query(insight) -> PullRequestQuery | None:
    return PullRequestQuery.from_data(insight.list_query) if insight.list_query else None


def insight_path(*, insight, team: Team, tz) -> str:
    """The PR list behind an insight: its own list and period, the whole team ("" for an
    insight stored before insights named their list)."""
    query = insight_query(insight)
    if query is None:
        return ""
    params = {}
    if LISTS.get(query.state, LISTS[""])[0] is not None:  # a list over a period: its period
        params = period_params(start=insight.period_start, end=insight.period_end, tz=tz)
    return pull_requests_path(team=team, query=query, params=params)
