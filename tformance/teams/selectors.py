from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404

from tformance.teams.models import Membership, Team


def team_list_for_user(*, user: AbstractBaseUser) -> QuerySet[Team]:
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user)


def team_get_for_user(*, user: AbstractBaseUser, slug: str) -> Team:
    """Return the user's team, or 404: another team's existence is not revealed."""
    team = team_list_for_user(user=user).filter(slug=slug).first()
    if team is None:
        raise Http404("No such team.")
    return team


def membership_get(*, user: AbstractBaseUser, team: Team) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, team=team).first()
