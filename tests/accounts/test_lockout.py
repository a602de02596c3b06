"""Log-in lockout (django-axes): a few wrong passwords for one email from one address, and
that pair is refused for a while, the right password included, with a clear message."""

import datetime as dt
import re
import time

import pytest
from django.core import mail
from django.urls import reverse

from tests.helpers.factories import UserFactory

pytestmark = pytest.mark.django_db
RIGHT, WRONG = "correct horse battery staple", "not the password"
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


def _log_in(client, email, password, *, url=LOGIN, **headers):
    return client.post(url, {"username": email, "password": password}, **headers)


def _fail(client, email, times, *, url=LOGIN, **headers):
    for _ in range(times):
        response = _log_in(client, email, WRONG, url=url, **headers)
        assert response.status_code in (200, 429)  # the form with its error, or the lockout


def _logged_in(client) -> bool:
    return client.get(reverse("onboarding:start")).status_code == 200


def test_the_right_password_is_refused_after_five_wrong_ones_with_what_to_do(client, lonely_user):
    _fail(client, "lonely@example.com", 5)

    response = _log_in(client, "lonely@example.com", RIGHT)

    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many failed log-ins" in body
    assert "Try again in 15 minutes" in body
    assert reverse("accounts:password_reset") in body
    assert not _logged_in(client)


def test_the_lockout_counts_an_email_whatever_its_case(client, lonely_user):
    for email in ("lonely@example.com", "LONELY@example.com", "Lonely@Example.com") * 2:
        _log_in(client, email, WRONG)

    assert _log_in(client, "lonely@example.com", RIGHT).status_code == 429


def test_after_the_cool_off_the_right_password_works_again(client, lonely_user, settings):
    settings.AXES_COOLOFF_TIME = dt.timedelta(seconds=2)
    _fail(client, "lonely@example.com", 5)
    assert _log_in(client, "lonely@example.com", RIGHT).status_code == 429

    time.sleep(2.2)
    response = _log_in(client, "lonely@example.com", RIGHT)

    assert response.status_code == 302
    assert _logged_in(client)


def test_fewer_failures_than_the_limit_are_forgotten_after_a_successful_log_in(client, lonely_user):
    _fail(client, "lonely@example.com", 4)
    assert _log_in(client, "lonely@example.com", RIGHT).status_code == 302
    client.logout()

    _fail(client, "lonely@example.com", 4)

    assert _log_in(client, "lonely@example.com", RIGHT).status_code == 302


def test_another_user_from_the_same_address_is_not_locked_out(client, lonely_user):
    UserFactory(username="colleague@example.com")
    _fail(client, "lonely@example.com", 5)

    response = _log_in(client, "colleague@example.com", RIGHT)

    assert response.status_code == 302
    assert _logged_in(client)


def test_the_admin_log_in_is_locked_out_too(client, db):
    UserFactory(username="admin@example.com", is_staff=True, is_superuser=True)
    _fail(client, "admin@example.com", 5, url=ADMIN_LOGIN)

    response = _log_in(client, "admin@example.com", RIGHT, url=ADMIN_LOGIN)

    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert client.get("/admin/").status_code == 302  # still sent to the log-in


def test_a_forged_forwarded_for_header_does_not_dodge_the_lockout(client, lonely_user):
    for n in range(5):
        _log_in(client, "lonely@example.com", WRONG, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    response = _log_in(client, "lonely@example.com", RIGHT, HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert response.status_code == 429


def test_behind_a_proxy_the_address_the_proxy_saw_is_the_one_locked_out(
    client, lonely_user, settings
):
    settings.BEHIND_PROXY = True
    # The proxy appends the address it saw; anything before it came from the client.
    attacker = {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 198.51.100.7"}
    _fail(client, "lonely@example.com", 5, **attacker)
    assert _log_in(client, "lonely@example.com", RIGHT, **attacker).status_code == 429

    elsewhere = {"HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.9"}
    response = _log_in(client, "lonely@example.com", RIGHT, **elsewhere)

    assert response.status_code == 302


def test_resetting_the_password_lifts_the_lockout(client, lonely_user):
    _fail(client, "lonely@example.com", 5)
    client.post(reverse("accounts:password_reset"), {"email": "lonely@example.com"})
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    new = "a brand new passphrase"
    client.post(form_url, {"new_password1": new, "new_password2": new})

    response = _log_in(client, "lonely@example.com", new)

    assert response.status_code == 302
    assert _logged_in(client)


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_a_very_long_email_at_log_in_is_an_ordinary_failure_not_a_server_error(client, db, url):
    email = f"{'a' * 60}@{'b' * 60}.{'c' * 60}.{'d' * 60}.{'e' * 60}.example.com"

    response = _log_in(client, email, WRONG, url=url)

    assert response.status_code == 200
    assert not _logged_in(client)


def test_a_forwarded_for_header_that_is_not_an_address_falls_back_to_the_peer(
    client, lonely_user, settings
):
    settings.BEHIND_PROXY = True

    response = _log_in(client, "lonely@example.com", WRONG, HTTP_X_FORWARDED_FOR="not-an-ip")

    assert response.status_code == 200
