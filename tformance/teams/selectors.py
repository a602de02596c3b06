from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from tformance.teams.models import Invitation, JoinRequest, Membership, Team
from tformance.teams.tokens import invitation_token_make, invitation_token_read


def team_list_for_user(*, user: AbstractBaseUser) -> QuerySet[Team]:
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user)


def team_find(*, pk: int | None) -> Team | None:
    """The team with that id, if there still is one (an id the session held)."""
    return Team.objects.filter(pk=pk).first()


def team_get_for_user(*, user: AbstractBaseUser, slug: str) -> Team:
    """Return the user's team, or 404: another team's existence is not revealed."""
    team = team_list_for_user(user=user).filter(slug=slug).first()
    if team is None:
        raise Http404("No such team.")
    return team


def membership_list_for_user(*, user: AbstractBaseUser) -> list[Membership]:
    """The user's memberships with their teams, by team name (a page's team and header)."""
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=user)
        .select_related("team", "team__jira_integration", "team__slack_integration")
        # The webhook is the secret: not decrypted for every page that only needs its status.
        .defer("team__slack_integration__webhook_url")
        .order_by("team__name", "pk")
    )


def membership_of_team(*, memberships: list[Membership], slug: str) -> Membership:
    """The membership (of `membership_list_for_user`) in the team `slug`, or 404: another
    team's existence is not revealed (as `team_get_for_user`)."""
    found = next((m for m in memberships if m.team.slug == slug), None)
    if found is None:
        raise Http404("No such team.")
    return found


def membership_get(*, user: AbstractBaseUser, team: Team) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, team=team).first()


def membership_list(*, team: Team) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(team=team)
        .select_related("user")
        .order_by("role", "user__username")  # "admin" sorts before "member"
    )


def membership_get_in_team(*, team: Team, pk: int) -> Membership:
    """One of the team's memberships; another team's is a 404."""
    return get_object_or_404(Membership.objects.select_related("user", "team"), team=team, pk=pk)


def team_admins(*, team: Team) -> list[AbstractBaseUser]:
    return [
        m.user for m in membership_list(team=team).filter(role=Membership.Role.ADMIN).order_by("pk")
    ]


def user_for_email(*, email: str) -> AbstractBaseUser | None:
    return get_user_model().objects.filter(username__iexact=email.strip()).first()


# --- The team switcher in the header -------------------------------------------------------


@dataclass(frozen=True)
class TeamEntry:
    name: str
    slug: str
    url: str
    is_admin: bool
    is_current: bool
    setting_up: bool  # an admin's team whose wizard is not finished


@dataclass(frozen=True)
class TeamNav:
    teams: list[TeamEntry]
    # The team the page is about, else the first one: what the header's links are for.
    team: TeamEntry | None


def team_nav(
    *,
    user: AbstractBaseUser,
    current_slug: str | None,
    memberships: list[Membership] | None = None,
) -> TeamNav:
    """The user's teams for the header, the one the page is about marked as current.

    `memberships`: `membership_list_for_user`, when the page read them already.
    """
    if not user.is_authenticated:
        return TeamNav(teams=[], team=None)
    if memberships is None:
        memberships = membership_list_for_user(user=user)
    teams = []
    for m in memberships:
        setting_up = m.is_admin and m.team.onboarding_completed_at is None
        url = (
            reverse("onboarding:resume")
            if setting_up
            else reverse("dashboard:team", args=[m.team.slug])
        )
        teams.append(
            TeamEntry(
                name=m.team.name,
                slug=m.team.slug,
                url=url,
                is_admin=m.is_admin,
                is_current=m.team.slug == current_slug,
                setting_up=setting_up,
            )
        )
    current = next((t for t in teams if t.is_current), teams[0] if teams else None)
    return TeamNav(teams=teams, team=current)


# --- Invitations ---------------------------------------------------------------------------


def invitation_path(*, invitation: Invitation) -> str:
    """The link of the invitation's latest send (the one that works)."""
    token = invitation_token_make(invitation_id=invitation.pk, sends=invitation.sends)
    return reverse("teams:invitation", args=[token])


def invitation_url(*, invitation: Invitation) -> str:
    return settings.SITE_URL + invitation_path(invitation=invitation)


