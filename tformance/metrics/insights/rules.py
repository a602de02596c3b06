"""The rules: each looks at the metrics and returns a `Finding` or None.

A finding carries its own score; the engine keeps the highest few. Thresholds keep the
list short and trustworthy: a trend or a comparison needs `comparison.MIN_SAMPLE` PRs on
both sides, an earlier period the imported history covers, and a change that matters in
absolute terms too (an hour, not a minute). Each finding names the PR list behind it (a
`PullRequestQuery` over its period): the dashboard links to that list, whatever its size.
"""

import dataclasses
import datetime as dt
import math

from django.db.models import Count

from tformance.metrics.comparison import sample_enough
from tformance.metrics.filters import MetricFilters, pull_requests_waiting, reviews_given
from tformance.metrics.formatting import count_text, day_text, duration_text, percent_text
from tformance.metrics.insights.context import InsightContext
from tformance.metrics.selectors.pull_requests import (
    PullRequestList,
    PullRequestQuery,
    pull_request_table,
)
from tformance.pulls.models import SIZE_MAX_LINES, PullRequest

WAITING_HOURS = 48


@dataclasses.dataclass
class Finding:
    rule: str
    tone: str  # good, warning, info
    title: str
    detail: str
    score: float
    numbers: dict
    filters: MetricFilters  # the period (and scope) it is about
    query: PullRequestQuery  # the PRs behind it, over that period

    @property
    def pull_requests(self):
        return pull_request_table(filters=self.filters, query=self.query)


def _ratio_words(ratio: float) -> str:
    if ratio >= 2.9:
        return "tripled"
    if ratio >= 1.9:
        return "doubled"
    if ratio > 1:
        return f"rose by {round((ratio - 1) * 100)} %"
    if ratio <= 0.5:
        return "halved"
    return f"fell by {round((1 - ratio) * 100)} %"


def _trend(
    ctx: InsightContext, *, metric: str, label: str, rule: str, state: str
) -> Finding | None:
    """A stage or the cycle time moved between the four weeks before and the last four."""
    now, before = ctx.recent_summary["stats"][metric], ctx.before_summary["stats"][metric]
    if not ctx.before.imported or not sample_enough(now["n"], before["n"]):
        return None
    if not before[50] or now[50] is None:
        return None
    ratio = now[50] / before[50]
    if abs(now[50] - before[50]) < 3600 or 0.67 < ratio < 1.5:
        return None
    slower = ratio > 1
    return Finding(
        rule=rule,
        tone="warning" if slower else "good",
        title=(
            f"{label} {_ratio_words(ratio)} in the last four weeks "
            f"({duration_text(before[50])} → {duration_text(now[50])})"
        ),
        detail=(
            f"Median over {count_text(now['n'])} merged PRs, against "
            f"{count_text(before['n'])} in the four weeks before."
        ),
        score=40 * abs(math.log2(ratio)) + (10 if slower else 0),
        numbers={"before": before[50], "now": now[50], "n_before": before["n"], "n_now": now["n"]},
        filters=ctx.recent,
        # Slowest first when it got slower, fastest first when it got faster.
        query=PullRequestQuery(state=state, sort=f"-{metric}" if slower else metric),
    )


def rule_pickup_trend(ctx):
    # Pickup is measured on PRs reviewed before their merge: the list holds exactly those.
    return _trend(
        ctx,
        metric="pickup",
        label="Pickup time",
        rule="pickup_trend",
        state=PullRequestList.REVIEWED,
    )


def rule_cycle_trend(ctx):
    return _trend(
        ctx, metric="cycle", label="Cycle time", rule="cycle_trend", state=PullRequestList.MERGED
    )


def rule_throughput_trend(ctx):
    now, before = ctx.recent_summary["merged"], ctx.before_summary["merged"]
    if not ctx.before.imported or not sample_enough(now, before):
        return None
    if abs(now - before) / before < 0.3:
        return None
    up = now > before
    return Finding(
        rule="throughput_trend",
        tone="good" if up else "info",
        title=(
            f"{'More' if up else 'Fewer'} PRs merged in the last four weeks than in the four "
            f"before ({count_text(before)} → {count_text(now)})"
        ),
        detail=f"{now / 4:,.1f} merged per week, against {before / 4:,.1f}.",
        score=25 * abs(math.log2(now / before)),
        numbers={"before": before, "now": now},
        filters=ctx.recent,
        query=PullRequestQuery(state=PullRequestList.MERGED, sort="-merged"),
    )


def rule_ai_speed(ctx):
    ai = ctx.quarter_ai
    if ai["faster"] is None:  # None with too few PRs on either side
        return None
    faster = ai["faster"]
    if abs(faster) < 0.2:
        return None
    words = f"{round(abs(faster) * 100)} % {'faster' if faster > 0 else 'slower'}"
    since = "over the last 90 days"
    if not ctx.quarter.imported:
        q = ctx.quarter
        since += f" (history imported from {day_text(q.history_start, q.tz)})"
    return Finding(
        rule="ai_speed",
        tone="good" if faster > 0 else "info",
        title=(
            f"AI-assisted PRs merge {words} than others "
            f"({duration_text(ai['ai'][50])} vs {duration_text(ai['other'][50])})"
        ),
        detail=(
            f"Median cycle time {since}: {count_text(ai['ai']['n'])} AI-assisted PRs, "
            f"{count_text(ai['other']['n'])} others."
        ),
        score=30 * abs(faster) + 5,
        numbers={"ai": ai["ai"][50], "other": ai["other"][50], "faster": faster},
        filters=ctx.quarter,
        query=PullRequestQuery(state=PullRequestList.MERGED, ai="yes", sort="-cycle"),
    )


