"""Sign up, log in, log out and reset a password; email is the username."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.http import HttpRequest
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough passphrase"


def test_signing_up_creates_an_account_named_by_email_and_starts_onboarding(client):
    response = client.post(
        reverse("accounts:signup"), {"email": "CTO@Example.com", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding:start")
    user = get_user_model().objects.get()
    assert (user.username, user.email) == ("cto@example.com", "cto@example.com")
    assert client.get(reverse("onboarding:start")).status_code == 200


def test_signing_up_twice_with_one_email_says_so(client, lonely_user):
    response = client.post(
        reverse("accounts:signup"), {"email": "Lonely@example.com", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_a_sign_up_email_longer_than_the_username_column_is_a_form_error(client):
    email = f"{'a' * 60}@{'b' * 60}.{'c' * 40}.example.com"
    assert len(email) > 150

    response = client.post(reverse("accounts:signup"), {"email": email, "password": PASSWORD})

    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    assert not get_user_model().objects.exists()


def test_a_weak_password_is_refused_with_the_reason(client):
    response = client.post(reverse("accounts:signup"), {"email": "a@b.co", "password": "123"})

    assert "too short" in response.content.decode()
    assert not get_user_model().objects.exists()


def test_logging_in_with_the_email_sends_a_newcomer_to_the_first_step(client, lonely_user):
    response = client.post(
        reverse("accounts:login"),
        {"username": "LONELY@example.com", "password": "correct horse battery staple"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("onboarding:start")


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, lonely_user):
    response = client.post(
        reverse("accounts:login"), {"username": "lonely@example.com", "password": "nope"}
    )

    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_logging_out_ends_the_session(client, lonely_user):
    client.force_login(lonely_user)

    response = client.post(reverse("accounts:logout"))

    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("onboarding:start"))["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "name",
    ["onboarding:start", "onboarding:org", "onboarding:repos", "onboarding:sync_status"],
)
def test_every_onboarding_page_requires_login(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_password_reset_link_arrives_by_email_and_sets_a_new_password(client, lonely_user):
    client.post(reverse("accounts:password_reset"), {"email": "lonely@example.com"})

    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    response = client.post(
        form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:password_reset_complete")
    # authenticate() needs the request for the log-in lockout (django-axes).
    assert client.login(request=HttpRequest(), username="lonely@example.com", password=PASSWORD)


def test_a_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "who@example.com"})

    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
