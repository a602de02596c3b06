"""What a team posts to Slack (the weekly digest, working-agreement alerts) and what it sent.

The webhook itself is `integrations.SlackIntegration`; these are the team's choices.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tformance.pulls.models import PullRequest
from tformance.teams.models import Team


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class AlertRule(models.TextChoices):
    WAITING_FOR_REVIEW = "waiting_for_review", "Waiting for a first review"
    XL_OPENED = "xl_opened", "XL pull request opened"
    MERGED_UNREVIEWED = "merged_unreviewed", "Merged without review"


class SlackNotificationSettings(models.Model):
    """A team's Slack notifications: the digest's day and hour (team time zone), the rules."""

    team = models.OneToOneField(
        Team, on_delete=models.CASCADE, related_name="slack_notification_settings"
    )
    digest_enabled = models.BooleanField(default=True)
    digest_weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices, default=Weekday.MONDAY
    )
    digest_hour = models.PositiveSmallIntegerField(
        default=9, validators=[MinValueValidator(0), MaxValueValidator(23)]
    )
    # When the last digest went out: the next one is due at `digest_next_at` after it.
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    alerts_enabled = models.BooleanField(default=True)
    waiting_enabled = models.BooleanField(default=True)
    waiting_hours = models.PositiveIntegerField(
        default=24, validators=[MinValueValidator(1), MaxValueValidator(24 * 30)]
    )
    xl_enabled = models.BooleanField(default=True)
    xl_lines = models.PositiveIntegerField(
        default=1000, validators=[MinValueValidator(1), MaxValueValidator(1_000_000)]
    )
    unreviewed_enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "Slack notification settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest_hour__lte=23), name="slack_settings_digest_hour_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(digest_weekday__lte=6),
                name="slack_settings_digest_weekday_valid",
            ),
        ]

    def __str__(self):
        return f"Slack notifications of {self.team}"

    def rule_enabled(self, rule: str) -> bool:
        if not self.alerts_enabled:
            return False
        return {
            AlertRule.WAITING_FOR_REVIEW: self.waiting_enabled,
            AlertRule.XL_OPENED: self.xl_enabled,
            AlertRule.MERGED_UNREVIEWED: self.unreviewed_enabled,
        }[AlertRule(rule)]


class AlertSent(models.Model):
    """An alert posted for a PR under a rule: each fires at most once per PR and rule."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="slack_alerts_sent")
    pull_request = models.ForeignKey(
        PullRequest, on_delete=models.CASCADE, related_name="slack_alerts_sent"
    )
    rule = models.CharField(max_length=30, choices=AlertRule.choices)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pull_request", "rule"], name="slack_alert_sent_unique_pr_rule"
            ),
        ]
        indexes = [models.Index(fields=["team", "rule"], name="slack_alert_team_rule")]

    def __str__(self):
        return f"{self.rule} alert for PR {self.pull_request_id}"
