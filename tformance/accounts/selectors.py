from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils.http import urlsafe_base64_decode

from tformance.accounts.tokens import signup_confirmation_token


def signup_user_for_link(*, uidb64: str, token: str) -> AbstractBaseUser | None:
    """The unconfirmed account a confirmation link is for, or None if it is not (or no longer) valid."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=False).first()
    if user is None or not signup_confirmation_token.check_token(user, token):
        return None
    return user
