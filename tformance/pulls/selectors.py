"""Reads of the team's pull-request history. Every function takes the team it reads for."""

from django.shortcuts import get_object_or_404

from tformance.pulls.models import TrackedRepository
from tformance.teams.models import Team


def repository_get(*, team: Team, pk: int) -> TrackedRepository:
    return get_object_or_404(TrackedRepository, team=team, pk=pk)
