"""The stored insights of a team."""

from tformance.metrics.models import Insight, InsightSummary
from tformance.teams.models import Team


def insight_list(*, team: Team) -> list[Insight]:
    return list(Insight.objects.filter(team=team).order_by("rank"))


def insight_summary_get(*, team: Team) -> InsightSummary | None:
    return InsightSummary.objects.filter(team=team).first()
