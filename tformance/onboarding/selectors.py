"""Reads for the wizard: where a user stands, and the team's counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tformance.metrics.formatting import count_text
from tformance.onboarding.models import OnboardingProgress, PendingGitHubConnection
from tformance.pulls.models import TeamMember
from tformance.sync.selectors import Activity, RepositoryState, team_sync_states
from tformance.teams.models import Membership, Team
from tformance.teams.selectors import membership_get, team_get_for_user

Step = OnboardingProgress.Step


def pending_connection_get(*, user: AbstractBaseUser) -> PendingGitHubConnection | None:
    return PendingGitHubConnection.objects.filter(user=user).first()


def onboarding_team_get(*, user: AbstractBaseUser) -> Team | None:
    """The team this user is setting up: the newest one they admin that is not finished."""
    return (
        Team.objects.filter(
            memberships__user=user,
            memberships__role=Membership.Role.ADMIN,
            onboarding_completed_at__isnull=True,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def onboarding_progress_get(*, team: Team) -> OnboardingProgress:
    progress, _ = OnboardingProgress.objects.get_or_create(team=team)
    return progress


def admin_team_get(*, user: AbstractBaseUser, slug: str) -> Team:
    """The user's team if they are its admin: 404 for strangers, 403 for plain members."""
    team = team_get_for_user(user=user, slug=slug)
    membership = membership_get(user=user, team=team)
    if membership is None or not membership.is_admin:
        raise PermissionDenied("Only the team's admins can change its settings.")
    return team


def resume_url(*, user: AbstractBaseUser) -> str:
    """Where a returning user belongs: their unfinished step, or their dashboard."""
    team = onboarding_team_get(user=user)
    if team is not None:
        progress = onboarding_progress_get(team=team)
        return reverse(f"onboarding:{progress.furthest_step}")
    first_team = Team.objects.filter(memberships__user=user).order_by("name").first()
    if first_team is not None:
        return reverse("dashboard:team", args=[first_team.slug])
    if pending_connection_get(user=user) is not None:
        return reverse("onboarding:org")
    return reverse("onboarding:start")


@dataclass(frozen=True)
class TeamSummary:
    repositories: int
    pull_requests: int
    members: int
    syncing: int
    failed: int

    @property
    def all_done(self) -> bool:
        """Every repository's sync has ended (none is queued or running)."""
        return self.repositories > 0 and self.syncing == 0

    @property
    def done_text(self) -> str:
        prs = (
            f"{count_text(self.pull_requests)} pull request{'' if self.pull_requests == 1 else 's'}"
        )
        repos = f"{self.repositories} repositor{'y' if self.repositories == 1 else 'ies'}"
        text = f"{prs} from {repos} are in; new ones arrive with the nightly sync."
        if self.failed:
            text += f" {self.failed} failed: retry them below."
        return text


def team_summary(*, team: Team, states: list[RepositoryState] | None = None) -> TeamSummary:
    """The team's counts; `states` (from `team_sync_states`) saves reading them again."""
    states = team_sync_states(team=team) if states is None else states
    return TeamSummary(
        repositories=len(states),
        pull_requests=sum(s.stored for s in states),  # the sum of the rows shown
        members=TeamMember.objects.filter(team=team, is_active=True).count(),
        syncing=sum(not s.is_finished for s in states),
        failed=sum(s.status == Activity.FAILED for s in states),
    )
