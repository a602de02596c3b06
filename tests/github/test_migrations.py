"""The migration that makes one team per organisation stops, naming the teams, if two share one."""

import pytest

from tests.helpers.migrations import migrate, migrate_to_latest

BEFORE = [("github", "0001_initial")]
AFTER = [("github", "0002_unique_org_id")]


@pytest.mark.django_db(transaction=True)
def test_two_teams_of_one_organisation_stop_the_migration_with_their_names():
    old = migrate(BEFORE)
    Team = old.get_model("teams", "Team")
    GitHubIntegration = old.get_model("github", "GitHubIntegration")
    for slug in ("acme-corp", "acme-corp-2"):
        GitHubIntegration.objects.create(
            team=Team.objects.create(name=slug, slug=slug),
            org_login="acme",
            org_id=77,
            access_token="gho_x",
            connection_method="oauth",
        )
    try:
        with pytest.raises(RuntimeError) as refused:
            migrate(AFTER)
        assert "organisation acme: teams acme-corp, acme-corp-2" in str(refused.value)
        assert GitHubIntegration.objects.count() == 2  # nothing dropped
    finally:
        GitHubIntegration.objects.filter(team__slug="acme-corp-2").delete()
        migrate_to_latest()