def invitation_list_open(*, team: Team) -> QuerySet[Invitation]:
    """Invitations not yet accepted or revoked, expired ones included (they can be resent)."""
    return Invitation.objects.filter(
        team=team, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def invitation_get_in_team(*, team: Team, pk: int) -> Invitation:
    """One of the team's open invitations; another team's, or a closed one, is a 404."""
    return get_object_or_404(invitation_list_open(team=team), pk=pk)


def invitation_list_for_user(*, user: AbstractBaseUser) -> list[Invitation]:
    """Open, unexpired invitations to the user's (confirmed) address, for teams they are not in."""
    if not user.is_authenticated:
        return []
    invitations = (
        Invitation.objects.filter(
            email__iexact=user.get_username(), accepted_at__isnull=True, revoked_at__isnull=True
        )
        .exclude(team__memberships__user=user)
        .select_related("team", "invited_by")
    )
    return [i for i in invitations if not i.is_expired]


def invitation_entries_for_user(*, user: AbstractBaseUser) -> list[tuple[Invitation, str]]:
    """`invitation_list_for_user`, each with its link: the address is confirmed, so the
    account that owns it may open the invitation without the email."""
    return [(i, invitation_path(invitation=i)) for i in invitation_list_for_user(user=user)]


class Refusal:
    """Why an invitation link does not (or no longer) work, in words for the person holding it."""

    INVALID = "invalid"
    REVOKED = "revoked"
    USED = "used"
    REPLACED = "replaced"
    EXPIRED = "expired"
    OTHER_USER = "other_user"


@dataclass(frozen=True)
class InvitationLink:
    """What an opened invitation link is: the invitation, and why it is refused (if it is)."""

    invitation: Invitation | None
    refusal: str | None

    @property
    def message(self) -> str:
        return invitation_refusal_message(link=self)

    @property
    def is_for_other_user(self) -> bool:
        return self.refusal == Refusal.OTHER_USER


def invitation_link_read(
    *, token: str, user: AbstractBaseUser | None = None, for_update: bool = False
) -> InvitationLink:
    """The invitation a link is for, and whether it may be accepted (by `user`, if given).

    The team is the invitation's: nothing in the request can point the link at another one.
    """
    read = invitation_token_read(token=token)
    if read is None:
        return InvitationLink(invitation=None, refusal=Refusal.INVALID)
    invitation_id, sends = read
    rows = Invitation.objects.select_related("team", "invited_by", "accepted_by")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    invitation = rows.filter(pk=invitation_id).first()
    if invitation is None:  # the team was deleted
        return InvitationLink(invitation=None, refusal=Refusal.INVALID)
    return InvitationLink(invitation=invitation, refusal=_refusal(invitation, sends, user))


def _refusal(invitation: Invitation, sends: int, user: AbstractBaseUser | None) -> str | None:
    if invitation.revoked_at is not None:
        return Refusal.REVOKED
    if invitation.accepted_at is not None:
        return Refusal.USED
    if sends != invitation.sends:
        return Refusal.REPLACED
    if invitation.is_expired:
        return Refusal.EXPIRED
    if user is not None and user.is_authenticated:
        if user.get_username().lower() != invitation.email:
            return Refusal.OTHER_USER
    return None


def invitation_refusal_message(*, link: InvitationLink) -> str:
    invitation = link.invitation
    if link.refusal is None:
        return ""
    if invitation is None:
        return (
            "This invitation link is not valid. Check that you copied the whole link from "
            "the email, or ask the team's admin to invite you again."
        )
    team, by = invitation.team.name, _person(invitation.invited_by, fallback="the team's admin")
    match link.refusal:
        case Refusal.REVOKED:
            return f"This invitation to {team} was withdrawn. Ask {by} if you still need access."
        case Refusal.USED:
            when = _day(invitation.accepted_at)
            return (
                f"This invitation to {team} was already used, on {when}. An invitation link "
                "works once: log in to see the team, or ask for a new invitation."
            )
        case Refusal.REPLACED:
            return (
                f"A newer invitation to {team} was sent to {invitation.email}, which replaces "
                "this link: open the link in the latest email."
            )
        case Refusal.EXPIRED:
            when = _day(invitation.expires_at)
            return f"This invitation to {team} expired on {when}. Ask {by} to send it again."
        case Refusal.OTHER_USER:
            return (
                f"This invitation is for {invitation.email}, but you are logged in with "
                "another account. Log out and open the link again, or ask the team's admin "
                "to invite the address you use."
            )
    raise ValueError(link.refusal)


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "j M Y")


def _person(user: AbstractBaseUser | None, *, fallback: str) -> str:
    if user is None:
        return fallback
    return user.get_full_name() or user.get_username()


# --- Join requests -------------------------------------------------------------------------


def join_request_list_pending(*, team: Team) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(team=team, status=JoinRequest.Status.PENDING).select_related(
        "user"
    )


def join_request_get_pending(*, team: Team, pk: int) -> JoinRequest:
    """One of the team's pending requests; another team's, or a decided one, is a 404."""
    return get_object_or_404(join_request_list_pending(team=team), pk=pk)


def join_request_get_pending_for_user(*, user: AbstractBaseUser, pk: int) -> JoinRequest:
    """One of the user's own pending requests; anyone else's, or a decided one, is a 404."""
    return get_object_or_404(JoinRequest, pk=pk, user=user, status=JoinRequest.Status.PENDING)


def join_request_list_for_user(*, user: AbstractBaseUser) -> list[JoinRequest]:
    """The user's pending requests and those decided in the last 30 days, newest first."""
    recent = timezone.now() - timedelta(days=30)
    rows = JoinRequest.objects.filter(user=user).select_related("team", "decided_by")
    return [
        r
        for r in rows
        if r.status == JoinRequest.Status.PENDING
        or (r.status == JoinRequest.Status.DECLINED and r.decided_at and r.decided_at >= recent)
    ]
