"""One team per GitHub organisation, kept by the database."""

import pytest
from django.db import IntegrityError

from tests.helpers.factories import GitHubIntegrationFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_team_for_the_same_organisation():
    GitHubIntegrationFactory(team=TeamFactory(), org_id=4242)

    with pytest.raises(IntegrityError):
        GitHubIntegrationFactory(team=TeamFactory(), org_id=4242)


def test_teams_not_yet_connected_to_an_organisation_do_not_collide():
    GitHubIntegrationFactory(team=TeamFactory(), org_id=None)
    GitHubIntegrationFactory(team=TeamFactory(), org_id=None)


def test_connect_github_reuses_the_organisations_team_and_refuses_a_second_slug(
    github_sandbox, settings, monkeypatch
):
    import io

    from django.core.management import CommandError, call_command

    from github_sandbox.world import DEFAULT_ORG
    from tformance.teams.models import Team

    settings.GITHUB_URL, settings.GITHUB_API_URL = github_sandbox.url, github_sandbox.api_url
    monkeypatch.setenv("ACME_TOKEN", github_sandbox.token)
    org_id = github_sandbox.world.org(DEFAULT_ORG).id
    GitHubIntegrationFactory(team=TeamFactory(slug="acme-corp"), org_id=org_id)
    args = ["connect_github", "--org", DEFAULT_ORG, "--token-env", "ACME_TOKEN", "--all-repos"]

    with pytest.raises(CommandError, match="connected to the team 'acme-corp' already"):
        call_command(*args, "--team", "acme-2", stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())

    assert out.getvalue().strip() == "acme-corp"
    assert list(Team.objects.values_list("slug", flat=True)) == ["acme-corp"]
