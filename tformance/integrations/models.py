"""Settings of the optional Jira and Slack integrations; their secrets are encrypted at rest.

What is posted to Slack, and when, is `tformance.slack`'s.
"""

from django.conf import settings
from django.db import models
from django_cryptography.fields import encrypt

from tformance.teams.models import Team


class JiraIntegration(models.Model):
    """A Jira Cloud site reached with a user's email and API token (basic auth)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="jira_integration")
    site_url = models.URLField(max_length=300)
    email = models.EmailField()
    api_token = encrypt(models.TextField())
    account_id = models.CharField(max_length=128, blank=True)
    display_name = models.CharField(max_length=255, blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    connected_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Jira {self.site_url} for {self.team}"


class SlackIntegration(models.Model):
    """A Slack incoming webhook; its URL is the secret, so the whole URL is encrypted.

    A webhook Slack says is gone (removed, its channel archived) is *broken*: nothing is
    posted through it again until it is connected anew, and `error` tells the team why.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        BROKEN = "broken", "Broken"

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="slack_integration")
    webhook_url = encrypt(models.TextField())
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    connected_at = models.DateTimeField(auto_now=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    error = models.CharField(max_length=300, blank=True)
    broken_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Slack webhook for {self.team}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE
