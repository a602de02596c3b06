"""PyGithub, the library the product uses, works against the sandbox unchanged."""

import github
import pytest

from github_sandbox.world import HARD_CASES_REPO


@pytest.fixture(params=["github.com", "enterprise"])
def gh_client(request, github_sandbox):
    base = (
        github_sandbox.api_url
        if request.param == "github.com"
        else (github_sandbox.enterprise_api_url)
    )
    client = github.Github(
        auth=github.Auth.Token(github_sandbox.token), base_url=base, seconds_between_requests=0
    )  # PyGithub throttles to 4 req/s by default
    yield client
    client.close()


def test_pygithub_reads_the_user_and_their_orgs(gh_client):
    user = gh_client.get_user()
    assert user.login == "maya-chen" and user.name == "Maya Chen"
    assert [o.login for o in user.get_orgs()] == ["acme", "acme-labs"]


def test_pygithub_lists_org_repos_and_members(gh_client, github_sandbox):
    org = gh_client.get_organization("acme")
    assert {r.full_name for r in org.get_repos()} == {
        r.full_name for r in github_sandbox.world.org("acme").repos
    }
    members = list(org.get_members())
    assert len(members) == 10 and members[0].login
    assert {m.login for m in org.get_members(role="admin")} == {"maya-chen", "jonas-weber"}


def test_pygithub_reads_a_pull_request_and_all_its_files(gh_client, github_sandbox):
    pr_truth = github_sandbox.world.hard_cases["many_files"]
    pull = gh_client.get_repo(HARD_CASES_REPO).get_pull(pr_truth.number)
    assert pull.title == pr_truth.title and pull.changed_files == len(pr_truth.files)
    assert [f.filename for f in pull.get_files()] == [f.path for f in pr_truth.files]


def test_pygithub_sees_renames_reviews_and_commits(gh_client, github_sandbox):
    repo = gh_client.get_repo(HARD_CASES_REPO)
    pull = repo.get_pull(github_sandbox.world.hard_cases["unicode_paths"].number)
    renamed = [f for f in pull.get_files() if f.status == "renamed"]
    assert {f.previous_filename for f in renamed} == {"src/old_name.py", "src/payments/models.py"}
    busy = repo.get_pull(github_sandbox.world.hard_cases["many_reviews"].number)
    assert busy.get_reviews().totalCount == 110
    assert len(list(busy.get_commits())) == 4


def test_pygithub_lazily_completes_objects_from_their_url(github_sandbox):
    client = github.Github(
        auth=github.Auth.Token(github_sandbox.token),
        base_url=github_sandbox.enterprise_api_url,
        lazy=True,
    )
    repo = client.get_repo(HARD_CASES_REPO)
    assert repo.private is True and repo.default_branch == "main"
