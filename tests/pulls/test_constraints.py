"""Every natural key is unique in the database, so a re-run sync can never duplicate rows."""

import pytest
from django.db import IntegrityError, transaction

from tests.helpers.factories import (
    CommitFactory,
    GitHubIntegrationFactory,
    InsightFactory,
    InsightSummaryFactory,
    JiraIntegrationFactory,
    MembershipFactory,
    OnboardingProgressFactory,
    PendingGitHubConnectionFactory,
    PRFileFactory,
    PRReviewFactory,
    PullRequestFactory,
    SlackIntegrationFactory,
    TeamFactory,
    TeamMemberFactory,
    TrackedRepositoryFactory,
)
from tformance.pulls.models import Commit, PRFile, PRReview, PullRequest, TeamMember, TechStackDay

pytestmark = pytest.mark.django_db


def assert_duplicate_rejected(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_a_pull_request_number_is_unique_within_its_repository():
    pr = PullRequestFactory(number=7)
    assert_duplicate_rejected(PullRequestFactory, repository=pr.repository, number=7)


def test_the_same_pull_request_number_may_exist_in_another_repository():
    pr = PullRequestFactory(number=7)
    other = PullRequestFactory(number=7, repository__team=pr.team)
    assert other.pk != pr.pk


def test_a_review_github_id_is_unique_within_its_pull_request():
    review = PRReviewFactory(github_id=11)
    assert_duplicate_rejected(PRReviewFactory, pull_request=review.pull_request, github_id=11)


def test_a_commit_sha_is_unique_within_its_pull_request():
    commit = CommitFactory(sha="a" * 40)
    assert_duplicate_rejected(CommitFactory, pull_request=commit.pull_request, sha="a" * 40)


def test_the_same_commit_may_belong_to_two_pull_requests():
    commit = CommitFactory(sha="b" * 40)
    again = CommitFactory(sha="b" * 40, pull_request__repository=commit.pull_request.repository)
    assert again.pk != commit.pk


def test_a_file_path_is_unique_within_its_pull_request():
    file = PRFileFactory(path="docs/café menu.md")
    assert_duplicate_rejected(
        PRFileFactory, pull_request=file.pull_request, path="docs/café menu.md"
    )


def test_a_tracked_repository_github_id_is_unique_within_its_team():
    repo = TrackedRepositoryFactory(github_id=42)
    assert_duplicate_rejected(TrackedRepositoryFactory, team=repo.team, github_id=42)


def test_two_teams_may_track_the_same_repository():
    TrackedRepositoryFactory(github_id=42)
    assert TrackedRepositoryFactory(github_id=42).github_id == 42


def test_a_team_member_github_id_is_unique_within_its_team():
    person = TeamMemberFactory(github_id=99)
    assert_duplicate_rejected(TeamMemberFactory, team=person.team, github_id=99)


def test_a_team_has_at_most_one_ghost():
    team = TeamFactory()
    TeamMemberFactory(team=team, github_id=None, login=TeamMember.GHOST_LOGIN, is_ghost=True)
    assert_duplicate_rejected(
        TeamMemberFactory, team=team, github_id=None, login="ghost", is_ghost=True
    )


def test_only_the_ghost_may_lack_a_github_id():
    assert_duplicate_rejected(TeamMemberFactory, github_id=None, is_ghost=False)


def test_a_team_slug_is_unique():
    team = TeamFactory(slug="acme")
    assert_duplicate_rejected(TeamFactory, slug=team.slug)


def test_a_user_belongs_to_a_team_once():
    membership = MembershipFactory()
    assert_duplicate_rejected(MembershipFactory, team=membership.team, user=membership.user)


def test_a_team_has_one_insight_per_rule():
    insight = InsightFactory(rule="pickup_trend")
    assert_duplicate_rejected(InsightFactory, team=insight.team, rule="pickup_trend")


@pytest.mark.parametrize(
    "factory",
    [
        GitHubIntegrationFactory,
        JiraIntegrationFactory,
        SlackIntegrationFactory,
        InsightSummaryFactory,
        OnboardingProgressFactory,
    ],
    ids=lambda f: f._meta.model.__name__,
)
def test_a_team_has_at_most_one(factory):
    row = factory()
    assert_duplicate_rejected(factory, team=row.team)


def test_a_user_holds_at_most_one_pending_github_connection():
    pending = PendingGitHubConnectionFactory()
    assert_duplicate_rejected(PendingGitHubConnectionFactory, user=pending.user)


@pytest.mark.parametrize(
    "model", [PullRequest, PRReview, Commit, PRFile, TechStackDay], ids=lambda m: m.__name__
)
def test_no_index_only_repeats_the_first_columns_of_a_unique_constraint(model):
    # Each would cost every row the sync writes an index update and serve no query the
    # unique constraint's own index does not.
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    unique = [c["columns"] for c in constraints.values() if c["unique"] and not c["primary_key"]]
    plain = {
        name: c["columns"]
        for name, c in constraints.items()
        if c["index"] and not c["unique"] and not c.get("primary_key")
    }
    redundant = [
        name
        for name, columns in plain.items()
        if any(len(columns) < len(u) and u[: len(columns)] == columns for u in unique)
    ]
    assert redundant == []
