from django.conf import settings
from django.db import models
from django_cryptography.fields import encrypt

from tformance.teams.models import Team


class GitHubIntegration(models.Model):
    """A team's connection to its GitHub organisation. The token is encrypted at rest."""

    class Method(models.TextChoices):
        OAUTH = "oauth", "GitHub OAuth"
        PERSONAL_TOKEN = "pat", "Personal access token"

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="github_integration")
    org_login = models.CharField(max_length=100, blank=True)
    org_id = models.BigIntegerField(null=True, blank=True)
    access_token = encrypt(models.TextField())
    # Comma-separated, as GitHub sends them in X-OAuth-Scopes.
    token_scopes = models.CharField(max_length=500, blank=True)
    # The GitHub account the token belongs to (empty for teams connected before it was kept).
    viewer_login = models.CharField(max_length=100, blank=True)
    connection_method = models.CharField(max_length=10, choices=Method.choices)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    connected_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # One team per GitHub organisation: a second user asks to join the first team
            # instead of importing a second copy of its data (NULLs, no org yet, are distinct).
            models.UniqueConstraint(fields=["org_id"], name="github_integration_unique_org_id"),
        ]

    def __str__(self):
        return f"GitHub {self.org_login or '(no org yet)'} for {self.team}"

    @property
    def scopes(self) -> list[str]:
        return [s.strip() for s in self.token_scopes.split(",") if s.strip()]