def rule_xl_unreviewed(ctx):
    n = ctx.recent_summary["xl_unreviewed"]
    if not n:
        return None
    return Finding(
        rule="xl_unreviewed",
        tone="warning",
        title=(
            f"{count_text(n)} XL PR{'s' if n != 1 else ''} merged without review in the last "
            "four weeks"
        ),
        detail=(
            f"Pull requests over {SIZE_MAX_LINES['L']} changed lines that nobody else "
            "reviewed before merge."
        ),
        score=20 + 5 * min(n, 6),
        numbers={"count": n},
        filters=ctx.recent,
        query=PullRequestQuery(
            state=PullRequestList.MERGED, unreviewed=True, size=PullRequest.Size.XL, sort="-size"
        ),
    )


def rule_unreviewed_share(ctx):
    s = ctx.recent_summary
    if not sample_enough(s["merged"]) or (s["unreviewed_share"] or 0) < 0.2:
        return None
    return Finding(
        rule="unreviewed_share",
        tone="warning",
        title=(
            f"{percent_text(s['unreviewed_share'])} of merged PRs had no review "
            f"({count_text(s['unreviewed'])} of {count_text(s['merged'])}, last four weeks)"
        ),
        detail="Merged without a review from someone other than the author before the merge.",
        score=60 * s["unreviewed_share"],
        numbers={"unreviewed": s["unreviewed"], "merged": s["merged"]},
        filters=ctx.recent,
        query=PullRequestQuery(state=PullRequestList.MERGED, unreviewed=True, sort="-merged"),
    )


def rule_waiting_for_review(ctx):
    since = ctx.now - dt.timedelta(hours=WAITING_HOURS)
    waiting = pull_requests_waiting(filters=ctx.recent)
    long_waits = waiting.filter(waiting_since__lt=since)
    n = long_waits.count()
    if not n:
        return None
    oldest = long_waits.order_by("waiting_since").values_list("waiting_since", flat=True)[0]
    everyone = waiting.count()
    return Finding(
        rule="waiting_for_review",
        tone="warning",
        title=(
            f"{count_text(n)} open PR{'s have' if n != 1 else ' has'} waited more than two "
            f"days for a first review (longest: {duration_text((ctx.now - oldest).total_seconds())})"
        ),
        detail=(
            "Open, not drafts, and nobody else has reviewed them yet"
            + (f"; {count_text(everyone)} are waiting in all." if everyone > n else ".")
        ),
        score=15 + 4 * min(n, 8),
        numbers={"count": n, "oldest_seconds": (ctx.now - oldest).total_seconds()},
        filters=ctx.recent,
        # Every PR waiting now, longest first: the ones past two days lead the list.
        query=PullRequestQuery(state=PullRequestList.WAITING, sort="-waiting"),
    )


def rule_review_concentration(ctx):
    rows = list(
        reviews_given(filters=ctx.recent)
        .order_by()
        .values("reviewer_id", "reviewer__login")
        .annotate(n=Count("pk"))
        .order_by("-n")[:2]
    )
    total = reviews_given(filters=ctx.recent).count() if len(rows) > 1 else 0
    if total < 10 or rows[0]["n"] / total < 0.5:
        return None
    top = rows[0]
    share = top["n"] / total
    return Finding(
        rule="review_concentration",
        tone="warning",
        title=(
            f"{top['reviewer__login']} gave {percent_text(share)} of all reviews in the last "
            f"four weeks ({count_text(top['n'])} of {count_text(total)})"
        ),
        detail="When one person reviews most of the work, reviews queue behind them.",
        score=40 * share,
        numbers={"reviewer": top["reviewer__login"], "reviews": top["n"], "total": total},
        filters=ctx.recent,
        query=PullRequestQuery(reviewer_id=top["reviewer_id"]),
    )


def rule_ai_share_trend(ctx):
    now, before = ctx.recent_summary, ctx.before_summary
    if not ctx.before.imported or not sample_enough(now["merged"], before["merged"]):
        return None
    delta = now["ai_share"] - before["ai_share"]
    if abs(delta) < 0.1:
        return None
    return Finding(
        rule="ai_share_trend",
        tone="info",
        title=(
            f"AI-assisted share of merged PRs {'rose' if delta > 0 else 'fell'} from "
            f"{percent_text(before['ai_share'])} to {percent_text(now['ai_share'])} in the last "
            "four weeks"
        ),
        detail=(
            f"{count_text(now['ai'])} of {count_text(now['merged'])} merged PRs, against "
            f"{count_text(before['ai'])} of {count_text(before['merged'])}."
        ),
        score=30 * abs(delta) + 5,
        numbers={"before": before["ai_share"], "now": now["ai_share"]},
        filters=ctx.recent,
        query=PullRequestQuery(state=PullRequestList.MERGED, ai="yes", sort="-merged"),
    )


RULES = (
    rule_pickup_trend,
    rule_cycle_trend,
    rule_throughput_trend,
    rule_ai_speed,
    rule_xl_unreviewed,
    rule_unreviewed_share,
    rule_waiting_for_review,
    rule_review_concentration,
    rule_ai_share_trend,
)
