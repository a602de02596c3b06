"""factory_boy factories for every model. Children share their parent's team."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from tformance.github.models import GitHubIntegration
from tformance.integrations.models import JiraIntegration, SlackIntegration
from tformance.metrics.models import Insight, InsightSummary
from tformance.onboarding.models import OnboardingProgress, PendingGitHubConnection
from tformance.pulls.facts import review_facts_rebuild
from tformance.pulls.models import (
    Commit,
    PRFile,
    PRReview,
    PullRequest,
    TeamMember,
    TrackedRepository,
)
from tformance.pulls.stack_days import pull_request_stack_refresh
from tformance.sync.models import RepositorySync
from tformance.teams.models import Membership, Team


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}@example.com")
    email = factory.SelfAttribute("username")
    password = factory.django.Password("correct horse battery staple")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class GitHubIntegrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GitHubIntegration

    team = factory.SubFactory(TeamFactory)
    org_login = factory.Sequence(lambda n: f"org-{n}")
    org_id = factory.Sequence(lambda n: 1000 + n)
    access_token = factory.Sequence(lambda n: f"gho_testtoken{n:028d}")
    token_scopes = "repo, read:org"
    connection_method = GitHubIntegration.Method.OAUTH


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    team = factory.SubFactory(TeamFactory)
    github_id = factory.Sequence(lambda n: 5000 + n)
    login = factory.Sequence(lambda n: f"dev{n}")
    name = factory.Faker("name")
    is_active = True


class TrackedRepositoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrackedRepository

    team = factory.SubFactory(TeamFactory)
    github_id = factory.Sequence(lambda n: 90000 + n)
    full_name = factory.Sequence(lambda n: f"acme/repo-{n}")
    default_branch = "main"


class RepositorySyncFactory(factory.django.DjangoModelFactory):
    """A repository's sync state as a test needs it (the product writes it through
    tformance.sync.state only)."""

    class Meta:
        model = RepositorySync
        django_get_or_create = ("repository",)

    repository = factory.SubFactory(TrackedRepositoryFactory)
    team = factory.SelfAttribute("repository.team")


class PullRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PullRequest

    repository = factory.SubFactory(TrackedRepositoryFactory)
    team = factory.SelfAttribute("repository.team")
    author = factory.SubFactory(TeamMemberFactory, team=factory.SelfAttribute("..team"))
    number = factory.Sequence(lambda n: n + 1)
    github_id = factory.Sequence(lambda n: 700000 + n)
    github_node_id = factory.Sequence(lambda n: f"PR_kwDO{n:08d}")
    title = factory.Faker("sentence", nb_words=6)
    state = PullRequest.State.MERGED
    url = factory.LazyAttribute(
        lambda o: f"https://github.com/{o.repository.full_name}/pull/{o.number}"
    )
    opened_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))
    github_updated_at = factory.LazyFunction(timezone.now)
    merged_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    additions = 40
    deletions = 10

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:  # counted in the tech stack by day, as the sync counts what it writes
            pull_request_stack_refresh(pull_request=instance)


class PRReviewFactory(factory.django.DjangoModelFactory):
    """A review; what the sync derives from it (`PRReview.by_other`, the PR's
    `review_count`) is derived from the rows, by the rule on rows."""

    class Meta:
        model = PRReview

    pull_request = factory.SubFactory(PullRequestFactory)
    team = factory.SelfAttribute("pull_request.team")
    github_id = factory.Sequence(lambda n: 300000 + n)
    reviewer = factory.SubFactory(TeamMemberFactory, team=factory.SelfAttribute("..team"))
    state = PRReview.State.APPROVED
    submitted_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=2))

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:
            review_facts_rebuild(pull_request_ids=[instance.pull_request_id])
            instance.refresh_from_db(fields=["by_other"])


class CommitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commit

    pull_request = factory.SubFactory(PullRequestFactory)
    team = factory.SelfAttribute("pull_request.team")
    sha = factory.Sequence(lambda n: f"{n:040x}")
    author_name = factory.Faker("name")
    author_email = factory.Faker("email")
    message = "Fix the thing"
    authored_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=4))
    committed_at = factory.SelfAttribute("authored_at")


class PRFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PRFile

    pull_request = factory.SubFactory(PullRequestFactory)
    team = factory.SelfAttribute("pull_request.team")
    path = factory.Sequence(lambda n: f"src/module_{n}.py")
    change_type = PRFile.ChangeType.MODIFIED
    additions = 10
    deletions = 2

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:
            pull_request_stack_refresh(pull_request=instance.pull_request)


class InsightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Insight

    team = factory.SubFactory(TeamFactory)
    rule = factory.Sequence(lambda n: f"rule_{n}")
    rank = factory.Sequence(lambda n: n + 1)
    title = "Pickup time doubled in the last four weeks (6 h → 13 h)"
    period_end = factory.LazyFunction(timezone.now)
    period_start = factory.LazyAttribute(lambda o: o.period_end - dt.timedelta(days=28))
    computed_at = factory.LazyFunction(timezone.now)


class InsightSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsightSummary

    team = factory.SubFactory(TeamFactory)
    text = "Reviews start later than last month; AI-assisted work merges faster."
    provider = "fake"
    computed_at = factory.LazyFunction(timezone.now)


class JiraIntegrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JiraIntegration

    team = factory.SubFactory(TeamFactory)
    site_url = "https://acme.atlassian.net"
    email = "lead@acme.dev"
    api_token = factory.Sequence(lambda n: f"jira-token-{n:020d}")


class SlackIntegrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlackIntegration

    team = factory.SubFactory(TeamFactory)
    webhook_url = factory.Sequence(lambda n: f"https://hooks.slack.com/services/T0/B0/{n:024d}")


class PendingGitHubConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PendingGitHubConnection

    user = factory.SubFactory(UserFactory)
    access_token = factory.Sequence(lambda n: f"gho_pendingtoken{n:025d}")
    token_scopes = "repo, read:org"
    method = PendingGitHubConnection.Method.OAUTH


class OnboardingProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OnboardingProgress

    team = factory.SubFactory(TeamFactory)
