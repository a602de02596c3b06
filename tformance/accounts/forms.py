from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm


class SignupForm(forms.Form):
    """Email and password; the email is the username."""

    email = forms.EmailField(
        label="Work email",
        # The email is the username, and Django's username column holds 150 characters.
        max_length=150,
        error_messages={"max_length": "An email address here can have at most 150 characters."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters; not only digits, and not a common password.",
    )

    def clean_email(self) -> str:
        # Whether the address has an account is told by email only (signup_request).
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            user = get_user_model()(username=email, email=email)
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, labelled and normalised for email addresses."""

    username = forms.EmailField(
        label="Email",
        max_length=150,  # the username column
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()
