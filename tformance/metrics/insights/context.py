"""What every rule may look at, computed lazily and at most once per refresh.

The periods carry the team's imported history (`history_start`): a rule compares with the
four weeks before only when they are imported, and says when the quarter is not.
"""

import datetime as dt
from functools import cached_property

from tformance.metrics.filters import MetricFilters, period_last_days
from tformance.metrics.selectors.ai import ai_breakdown
from tformance.metrics.selectors.delivery import delivery_summary
from tformance.sync.selectors import history_start
from tformance.teams.models import Team

RECENT_DAYS = 28
QUARTER_DAYS = 90


class InsightContext:
    def __init__(self, *, team: Team, now: dt.datetime):
        self.team, self.now = team, now
        history = history_start(team=team)
        start, end = period_last_days(team=team, days=RECENT_DAYS, now=now)
        self.recent = MetricFilters(team=team, start=start, end=end, history_start=history)
        self.before = self.recent.previous()
        q_start, q_end = period_last_days(team=team, days=QUARTER_DAYS, now=now)
        self.quarter = MetricFilters(team=team, start=q_start, end=q_end, history_start=history)

    @cached_property
    def recent_summary(self) -> dict:
        return delivery_summary(filters=self.recent)

    @cached_property
    def before_summary(self) -> dict:
        return delivery_summary(filters=self.before)

    @cached_property
    def quarter_ai(self) -> dict:
        return ai_breakdown(filters=self.quarter)
