import functools
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    """Every time zone this machine knows, sorted: read once, as the list walks tzdata's
    files (~5 ms)."""
    return tuple(sorted(zoneinfo.available_timezones()))


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(f"{value!r} is not a known time zone.")


class Team(models.Model):
    """A customer: one GitHub organisation and the people who look at its numbers."""

    # The longest history a first sync reads (ten years).
    MAX_DAYS_BACK = 3650

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    # How far back the first sync reaches.
    days_back = models.PositiveIntegerField(
        default=90, validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS_BACK)]
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    onboarding_completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def days_back_label(self) -> str:
        """How far a new repository's first sync reaches, in words."""
        return "ten years" if self.days_back >= self.MAX_DAYS_BACK else f"{self.days_back} days"


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        MEMBER = "member", "Member"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_unique_team_user"),
        ]

    def __str__(self):
        return f"{self.user} in {self.team} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


class Invitation(models.Model):
    """An admin's invitation of one email address to the team, sent as a signed link.

    A link carries the invitation's id and its `sends` count (tformance/teams/tokens.py), so
    sending it again voids the links sent before; it is good until `expires_at`.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    # Lower-cased, like the usernames (the email is the username).
    email = models.EmailField(max_length=150)
    role = models.CharField(
        max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    sends = models.PositiveIntegerField(default=1)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            # One open invitation per address and team: inviting again resends it.
            models.UniqueConstraint(
                fields=["team", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_unique_open_team_email",
            ),
        ]

    def __str__(self):
        return f"Invitation of {self.email} to {self.team} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == Membership.Role.ADMIN

    @property
    def expires_at(self):
        return self.sent_at + timedelta(days=settings.INVITATION_EXPIRY_DAYS)

    @property
    def is_open(self) -> bool:
        """Neither accepted nor revoked (it may still have expired)."""
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class JoinRequestStatus(models.TextChoices):
    # Outside JoinRequest so that its Meta (a scope of its own) can name PENDING.
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class JoinRequest(models.Model):
    """A user's request to join the team of a GitHub organisation that already has one."""

    Status = JoinRequestStatus

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    # Who the requester is on GitHub (their token reached the organisation): the admins'
    # way to recognise them.
    github_login = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=models.Q(status=JoinRequestStatus.PENDING),
                name="join_request_unique_pending_team_user",
            ),
        ]

    def __str__(self):
        return f"{self.user} asks to join {self.team} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
