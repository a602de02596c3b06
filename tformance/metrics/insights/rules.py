"""The rules: each looks at the metrics and returns a `Finding` or None.

A finding carries its own score; the engine keeps the highest few. Thresholds keep the
list short and trustworthy: trends need at least `MIN_SAMPLE` PRs on both sides and a
change that matters in absolute terms too (an hour, not a minute).
"""

import dataclasses
import datetime as dt
import math

from django.db.models import Count, F
from django.db.models.functions import Coalesce

from tformance.metrics.expressions import cycle_seconds, pickup_seconds
from tformance.metrics.filters import pull_requests_merged, pull_requests_scoped, reviews_given
from tformance.metrics.formatting import duration_text, percent_text
from tformance.metrics.insights.context import InsightContext
from tformance.metrics.selectors.delivery import unreviewed_q
from tformance.pulls.models import PullRequest

MIN_SAMPLE = 4
MAX_IDS = 50
WAITING_HOURS = 48


@dataclasses.dataclass
class Finding:
    rule: str
    tone: str  # good, warning, info
    title: str
    detail: str
    score: float
    numbers: dict
    pull_request_ids: list[int]
    period: str = "recent"  # which of the context's periods it is about


def _ids(qs, order, limit=MAX_IDS) -> list[int]:
    return list(qs.order_by(order).values_list("pk", flat=True)[:limit])


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


def _trend(ctx: InsightContext, *, metric: str, label: str, expr, rule: str) -> Finding | None:
    now, before = ctx.recent_summary["stats"][metric], ctx.before_summary["stats"][metric]
    if now["n"] < MIN_SAMPLE or before["n"] < MIN_SAMPLE or not before[50] or now[50] is None:
        return None
    ratio = now[50] / before[50]
    if abs(now[50] - before[50]) < 3600 or 0.67 < ratio < 1.5:
        return None
    slower = ratio > 1
    merged = pull_requests_merged(filters=ctx.recent).annotate(v=expr).filter(v__isnull=False)
    return Finding(
        rule=rule,
        tone="warning" if slower else "good",
        title=(
            f"{label} {_ratio_words(ratio)} in the last four weeks "
            f"({duration_text(before[50])} → {duration_text(now[50])})"
        ),
        detail=(
            f"Median over {now['n']} merged PRs, against {before['n']} in the four weeks "
            f"before. " + ("The slowest are listed first." if slower else "")
        ).strip(),
        score=40 * abs(math.log2(ratio)) + (10 if slower else 0),
        numbers={"before": before[50], "now": now[50], "n_before": before["n"], "n_now": now["n"]},
        pull_request_ids=_ids(merged, F("v").desc()),
    )


def rule_pickup_trend(ctx):
    return _trend(
        ctx, metric="pickup", label="Pickup time", expr=pickup_seconds(), rule="pickup_trend"
    )


def rule_cycle_trend(ctx):
    return _trend(ctx, metric="cycle", label="Cycle time", expr=cycle_seconds(), rule="cycle_trend")


def rule_throughput_trend(ctx):
    now, before = ctx.recent_summary["merged"], ctx.before_summary["merged"]
    if min(now, before) < MIN_SAMPLE or abs(now - before) / before < 0.3:
        return None
    up = now > before
    return Finding(
        rule="throughput_trend",
        tone="good" if up else "info",
        title=(
            f"{'More' if up else 'Fewer'} PRs merged in the last four weeks than in the four "
            f"before ({before} → {now})"
        ),
        detail=f"{now / 4:.1f} merged per week, against {before / 4:.1f}.",
        score=25 * abs(math.log2(now / before)),
        numbers={"before": before, "now": now},
        pull_request_ids=_ids(pull_requests_merged(filters=ctx.recent), "-merged_at"),
    )


def rule_ai_speed(ctx):
    ai = ctx.quarter_ai
    if ai["ai"]["n"] < MIN_SAMPLE + 1 or ai["other"]["n"] < MIN_SAMPLE + 1 or ai["faster"] is None:
        return None
    faster = ai["faster"]
    if abs(faster) < 0.2:
        return None
    words = f"{round(abs(faster) * 100)} % {'faster' if faster > 0 else 'slower'}"
    return Finding(
        rule="ai_speed",
        tone="good" if faster > 0 else "info",
        title=(
            f"AI-assisted PRs merge {words} than others "
            f"({duration_text(ai['ai'][50])} vs {duration_text(ai['other'][50])})"
        ),
        detail=(
            f"Median cycle time over the last 90 days: {ai['ai']['n']} AI-assisted PRs, "
            f"{ai['other']['n']} others."
        ),
        score=30 * abs(faster) + 5,
        numbers={"ai": ai["ai"][50], "other": ai["other"][50], "faster": faster},
        pull_request_ids=_ids(
            pull_requests_merged(filters=ctx.quarter).filter(is_ai_assisted=True), "-merged_at"
        ),
        period="quarter",
    )


