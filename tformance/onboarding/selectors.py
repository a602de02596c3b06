"""Reads for the wizard: where a user stands, and how each repository's sync is doing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tformance.onboarding.models import OnboardingProgress, PendingGitHubConnection
from tformance.pulls.models import PullRequest, TeamMember, TrackedRepository
from tformance.teams.models import Membership, Team
from tformance.teams.selectors import membership_get, team_get_for_user

Step = OnboardingProgress.Step
Status = TrackedRepository.Status
RATE_LIMIT_PHASE = "waiting for GitHub's rate limit"
RETRY_PHASE = "retrying after an error"


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
class RepositoryState:
    """What the sync page shows for one repository."""

    id: int
    full_name: str
    status: str  # pending, syncing, waiting, retrying, stalled, complete, error
    label: str
    detail: str
    prs_done: int
    prs_total: int | None
    can_retry: bool
    can_skip: bool

    @property
    def percent(self) -> int | None:
        if not self.prs_total:
            return 100 if self.status == "complete" else None
        return min(100, round(100 * self.prs_done / self.prs_total))

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "full_name": self.full_name,
            "status": self.status,
            "label": self.label,
            "detail": self.detail,
            "prs_done": self.prs_done,
            "prs_total": self.prs_total,
            "percent": self.percent,
            "can_retry": self.can_retry,
            "can_skip": self.can_skip,
        }


def _progress_text(repository: TrackedRepository) -> str:
    done, total = repository.sync_prs_done, repository.sync_prs_total
    return f"{done} / {total} PRs synced" if total is not None else f"{done} PRs synced"


def repository_state(
    *, repository: TrackedRepository, now: dt.datetime | None = None
) -> RepositoryState:
    """The honest state of one repository's sync, from the database alone."""
    now = now or timezone.now()
    r = repository
    stall_limit = now - dt.timedelta(seconds=settings.SYNC_STALL_SECONDS)
    status, label, detail = r.sync_status, r.get_sync_status_display(), ""
    can_retry = can_skip = False
    if r.sync_status == Status.SYNCING:
        if r.sync_phase == RATE_LIMIT_PHASE and r.sync_resume_at and r.sync_resume_at > now:
            status, label = "waiting", "Waiting for GitHub's rate limit"
            local = timezone.localtime(r.sync_resume_at)
            detail = f"{_progress_text(r)}. Resumes at {local:%H:%M} UTC."
        elif r.sync_phase == RETRY_PHASE:
            status, label = "retrying", "Retrying after an error"
            detail = f"{r.last_sync_error or 'GitHub had a problem'}. It will be retried."
            can_retry = True
        elif r.sync_heartbeat_at is None or r.sync_heartbeat_at < stall_limit:
            status, label = "stalled", "This sync may have stalled"
            detail = f"{_progress_text(r)}. No progress for over {settings.SYNC_STALL_SECONDS} s."
            can_retry = can_skip = True
        else:
            label = f"Syncing {r.sync_phase}" if r.sync_phase else "Syncing"
            detail = _progress_text(r)
    elif r.sync_status == Status.PENDING:
        label, detail = "Queued", "Waiting for a worker to start the sync."
        can_skip = True
    elif r.sync_status == Status.COMPLETE:
        label, detail = "Complete", _progress_text(r)
    elif r.sync_status == Status.ERROR:
        label = "Sync failed"
        detail = r.last_sync_error or "The sync failed."
        can_retry = can_skip = True
    return RepositoryState(
        id=r.pk,
        full_name=r.full_name,
        status=status,
        label=label,
        detail=detail,
        prs_done=r.sync_prs_done,
        prs_total=r.sync_prs_total,
        can_retry=can_retry,
        can_skip=can_skip,
    )


def team_sync_states(*, team: Team) -> list[RepositoryState]:
    now = timezone.now()
    repositories = TrackedRepository.objects.filter(team=team, is_active=True)
    return [repository_state(repository=r, now=now) for r in repositories]


@dataclass(frozen=True)
class TeamSummary:
    repositories: int
    pull_requests: int
    members: int
    syncing: int


def team_summary(*, team: Team) -> TeamSummary:
    active = TrackedRepository.objects.filter(team=team, is_active=True)
    return TeamSummary(
        repositories=active.count(),
        pull_requests=PullRequest.objects.filter(team=team).count(),
        members=TeamMember.objects.filter(team=team, is_active=True).count(),
        syncing=active.exclude(sync_status__in=[Status.COMPLETE, Status.ERROR]).count(),
    )
