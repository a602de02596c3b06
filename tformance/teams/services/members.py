"""Roles and membership: admins change roles and remove members; anyone may leave.

A team always keeps an admin. Every change takes the team's row lock first, so two admins
demoting each other at the same moment cannot leave the team with none.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from tformance.teams.errors import TeamProblem
from tformance.teams.models import Membership, Team


def team_lock(*, team: Team) -> Team:
    """Lock the team's row until the transaction ends (call inside `transaction.atomic`)."""
    return Team.objects.select_for_update().get(pk=team.pk)


def _only_admin(membership: Membership) -> bool:
    others = Membership.objects.filter(team_id=membership.team_id, role=Membership.Role.ADMIN)
    return membership.is_admin and not others.exclude(pk=membership.pk).exists()


def _refuse_last_admin(membership: Membership, *, doing: str) -> None:
    if _only_admin(membership):
        raise TeamProblem(
            f"{membership.user.get_username()} is the only admin of {membership.team.name}, "
            f"so they cannot {doing}: make someone else an admin first."
        )


@transaction.atomic
def membership_role_set(*, membership: Membership, role: str) -> Membership:
    if role not in Membership.Role.values:
        raise TeamProblem(f"{role!r} is not a role; choose admin or member.")
    team_lock(team=membership.team)
    membership = Membership.objects.select_related("user", "team").filter(pk=membership.pk).first()
    if membership is None:
        raise TeamProblem("That person is no longer in the team.")
    if membership.role == role:
        return membership
    if role != Membership.Role.ADMIN:
        _refuse_last_admin(membership, doing="become a plain member")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Take the user out of the team (their GitHub data, which belongs to the team, stays)."""
    team_lock(team=membership.team)
    membership = Membership.objects.select_related("user", "team").filter(pk=membership.pk).first()
    if membership is None:  # removed a moment ago
        return
    _refuse_last_admin(membership, doing="leave the team")
    membership.delete()


def membership_leave(*, team: Team, user: AbstractBaseUser) -> None:
    membership = Membership.objects.filter(team=team, user=user).first()
    if membership is not None:
        membership_remove(membership=membership)


def membership_add(*, team: Team, user: AbstractBaseUser, role: str) -> Membership:
    """Add the user with `role`; someone already in the team keeps the role they have."""
    membership, _ = Membership.objects.get_or_create(team=team, user=user, defaults={"role": role})
    return membership