def rule_xl_unreviewed(ctx):
    n = ctx.recent_summary["xl_unreviewed"]
    if not n:
        return None
    prs = pull_requests_merged(filters=ctx.recent).filter(unreviewed_q(), size_bucket="XL")
    return Finding(
        rule="xl_unreviewed",
        tone="warning",
        title=f"{n} XL PR{'s' if n != 1 else ''} merged without review in the last four weeks",
        detail="Pull requests over 500 changed lines that nobody else reviewed before merge.",
        score=20 + 5 * min(n, 6),
        numbers={"count": n},
        pull_request_ids=_ids(prs, "-merged_at"),
    )


def rule_unreviewed_share(ctx):
    s = ctx.recent_summary
    if s["merged"] < MIN_SAMPLE + 1 or (s["unreviewed_share"] or 0) < 0.2:
        return None
    prs = pull_requests_merged(filters=ctx.recent).filter(unreviewed_q())
    return Finding(
        rule="unreviewed_share",
        tone="warning",
        title=(
            f"{percent_text(s['unreviewed_share'])} of merged PRs had no review "
            f"({s['unreviewed']} of {s['merged']}, last four weeks)"
        ),
        detail="Merged without a review from someone other than the author before the merge.",
        score=60 * s["unreviewed_share"],
        numbers={"unreviewed": s["unreviewed"], "merged": s["merged"]},
        pull_request_ids=_ids(prs, "-merged_at"),
    )


def rule_waiting_for_review(ctx):
    since = ctx.now - dt.timedelta(hours=WAITING_HOURS)
    waiting = (
        pull_requests_scoped(filters=ctx.recent)
        .filter(state=PullRequest.State.OPEN, is_draft=False, first_review_at__isnull=True)
        .annotate(waiting_since=Coalesce(F("ready_for_review_at"), F("opened_at")))
        .filter(waiting_since__lt=since)
    )
    ids = _ids(waiting, "waiting_since")
    if not ids:
        return None
    oldest = waiting.order_by("waiting_since").values_list("waiting_since", flat=True)[0]
    return Finding(
        rule="waiting_for_review",
        tone="warning",
        title=(
            f"{len(ids)} open PR{'s have' if len(ids) != 1 else ' has'} waited more than two "
            f"days for a first review (longest: {duration_text((ctx.now - oldest).total_seconds())})"
        ),
        detail="Open, not drafts, and nobody else has reviewed them yet.",
        score=15 + 4 * min(len(ids), 8),
        numbers={"count": len(ids), "oldest_seconds": (ctx.now - oldest).total_seconds()},
        pull_request_ids=ids,
        period="now",
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
    prs = (
        pull_requests_scoped(filters=ctx.recent)
        .filter(
            reviews__reviewer_id=top["reviewer_id"],
            reviews__submitted_at__gte=ctx.recent.start,
            reviews__submitted_at__lt=ctx.recent.end,
        )
        .distinct()
    )
    return Finding(
        rule="review_concentration",
        tone="warning",
        title=(
            f"{top['reviewer__login']} gave {percent_text(share)} of all reviews in the last "
            f"four weeks ({top['n']} of {total})"
        ),
        detail="When one person reviews most of the work, reviews queue behind them.",
        score=40 * share,
        numbers={"reviewer": top["reviewer__login"], "reviews": top["n"], "total": total},
        pull_request_ids=_ids(prs, "-opened_at"),
    )


def rule_ai_share_trend(ctx):
    now, before = ctx.recent_summary, ctx.before_summary
    if min(now["merged"], before["merged"]) < MIN_SAMPLE or now["ai_share"] is None:
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
        detail=f"{now['ai']} of {now['merged']} merged PRs, against {before['ai']} of {before['merged']}.",
        score=30 * abs(delta) + 5,
        numbers={"before": before["ai_share"], "now": now["ai_share"]},
        pull_request_ids=_ids(
            pull_requests_merged(filters=ctx.recent).filter(is_ai_assisted=True), "-merged_at"
        ),
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
