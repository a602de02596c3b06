"""Reads of the team's pull-request history. Every function takes the team it reads for."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tformance.pulls.models import PullRequest, TeamMember, TrackedRepository
from tformance.teams.models import Team


def repository_list(*, team: Team, active_only: bool = False) -> QuerySet[TrackedRepository]:
    qs = TrackedRepository.objects.filter(team=team)
    return qs.filter(is_active=True) if active_only else qs


def repository_get(*, team: Team, pk: int) -> TrackedRepository:
    return get_object_or_404(TrackedRepository, team=team, pk=pk)


def team_member_list(*, team: Team) -> QuerySet[TeamMember]:
    return TeamMember.objects.filter(team=team)


def pull_request_list(*, team: Team) -> QuerySet[PullRequest]:
    return PullRequest.objects.filter(team=team).select_related("repository", "author")


def pull_request_get(*, team: Team, pk: int) -> PullRequest:
    return get_object_or_404(pull_request_list(team=team), pk=pk)
