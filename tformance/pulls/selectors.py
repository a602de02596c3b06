"""Reads of the team's pull-request history. Every function takes the team it reads for."""

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from tformance.pulls.models import PullRequest, TeamMember, TrackedRepository
from tformance.teams.models import Team


def repository_list(*, team: Team, active_only: bool = False) -> QuerySet[TrackedRepository]:
    repositories = TrackedRepository.objects.filter(team=team)
    return repositories.filter(is_active=True) if active_only else repositories


def repository_get(*, team: Team, pk: int) -> TrackedRepository:
    return get_object_or_404(TrackedRepository, team=team, pk=pk)


def team_member_list(*, team: Team) -> QuerySet[TeamMember]:
    return TeamMember.objects.filter(team=team)


def team_member_list_authors(*, team: Team) -> QuerySet[TeamMember]:
    """The people who opened a PR, the ghost aside, by login."""
    return (
        team_member_list(team=team)
        .filter(Exists(PullRequest.objects.filter(author=OuterRef("pk"))), is_ghost=False)
        .order_by("login")
    )
