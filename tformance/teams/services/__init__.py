from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from tformance.teams.models import Membership, Team


def team_slug_available(*, base: str) -> str:
    """Return `base` slugified, with a numeric suffix if the slug is taken."""
    root = slugify(base)[:90] or "team"
    slug, n = root, 1
    while Team.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{root}-{n}"
    return slug


@transaction.atomic
def team_create(*, name: str, owner: AbstractBaseUser, days_back: int = 90) -> Team:
    team = Team.objects.create(name=name, slug=team_slug_available(base=name), days_back=days_back)
    Membership.objects.create(team=team, user=owner, role=Membership.Role.ADMIN)
    return team
