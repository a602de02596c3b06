"""Teams in a real browser: an invitation accepted in a second browser context, a join
request answered by the admin in another, and the header's team switcher."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.helpers.factories import MembershipFactory, PullRequestFactory, RepositorySyncFactory
from tests.helpers.teams import PASSWORD
from tests.helpers.web import browser_login
from tformance.teams.models import Invitation, JoinRequest, Membership, Team

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, settings):
    settings.SITE_URL = live_server.url
    return live_server


def _finished_with_data(team):
    Team.objects.filter(pk=team.pk).update(onboarding_completed_at=timezone.now())
    repository = RepositorySyncFactory(
        repository__team=team, repository__full_name=f"{team.slug}/api", status="complete"
    ).repository
    for _ in range(3):
        PullRequestFactory(repository=repository)


def _second_context(page):
    """Another browser profile: its own cookies, as a second person on another machine."""
    context = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    return context


def test_an_invitation_sent_from_settings_is_accepted_in_a_second_browser(
    site, browser_page, artifacts, owner, team
):
    _finished_with_data(team)
    admin = browser_page

    def shot(page, name):
        page.screenshot(path=artifacts / f"teams-invite-{name}.png", full_page=True)

    # The admin invites a lead from the Members section of the settings page.
    browser_login(admin, site, owner)
    admin.goto(f"{site.url}/onboarding/settings/{team.slug}/#members")
    members = admin.get_by_test_id("members")
    members.get_by_label("Email").fill("lena.lead@example.com")
    members.get_by_label("Role").select_option("member")
    members.get_by_test_id("invite-submit").click()
    expect(members.get_by_test_id("members-notice")).to_have_text(
        "Invitation sent to lena.lead@example.com. The link works for 7 days."
    )
    pending = members.locator('tr[data-invitation="lena.lead@example.com"]')
    expect(pending).to_contain_text("Expires on")
    members.scroll_into_view_if_needed()
    shot(admin, "01-admin-sent")

    (message,) = mail.outbox  # the live server runs in this process, on the locmem backend
    assert "for 7 days: until" in message.body
    link = re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)

    # The invitee, in a browser of their own, signs up from the link and lands on the team.
    context = _second_context(admin)
    try:
        invitee = context.new_page()
        invitee.goto(link)
        expect(invitee.get_by_role("heading", name="Join Acme")).to_be_visible()
        expect(invitee.get_by_test_id("invitation")).to_contain_text(
            "owner@example.com invited lena.lead@example.com to join the team"
        )
        expect(invitee.get_by_test_id("invitation")).to_contain_text("works once")
        shot(invitee, "02-invitee-opens-link")
        invitee.get_by_label("Password").fill(PASSWORD)
        invitee.get_by_test_id("invitation-signup").click()
        expect(invitee).to_have_url(f"{site.url}/t/{team.slug}/")
        expect(invitee.locator(".flash")).to_have_text("You joined Acme as member.")
        expect(invitee.get_by_test_id("team-switcher")).to_contain_text("Acme")
        expect(invitee.get_by_role("link", name="Settings")).to_have_count(0)  # a member
        shot(invitee, "03-invitee-on-dashboard")

        # Opening the link again brings the invitee to the team; anyone else is refused.
        invitee.goto(link)
        expect(invitee).to_have_url(f"{site.url}/t/{team.slug}/")
    finally:
        context.close()

    stranger_context = _second_context(admin)
    try:
        stranger = stranger_context.new_page()
        stranger.goto(link)
        expect(stranger.get_by_role("alert")).to_contain_text(
            "This invitation to Acme was already used"
        )
        shot(stranger, "04-used-link-refused")
    finally:
        stranger_context.close()

    # The admin sees the new member and no pending invitation.
    admin.reload()
    row = admin.locator('tr[data-member="lena.lead@example.com"]')
    expect(row).to_contain_text("Member")
    expect(admin.locator("[data-testid=invitation-table]")).to_have_count(0)
    admin.get_by_test_id("members").scroll_into_view_if_needed()
    shot(admin, "05-admin-sees-member")
    invitation = Invitation.objects.get()
    assert invitation.accepted_by.username == "lena.lead@example.com"
    assert Membership.objects.get(user=invitation.accepted_by).team == team


def test_a_second_user_of_the_organisation_asks_to_join_and_the_admin_accepts(
    site, browser_page, artifacts, github_sandbox, settings
):
    from tests.helpers.factories import UserFactory
    from tests.helpers.onboarding import make_wizard_team

    settings.GITHUB_URL, settings.GITHUB_API_URL = github_sandbox.url, github_sandbox.api_url
    maya = UserFactory(username="maya@acme.dev", first_name="Maya", last_name="Chen")
    team = make_wizard_team(maya, github_sandbox)
    _finished_with_data(team)
    priya = UserFactory(username="priya@acme.dev")

    def shot(page, name):
        page.screenshot(path=artifacts / f"teams-join-{name}.png", full_page=True)

    # Priya connects GitHub with a token of her own and names the organisation.
    requester = browser_page
    browser_login(requester, site, priya)
    requester.goto(f"{site.url}/onboarding/start/")
    requester.get_by_text("Use a personal access token instead").click()
    requester.get_by_label("Personal access token").fill(
        github_sandbox.issue_token(login="priya-raman")
    )
    requester.get_by_label("Organisation").fill("acme")
    requester.get_by_role("button", name="Check and save the token").click()

    # acme has a team: she is told who runs it and asks to join instead of creating a copy.
    taken = requester.get_by_test_id("org-taken")
    expect(taken).to_contain_text("acme already has a team on Tformance: Acme Corp")
    expect(taken).to_contain_text("administered by Maya Chen (maya@acme.dev)")
    expect(requester.get_by_text("Setting up your team for acme")).to_be_hidden()
    shot(requester, "01-org-has-a-team")
    requester.get_by_test_id("ask-to-join").click()
    expect(requester.locator(".flash")).to_contain_text("Your request to join Acme Corp was sent")
    expect(requester.get_by_test_id("my-join-request")).to_contain_text(
        "You asked to join Acme Corp"
    )
    expect(taken).to_contain_text("You already asked to join")  # the step checked again
    expect(requester.get_by_text("Setting up your team for acme")).to_be_hidden()
    shot(requester, "02-request-sent")
    assert Team.objects.count() == 1
    (to_admin,) = mail.outbox
    assert to_admin.to == ["maya@acme.dev"]

    # Maya, in her own browser, sees the request on the settings page and accepts it.
    context = _second_context(requester)
    try:
        admin = context.new_page()
        browser_login(admin, site, maya)
        admin.goto(f"{site.url}/onboarding/settings/{team.slug}/")
        request_row = admin.get_by_test_id("join-request")
        expect(request_row).to_contain_text("priya@acme.dev")
        expect(request_row).to_contain_text("priya-raman on GitHub")
        request_row.scroll_into_view_if_needed()
        shot(admin, "03-admin-sees-request")
        request_row.get_by_role("button", name="Accept the request of priya@acme.dev").click()
        expect(admin.get_by_test_id("members-notice")).to_have_text(
            "priya@acme.dev joined Acme Corp as member."
        )
        expect(admin.locator('tr[data-member="priya@acme.dev"]')).to_contain_text("Member")
        shot(admin, "04-admin-accepted")
    finally:
        context.close()

    # Priya is told by email, and her next visit lands on the team's dashboard.
    assert "accepted your request" in mail.outbox[-1].body
    requester.goto(f"{site.url}/onboarding/")
    expect(requester).to_have_url(f"{site.url}/t/{team.slug}/")
    expect(requester.get_by_test_id("team-switcher")).to_contain_text("Acme Corp")
    shot(requester, "05-requester-on-dashboard")
    assert JoinRequest.objects.get().status == "accepted"


def test_a_user_in_two_teams_switches_between_them_from_the_header(
    site, browser_page, artifacts, team, other_team, member
):
    _finished_with_data(team)
    _finished_with_data(other_team)
    MembershipFactory(team=other_team, user=member, role=Membership.Role.ADMIN)
    page = browser_page
    browser_login(page, site, member)

    page.goto(f"{site.url}/t/{team.slug}/")
    switcher = page.get_by_test_id("team-switcher")
    switcher.locator("summary").click()
    menu = switcher.locator(".team-menu")
    expect(menu.get_by_role("link", name="Acme", exact=True)).to_have_attribute(
        "aria-current", "true"
    )
    expect(menu.get_by_role("link", name="Leave Acme…")).to_be_visible()
    page.screenshot(path=artifacts / "teams-switcher-open.png")
    menu.get_by_role("link", name="Globex", exact=True).click()

    expect(page).to_have_url(f"{site.url}/t/{other_team.slug}/")
    expect(switcher.locator("summary")).to_have_text("Globex")
    expect(page.get_by_role("link", name="Settings")).to_be_visible()  # admin of Globex
    page.screenshot(path=artifacts / "teams-switcher-switched.png")
