"""Sign up, log in, log out and reset a password; email is the username."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.http import HttpRequest
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough passphrase"


def _sign_up(client, email, password=PASSWORD):
    return client.post(reverse("accounts:signup"), {"email": email, "password": password})


def _emailed_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/\S+)", message.body).group(1)


def test_signing_up_sends_a_confirmation_link_that_activates_the_account_and_starts_onboarding(
    client,
):
    response = _sign_up(client, "CTO@Example.com")

    assert response["Location"] == reverse("accounts:signup_sent")
    assert "cto@example.com" in client.get(response["Location"]).content.decode()
    user = get_user_model().objects.get()
    assert (user.username, user.email, user.is_active) == (
        "cto@example.com",
        "cto@example.com",
        False,
    )
    (message,) = mail.outbox
    assert message.to == ["cto@example.com"]
    link = _emailed_link(message)
    assert "Confirm" in client.get(link).content.decode()
    assert client.get(reverse("onboarding:start")).status_code == 302  # not logged in yet

    response = client.post(link)

    assert response["Location"] == reverse("onboarding:start")
    user.refresh_from_db()
    assert user.is_active
    assert client.get(reverse("onboarding:start")).status_code == 200


def test_an_unconfirmed_account_cannot_log_in(client):
    _sign_up(client, "new@example.com")

    response = client.post(
        reverse("accounts:login"), {"username": "new@example.com", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_signing_up_with_an_email_that_has_an_account_answers_the_same_and_tells_its_owner(
    client, lonely_user
):
    new = _sign_up(client, "someone-new@example.com")
    mail.outbox.clear()

    existing = _sign_up(client, "Lonely@example.com", "another passphrase entirely")

    assert (existing.status_code, existing["Location"]) == (new.status_code, new["Location"])
    page = client.get(existing["Location"]).content.decode()
    assert "already" not in page
    (message,) = mail.outbox
    assert message.to == ["lonely@example.com"]
    assert "already has an account" in message.body
    assert reverse("accounts:login") in message.body
    assert reverse("accounts:password_reset") in message.body
    lonely_user.refresh_from_db()
    assert lonely_user.check_password("correct horse battery staple")
    assert get_user_model().objects.filter(username__iexact="lonely@example.com").count() == 1


def test_after_any_sign_up_the_page_links_logging_in_and_resetting_the_password(
    client, lonely_user, settings
):
    pages = []
    for email in ("someone-new@example.com", "lonely@example.com"):
        response = _sign_up(client, email)
        page = client.get(response["Location"]).content.decode()
        pages.append(re.search(r"<main.*</main>", page, re.S).group().replace(email, "…"))

    assert pages[0] == pages[1]  # the page tells nothing about the address
    assert f'<a href="{reverse("accounts:login")}">log in</a>' in pages[0]
    assert f'<a href="{reverse("accounts:password_reset")}">reset your password</a>' in pages[0]
    # The owner's email: each address alone on its line, so every mail client links it.
    body = mail.outbox[-1].body.splitlines()
    assert settings.SITE_URL + reverse("accounts:login") in body
    assert settings.SITE_URL + reverse("accounts:password_reset") in body


def test_a_confirmation_link_works_once(client):
    _sign_up(client, "cto@example.com")
    link = _emailed_link(mail.outbox[0])
    client.post(link)
    client.logout()

    response = client.post(link)

    assert response.status_code == 400
    assert "expired or was already used" in response.content.decode()
    assert client.get(reverse("onboarding:start")).status_code == 302


def test_a_confirmation_link_expires(client, settings):
    settings.PASSWORD_RESET_TIMEOUT = 0  # seconds
    _sign_up(client, "cto@example.com")
    link = _emailed_link(mail.outbox[0])
    time.sleep(1.1)

    response = client.post(link)

    assert response.status_code == 400
    assert "expired or was already used" in response.content.decode()
    assert not get_user_model().objects.get().is_active


def test_signing_up_again_before_confirming_replaces_the_password_and_the_link(client):
    _sign_up(client, "cto@example.com", "the first passphrase")
    _sign_up(client, "cto@example.com", "the second passphrase")
    first, second = (_emailed_link(m) for m in mail.outbox)

    assert client.post(first).status_code == 400
    assert client.post(second)["Location"] == reverse("onboarding:start")
    assert get_user_model().objects.get().check_password("the second passphrase")


def test_a_tampered_confirmation_link_is_refused(client):
    _sign_up(client, "cto@example.com")
    link = _emailed_link(mail.outbox[0])

    response = client.get(link[:-3] + "zzz/")

    assert response.status_code == 400
    assert "expired or was already used" in response.content.decode()


def test_when_the_email_cannot_be_sent_the_visitor_is_told_to_try_again(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there

    response = _sign_up(client, "cto@example.com")

    assert response.status_code == 200
    assert "could not send" in response.content.decode()


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


def test_a_fields_help_text_is_what_its_input_is_described_by(client):
    page = client.get(reverse("accounts:signup")).content.decode()

    described_by = re.search(r'<input[^>]*name="password"[^>]*aria-describedby="([^"]+)"', page)
    assert described_by, "the password input names its description"
    help_text = re.search(rf'<p class="help" id="{described_by.group(1)}">([^<]+)</p>', page)
    assert help_text and "At least 8 characters" in help_text.group(1)
