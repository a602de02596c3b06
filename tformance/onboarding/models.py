"""Wizard state that must outlive a session: the not-yet-attached token, and how far a team got.

Non-secret, per-browser state (the OAuth `state`, the fetched repository list) lives in
`onboarding:*` session keys; a token never does, because sessions are stored unencrypted.
"""

from django.conf import settings
from django.db import models
from django_cryptography.fields import encrypt

from tformance.teams.models import Team


class PendingGitHubConnection(models.Model):
    """A validated GitHub token held for a user until the team it belongs to exists."""

    class Method(models.TextChoices):
        OAUTH = "oauth", "GitHub OAuth"
        PERSONAL_TOKEN = "pat", "Personal access token"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_github"
    )
    access_token = encrypt(models.TextField())
    token_scopes = models.CharField(max_length=500, blank=True)
    method = models.CharField(max_length=10, choices=Method.choices)
    viewer_login = models.CharField(max_length=100, blank=True)
    # Set when the user named the organisation with a personal access token.
    org_login = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Pending GitHub connection of {self.user} ({self.get_method_display()})"


class OnboardingProgress(models.Model):
    """The furthest wizard step a team reached; a returning admin resumes there."""

    class Step(models.TextChoices):
        REPOS = "repos", "Repositories"
        SYNC = "sync", "Sync"
        JIRA = "jira", "Jira"
        SLACK = "slack", "Slack"
        COMPLETE = "complete", "Complete"

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="onboarding")
    furthest_step = models.CharField(max_length=10, choices=Step.choices, default=Step.REPOS)
    updated_at = models.DateTimeField(auto_now=True)

    ORDER = [Step.REPOS, Step.SYNC, Step.JIRA, Step.SLACK, Step.COMPLETE]

    def __str__(self):
        return f"{self.team} onboarding at {self.furthest_step}"

    def reached(self, step: str) -> bool:
        return self.ORDER.index(self.furthest_step) >= self.ORDER.index(step)
