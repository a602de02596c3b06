"""The one message that carries a sync's new alerts: a section per rule, a line per PR."""

import datetime as dt

from django.conf import settings

from tformance.dashboard.links import pull_requests_path
from tformance.metrics.formatting import count_text, duration_text
from tformance.metrics.selectors.pull_requests import PullRequestList, PullRequestQuery
from tformance.slack import blocks as bk
from tformance.slack.blocks import SlackMessage
from tformance.slack.models import AlertRule
from tformance.slack.selectors import Alert
from tformance.teams.models import Team

LINES_PER_RULE = 10  # the rest are counted, with a link to the whole list
# Ten lines of a link and a few words stay below a section's 3,000 characters, so the
# section is never clipped mid-link.
TITLE_CHARS = 120


def _title(rule: str, threshold: int | None) -> str:
    return {
        AlertRule.WAITING_FOR_REVIEW: f"Waiting over {threshold} h for a first review",
        AlertRule.XL_OPENED: f"Opened with more than {count_text(threshold)} changed lines",
        AlertRule.MERGED_UNREVIEWED: "Merged without a review",
    }[AlertRule(rule)]


def _detail(alert: Alert, now: dt.datetime) -> str:
    pr = alert.pull_request
    who = pr.author.login if pr.author else "someone"
    if alert.rule == AlertRule.WAITING_FOR_REVIEW:
        return f"by {who}, waiting {duration_text((now - pr.requested_at).total_seconds())}"
    if alert.rule == AlertRule.XL_OPENED:
        return f"by {who}, {count_text(pr.additions + pr.deletions)} lines"
    return f"by {who}"


def _list_url(team: Team, rule: str) -> str:
    query = {
        AlertRule.WAITING_FOR_REVIEW: PullRequestQuery(state=PullRequestList.WAITING),
        AlertRule.XL_OPENED: PullRequestQuery(size="XL"),
        AlertRule.MERGED_UNREVIEWED: PullRequestQuery(
            state=PullRequestList.MERGED, unreviewed=True
        ),
    }[AlertRule(rule)]
    return settings.SITE_URL + pull_requests_path(team=team, query=query)


def alerts_message(*, team: Team, alerts: list[Alert], now: dt.datetime) -> SlackMessage:
    by_rule: dict[str, list[Alert]] = {}
    for alert in alerts:
        by_rule.setdefault(alert.rule, []).append(alert)
    n = len(alerts)
    blocks = [bk.header(f"Working agreements: {n} new alert{'s' if n != 1 else ''}")]
    text = [f"{team.name}: {n} new working-agreement alert{'s' if n != 1 else ''}."]
    for rule, found in by_rule.items():
        title = _title(rule, found[0].threshold)
        lines = []
        for alert in found[:LINES_PER_RULE]:
            pr = alert.pull_request
            name = bk.clip(f"{pr.repository.full_name}#{pr.number} {pr.title}", TITLE_CHARS)
            lines.append(
                f"• {bk.mrkdwn_link(pr.url, name)} {bk.mrkdwn_escape(_detail(alert, now))}"
            )
        more = len(found) - LINES_PER_RULE
        if more > 0:
            lines.append(bk.mrkdwn_link(_list_url(team, rule), f"and {more} more"))
        blocks += [bk.divider(), bk.section(f"*{title}* ({len(found)})\n" + "\n".join(lines))]
        text.append(f"{title}: {len(found)}")
    blocks.append(bk.context(f"{bk.mrkdwn_escape(team.name)} · Sent by Tformance"))
    return SlackMessage(
        text=bk.mrkdwn_escape(" ".join(text)),
        blocks=bk.blocks_fit(blocks, more="More on the dashboard."),
    )
