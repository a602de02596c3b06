"""The token in a sign-up confirmation link (Django's password-reset token machinery)."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class SignupConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Valid until PASSWORD_RESET_TIMEOUT, once: activating the account changes `is_active`,
    and a newer sign-up for the same address changes the password hash."""

    key_salt = "tformance.accounts.tokens.SignupConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp: int) -> str:
        return f"{user.pk}{user.password}{user.is_active}{user.email}{timestamp}"


signup_confirmation_token = SignupConfirmationTokenGenerator()
