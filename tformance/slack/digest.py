"""The weekly digest of a team: last week's headline numbers and top insights, as Block Kit
blocks and a plain-text fallback, each number linking to the dashboard view behind it.

Every number comes from the dashboard's own selectors (`delivery_summaries`, `insight_list`);
nothing is computed here but words.
"""

import dataclasses
import datetime as dt

from django.conf import settings

from tformance.dashboard.links import (
    dashboard_path,
    insight_path,
    period_params,
    pull_requests_path,
)
from tformance.metrics.comparison import Change, change_between, change_not_imported
from tformance.metrics.filters import MetricFilters
from tformance.metrics.formatting import count_text, day_text, duration_text, percent_text
from tformance.metrics.selectors.delivery import delivery_summaries
from tformance.metrics.selectors.insights import insight_list
from tformance.metrics.selectors.pull_requests import PullRequestList, PullRequestQuery
from tformance.slack import blocks as bk
from tformance.slack.blocks import SlackMessage
from tformance.slack.schedule import team_zone, week_bounds, week_last_complete
from tformance.sync.selectors import history_start
from tformance.teams.models import Team

TOP_INSIGHTS = 3


@dataclasses.dataclass(frozen=True)
class _Line:
    label: str
    value: str
    url: str
    note: str = ""


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def change_words(change: Change, *, lower_is_better: bool) -> str:
    """How a median moved against the week before, in words for a message."""
    if change.kind == "counts":
        return f"{count_text(change.n_before)} → {count_text(change.n_now)} PRs, too few to compare"
    if change.kind == "none":
        return change.note
    percent = round(change.ratio * 100)
    if percent == 0:
        return "± 0 % vs the week before"
    better = (percent < 0) == lower_is_better
    arrow = "▲" if percent > 0 else "▼"
    return f"{arrow} {abs(percent):,} % vs the week before ({'better' if better else 'worse'})"


def _week_filters(*, team: Team, start: dt.datetime, end: dt.datetime, tz) -> list[MetricFilters]:
    """This week and, when the history covers it, the whole week before (its own Monday to
    Monday: 167 or 169 hours in a week whose clocks change)."""
    history = history_start(team=team)
    week = MetricFilters(team=team, start=start, end=end, history_start=history)
    before_start, _ = week_bounds(
        team=team, monday=start.astimezone(tz).date() - dt.timedelta(days=7)
    )
    before = dataclasses.replace(week, start=before_start, end=start)
    return [week, before] if before.imported else [week]


@dataclasses.dataclass(frozen=True)
class Digest:
    start: dt.datetime
    end: dt.datetime
    message: SlackMessage

    @property
    def last_moment(self) -> dt.datetime:
        return self.end - dt.timedelta(microseconds=1)


def digest_now(*, team: Team, now: dt.datetime) -> Digest:
    """The digest as it would go out at `now`: the last whole week's (`week_last_complete`)."""
    start, end = week_last_complete(team=team, now=now)
    return Digest(start=start, end=end, message=digest_build(team=team, start=start, end=end))


def digest_build(*, team: Team, start: dt.datetime, end: dt.datetime) -> SlackMessage:
    """The digest of the week from `start` to `end` (`schedule.week_bounds`)."""
    tz = team_zone(team=team)
    periods = _week_filters(team=team, start=start, end=end, tz=tz)
    summaries = delivery_summaries(periods=periods)
    now = summaries[0]
    cycle, first_review = now["stats"]["cycle"], now["stats"]["first_review"]
    if len(summaries) == 2:
        then = summaries[1]["stats"]["cycle"]
        cycle_change = change_between(
            now=cycle[50], before=then[50], n_now=cycle["n"], n_before=then["n"]
        )
    else:
        cycle_change = change_not_imported(history_start=periods[0].history_start, tz=tz)

    period = period_params(start=start, end=end, tz=tz)

    def prs(**query) -> str:
        return _absolute(
            pull_requests_path(team=team, query=PullRequestQuery(**query), params=period)
        )

    merged = PullRequestList.MERGED
    lines = [
        _Line("Merged PRs", count_text(now["merged"]), prs(state=merged, sort="-merged")),
        _Line(
            "Cycle time (median)",
            duration_text(cycle[50]),
            prs(state=merged, sort="-cycle"),
            change_words(cycle_change, lower_is_better=True),
        ),
        _Line(
            "Time to first review (median)",
            duration_text(first_review[50]),
            prs(state=PullRequestList.FIRST_REVIEW, sort="-first_review"),
        ),
        _Line("AI-assisted", percent_text(now["ai_share"]), prs(state=merged, ai="yes")),
    ]
    insights = [
        (i.title, _absolute(path) if (path := insight_path(insight=i, team=team, tz=tz)) else "")
        for i in insight_list(team=team)[:TOP_INSIGHTS]
    ]
    dashboard = _absolute(dashboard_path(team=team, params=period))
    last_day = end - dt.timedelta(microseconds=1)
    week_words = f"{day_text(start, tz)} – {day_text(last_day, tz)}"
    return SlackMessage(
        text=_text(team, week_words, lines, insights, dashboard),
        blocks=_blocks(team, week_words, tz, lines, insights, dashboard),
    )


def _blocks(team, week_words, tz, lines, insights, dashboard) -> list[dict]:
    fields = []
    for line in lines:
        value = bk.mrkdwn_link(line.url, line.value)
        note = f"\n{bk.mrkdwn_escape(line.note)}" if line.note else ""
        fields.append(f"*{line.label}*\n{value}{note}")
    if insights:
        listed = "\n".join(
            f"• {bk.mrkdwn_link(url, title) if url else bk.mrkdwn_escape(title)}"
            for title, url in insights
        )
        insight_text = f"*Top insights*\n{listed}"
    else:
        insight_text = "*Top insights*\nNo insights yet: they need a few weeks of history."
    return bk.blocks_fit(
        [
            bk.header(f"Weekly digest: {team.name}"),
            bk.context(f"{week_words} · {bk.mrkdwn_escape(str(tz))} · Monday to Sunday"),
            bk.fields_section(fields),
            bk.divider(),
            bk.section(insight_text),
            bk.context(f"{bk.mrkdwn_link(dashboard, 'Open the dashboard')} · Sent by Tformance"),
        ],
        more="More on the dashboard.",
    )


def _text(team, week_words, lines, insights, dashboard) -> str:
    parts = [f"Weekly digest for {team.name}, {week_words}:"]
    for line in lines:
        parts.append(f"{line.label}: {line.value}" + (f" ({line.note})" if line.note else ""))
    if insights:
        parts.append("Top insights: " + "; ".join(title for title, _ in insights))
    return (
        bk.mrkdwn_escape("\n".join(parts)) + "\n" + bk.mrkdwn_link(dashboard, "Open the dashboard")
    )
