import logging
import smtplib

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from tformance.accounts.forms import EmailAuthenticationForm, SignupForm
from tformance.accounts.selectors import signup_user_for_link
from tformance.accounts.services import signup_confirm, signup_request, user_lockout_lift

logger = logging.getLogger(__name__)
SIGNUP_EMAIL_KEY = "accounts:signup_email"


def signup(request):
    if request.user.is_authenticated:
        return redirect("onboarding:resume")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            signup_request(email=email, password=form.cleaned_data["password"])
        except (smtplib.SMTPException, OSError):
            logger.exception("accounts: the sign-up email could not be sent")
            form.add_error(None, "We could not send the email just now; try again in a minute.")
        else:
            request.session[SIGNUP_EMAIL_KEY] = email
            return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


def signup_sent(request):
    email = request.session.get(SIGNUP_EMAIL_KEY)
    return render(request, "accounts/signup_sent.html", {"email": email})


def signup_confirm_view(request, uidb64, token):
    """GET shows a button and POST activates, so a mail scanner that opens links spends nothing."""
    user = signup_user_for_link(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/signup_confirm.html", {"valid": False}, status=400)
    if request.method == "POST":
        signup_confirm(user=user)
        request.session.pop(SIGNUP_EMAIL_KEY, None)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("onboarding:start")
    return render(request, "accounts/signup_confirm.html", {"valid": True, "email": user.email})


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # Only the address's owner gets here, so the log-in lockout has done its job.
        user_lockout_lift(user=self.user)
        return super().form_valid(form)
