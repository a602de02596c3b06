from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser


def user_create(*, email: str, password: str) -> AbstractBaseUser:
    """A new account; the (lower-cased) email is the username."""
    email = email.strip().lower()
    return get_user_model().objects.create_user(username=email, email=email, password=password)


def user_lockout_lift(*, user: AbstractBaseUser) -> None:
    """Forget the user's failed log-ins, from every address (e.g. after a password reset)."""
    axes_reset(username=user.username)
