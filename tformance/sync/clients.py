from django.conf import settings

from tformance.github.client import GitHubClient
from tformance.github.models import GitHubIntegration
from tformance.sync.errors import NotConnected
from tformance.teams.models import Team


def github_client_for_team(*, team: Team) -> GitHubClient:
    """A client with the team's token and the operator's retry settings."""
    integration = GitHubIntegration.objects.filter(team=team).first()
    if integration is None or not integration.access_token:
        raise NotConnected(f"{team.name} is not connected to GitHub; connect it again.")
    return GitHubClient(
        token=integration.access_token,
        max_retries=settings.GITHUB_MAX_RETRIES,
        backoff_base_seconds=settings.GITHUB_BACKOFF_BASE_SECONDS,
        page_size=settings.GITHUB_PAGE_SIZE,
    )
