"""Insights: the rules engine's ranked findings for a team, stored after each computation."""

from django.db import models

from tformance.teams.models import Team


class Insight(models.Model):
    """One plain-language finding with the numbers and the PRs behind it."""

    class Tone(models.TextChoices):
        GOOD = "good", "Good news"
        WARNING = "warning", "Needs attention"
        INFO = "info", "Worth knowing"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="insights")
    rule = models.CharField(max_length=50)
    rank = models.PositiveSmallIntegerField()
    tone = models.CharField(max_length=10, choices=Tone.choices, default=Tone.INFO)
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    # The figures the title is built from (seconds, counts, shares), for tracing and the LLM.
    numbers = models.JSONField(default=dict, blank=True)
    # The PR list behind it (`PullRequestQuery.as_data`) over its period, and its length:
    # the dashboard links to that list, so a drill-down shows every PR, with its filter.
    list_query = models.JSONField(default=dict, blank=True)
    pull_request_count = models.PositiveIntegerField(default=0)
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["team", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["team", "rule"], name="insight_unique_team_rule"),
        ]

    def __str__(self):
        return self.title


class InsightSummary(models.Model):
    """An optional LLM-written paragraph on top of the insights (only with an API key)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="insight_summary")
    text = models.TextField()
    provider = models.CharField(max_length=50)
    model = models.CharField(max_length=100, blank=True)
    computed_at = models.DateTimeField()

    def __str__(self):
        return f"Summary for {self.team}"
