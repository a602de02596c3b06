"""Compute, rank and store a team's insights (and the optional LLM summary)."""

import logging

from django.db import transaction
from django.utils import timezone

from tformance.metrics.insights.context import InsightContext
from tformance.metrics.insights.llm import SummaryProvider, summary_provider_get
from tformance.metrics.insights.rules import RULES, Finding
from tformance.metrics.models import Insight, InsightSummary
from tformance.teams.models import Team

logger = logging.getLogger(__name__)

MAX_INSIGHTS = 6


def insights_find(*, team: Team, now=None) -> list[Finding]:
    """Run every rule; the findings ranked by score, at most `MAX_INSIGHTS`."""
    ctx = InsightContext(team=team, now=now or timezone.now())
    findings = [f for f in (rule(ctx) for rule in RULES) if f is not None]
    findings.sort(key=lambda f: -f.score)
    return findings[:MAX_INSIGHTS]


def insights_refresh(
    *, team: Team, now=None, provider: SummaryProvider | None = None
) -> list[Insight]:
    """Replace the team's stored insights with fresh ones; summarise them if configured."""
    now = now or timezone.now()
    findings = insights_find(team=team, now=now)
    rows = [
        Insight(
            team=team,
            rule=f.rule,
            rank=rank,
            tone=f.tone,
            title=f.title,
            detail=f.detail,
            numbers=f.numbers,
            list_query=f.query.as_data(),
            pull_request_count=f.pull_requests.count(),
            period_start=f.filters.start,
            period_end=f.filters.end,
            computed_at=now,
        )
        for rank, f in enumerate(findings, start=1)
    ]
    with transaction.atomic():
        Insight.objects.filter(team=team).delete()
        Insight.objects.bulk_create(rows)
    _summary_refresh(team=team, insights=rows, provider=provider or summary_provider_get(), now=now)
    logger.info("[insights] %s: %d insights", team.slug, len(rows))
    return rows


def _summary_refresh(*, team, insights, provider, now) -> None:
    if provider is None or not insights:
        InsightSummary.objects.filter(team=team).delete()
        return
    payload = [{"title": i.title, "detail": i.detail, "numbers": i.numbers} for i in insights]
    try:
        text = provider.summarize(team_name=team.name, insights=payload)
    except Exception:  # the summary is optional: keep the insights, log, move on
        logger.exception("[insights] %s: the %s summary failed", team.slug, provider.name)
        return
    InsightSummary.objects.update_or_create(
        team=team,
        defaults={
            "text": text,
            "provider": provider.name,
            "model": provider.model,
            "computed_at": now,
        },
    )
