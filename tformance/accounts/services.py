from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tformance.accounts.tokens import signup_confirmation_token
from tformance.core.mail import email_send


def user_create(*, email: str, password: str) -> AbstractBaseUser:
    """A new account; the (lower-cased) email is the username."""
    email = email.strip().lower()
    return get_user_model().objects.create_user(username=email, email=email, password=password)


def signup_request(*, email: str, password: str) -> None:
    """Answer a sign-up by email only, so the page never tells whether the address has an account.

    A new (or still unconfirmed) address gets a confirmation link and this password; an
    address with an active account gets a note with links to log in and to reset the password.
    """
    email = email.strip().lower()
    user = get_user_model().objects.filter(username__iexact=email).first()
    if user is not None and user.is_active:
        make_password(password)  # the same hashing work as a new sign-up, so timing tells nothing
        _email_send(
            to=email,
            template="signup_existing",
            context={
                "login_url": settings.SITE_URL + reverse("accounts:login"),
                "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
            },
        )
        return
    if user is None:
        user, _ = get_user_model().objects.get_or_create(
            username=email, defaults={"email": email, "is_active": False}
        )
    user.set_password(password)
    user.save(update_fields=["password"])
    path = reverse(
        "accounts:signup_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": signup_confirmation_token.make_token(user),
        },
    )
    days = max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86_400))
    _email_send(
        to=email,
        template="signup_confirm",
        context={"confirm_url": settings.SITE_URL + path, "days": days},
    )


def signup_confirm(*, user: AbstractBaseUser) -> None:
    """Activate the account whose confirmation link was opened (which spends the link)."""
    user.is_active = True
    user.save(update_fields=["is_active"])


def user_lockout_lift(*, user: AbstractBaseUser) -> None:
    """Forget the user's failed log-ins, from every address (e.g. after a password reset)."""
    axes_reset(username=user.username)


def _email_send(*, to: str, template: str, context: dict) -> None:
    email_send(to=to, template=f"accounts/email/{template}", context=context)
