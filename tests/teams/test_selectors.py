"""A member of one team can never read another team's rows through the selectors."""

import pytest
from django.http import Http404
from django.utils import timezone

from tests.helpers.factories import PullRequestFactory, TeamMemberFactory, TrackedRepositoryFactory
from tformance.metrics.filters import MetricFilters, pull_requests_scoped
from tformance.pulls.selectors import repository_get, repository_list, team_member_list
from tformance.teams.selectors import team_get_for_user, team_list_for_user


@pytest.fixture
def both_teams_have_data(team, other_team):
    ours = PullRequestFactory(repository=TrackedRepositoryFactory(team=team))
    theirs = PullRequestFactory(repository=TrackedRepositoryFactory(team=other_team))
    return ours, theirs


def pull_requests_of(team):
    """Every PR the dashboard can read for the team (the base of each of its numbers)."""
    now = timezone.now()
    return list(pull_requests_scoped(filters=MetricFilters(team=team, start=now, end=now)))


def test_a_member_lists_only_their_own_teams(member, team, outsider):
    assert list(team_list_for_user(user=member)) == [team]


def test_a_member_gets_their_team_by_slug(member, team):
    assert team_get_for_user(user=member, slug="acme") == team


def test_another_teams_slug_is_a_404_for_a_member(member, other_team):
    with pytest.raises(Http404):
        team_get_for_user(user=member, slug=other_team.slug)


def test_an_unknown_slug_is_the_same_404_as_another_teams(member):
    with pytest.raises(Http404):
        team_get_for_user(user=member, slug="no-such-team")


def test_an_anonymous_user_sees_no_teams(team):
    from django.contrib.auth.models import AnonymousUser

    assert list(team_list_for_user(user=AnonymousUser())) == []


def test_pull_request_lists_hold_only_the_teams_rows(team, both_teams_have_data):
    ours, theirs = both_teams_have_data

    assert pull_requests_of(team) == [ours]


def test_another_teams_pull_request_is_a_404(client, member, team, both_teams_have_data):
    ours, theirs = both_teams_have_data
    client.force_login(member)

    listed = client.get(f"/t/{team.slug}/prs/?ids={ours.pk},{theirs.pk}")

    assert list(listed.context["page"].object_list) == [ours]
    assert client.get(f"/t/{theirs.team.slug}/prs/?ids={theirs.pk}").status_code == 404


def test_another_teams_repository_is_a_404(team, both_teams_have_data):
    _, theirs = both_teams_have_data

    assert list(repository_list(team=team)) != [theirs.repository]
    with pytest.raises(Http404):
        repository_get(team=team, pk=theirs.repository.pk)


def test_team_members_are_listed_per_team(team, other_team):
    mine = TeamMemberFactory(team=team)
    TeamMemberFactory(team=other_team)

    assert list(team_member_list(team=team)) == [mine]


def test_the_outsider_reaches_only_their_own_team(outsider, team, other_team, both_teams_have_data):
    ours, theirs = both_teams_have_data
    their_team = team_get_for_user(user=outsider, slug=other_team.slug)

    assert pull_requests_of(their_team) == [theirs]
    with pytest.raises(Http404):
        team_get_for_user(user=outsider, slug=team.slug)
