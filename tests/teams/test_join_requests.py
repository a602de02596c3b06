"""Join requests: the admins see them on the settings page and accept or decline; the
requester is told by email and on the organisation step."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.helpers.factories import PendingGitHubConnectionFactory, UserFactory
from tests.helpers.web import HTMX
from tformance.onboarding.models import PendingGitHubConnection
from tformance.teams.models import JoinRequest, Membership
from tformance.teams.services.join_requests import join_request_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def asker(db):
    user = UserFactory(username="priya@acme.dev")
    PendingGitHubConnectionFactory(user=user)  # the token that reached the organisation
    return user


@pytest.fixture
def join_request(team, owner, asker):
    join_request, _ = join_request_create(team=team, user=asker, github_login="priya-raman")
    mail.outbox.clear()
    return join_request


def _answer(client, team, join_request, answer, **extra):
    name = f"teams:join_request_{answer}"
    return client.post(reverse(name, args=[team.slug, join_request.pk]), **extra)


def test_the_admins_see_the_request_on_the_settings_page(client, team, owner, join_request):
    client.force_login(owner)

    body = client.get(reverse("onboarding:settings", args=[team.slug])).content.decode()

    assert "Requests to join" in body
    assert "priya@acme.dev" in body and "priya-raman on GitHub" in body
    assert "Accept the request of priya@acme.dev" in body


def test_accepting_makes_the_requester_a_member_and_tells_them(
    client, team, owner, asker, join_request
):
    client.force_login(owner)

    response = _answer(client, team, join_request, "accept", **HTMX)

    assert "priya@acme.dev joined Acme as member." in response.content.decode()
    assert Membership.objects.get(user=asker, team=team).role == "member"
    join_request.refresh_from_db()
    assert (join_request.status, join_request.decided_by) == ("accepted", owner)
    assert not PendingGitHubConnection.objects.filter(user=asker).exists()  # token not kept
    (message,) = mail.outbox
    assert message.to == ["priya@acme.dev"] and "accepted your request" in message.body
    client.force_login(asker)
    assert client.get(reverse("onboarding:resume"))["Location"] == reverse(
        "dashboard:team", args=[team.slug]
    )


def test_declining_tells_the_requester_who_to_ask(client, team, owner, asker, join_request):
    client.force_login(owner)

    response = _answer(client, team, join_request, "decline", **HTMX)

    assert "You declined the request of priya@acme.dev." in response.content.decode()
    assert not Membership.objects.filter(user=asker).exists()
    (message,) = mail.outbox
    assert "declined your request to join Acme" in message.body
    assert "owner@example.com" in message.body
    client.force_login(asker)
    page = client.get(reverse("onboarding:org")).content.decode()
    assert "Your request to join <strong>Acme</strong> was declined by owner@example.com" in page


def test_a_request_answered_twice_says_it_was_answered(client, team, owner, join_request):
    client.force_login(owner)
    _answer(client, team, join_request, "decline")

    response = _answer(client, team, join_request, "accept")

    assert response.status_code == 404  # no longer pending
    assert JoinRequest.objects.get().status == "declined"


def test_a_plain_member_cannot_answer_requests(client, team, member, join_request):
    client.force_login(member)

    assert _answer(client, team, join_request, "accept").status_code == 403
    assert JoinRequest.objects.get().status == "pending"


def test_an_email_that_cannot_be_sent_never_loses_the_request(team, owner, asker, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1

    join_request, emailed = join_request_create(team=team, user=asker)

    assert join_request.status == "pending" and emailed is False
    assert JoinRequest.objects.filter(pk=join_request.pk).exists()


def test_accepting_when_the_email_fails_still_accepts_and_says_so(
    client, team, owner, asker, join_request, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    client.force_login(owner)

    response = _answer(client, team, join_request, "accept", **HTMX)

    assert "We could not email priya@acme.dev just now" in response.content.decode()
    assert Membership.objects.filter(user=asker, team=team).exists()


def test_joining_by_invitation_closes_the_pending_request(
    client, team, asker, join_request, invite
):
    link = invite(asker.username)
    client.force_login(asker)

    client.post(link)

    join_request.refresh_from_db()
    assert join_request.status == "accepted"
    assert Membership.objects.filter(user=asker, team=team).exists()


def test_someone_in_the_team_cannot_ask_to_join_it(team, member):
    from tformance.teams.errors import TeamProblem

    with pytest.raises(TeamProblem, match="already in Acme"):
        join_request_create(team=team, user=member)
