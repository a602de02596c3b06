import pytest

from tests.helpers.factories import TeamMemberFactory
from tformance.pulls.models import TeamMember
from tformance.sync.services import team_members_sync

pytestmark = pytest.mark.django_db


def test_org_members_are_upserted_by_github_id_and_leavers_kept_inactive(sandbox, acme):
    org = sandbox.world.org_members("acme")
    renamed = org[0]
    TeamMemberFactory(team=acme, github_id=renamed.id, login="old-login", name="Kept Name")
    leaver = TeamMemberFactory(team=acme, github_id=4242, login="left-last-year", is_active=True)

    active, left = team_members_sync(team=acme)

    assert (active, left) == (len(org), 1)
    assert TeamMember.objects.filter(team=acme, is_active=True).count() == len(org)
    kept = TeamMember.objects.get(team=acme, github_id=renamed.id)
    assert (kept.login, kept.name) == (renamed.login, "Kept Name")
    leaver.refresh_from_db()
    assert leaver.is_active is False


def test_a_second_member_sync_creates_no_duplicates(sandbox, acme):
    team_members_sync(team=acme)
    before = TeamMember.objects.count()

    team_members_sync(team=acme)

    assert TeamMember.objects.count() == before
