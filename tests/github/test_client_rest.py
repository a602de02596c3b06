"""REST parts of the client (through PyGithub) against the sandbox over real HTTP."""

from __future__ import annotations

import pytest

from github_sandbox.world import DEFAULT_ORG, HARD_CASES_REPO, SECOND_ORG, VIEWER_LOGIN
from tformance.github import errors
from tformance.github.client import GitHubClient


def test_viewer_with_scopes(client):
    viewer = client.get_viewer()
    assert viewer.login == VIEWER_LOGIN
    assert viewer.database_id > 0
    assert viewer.scopes is not None and "repo" in viewer.scopes


def test_viewer_organizations(client, github_sandbox):
    logins = {org.login for org in client.list_organizations()}
    expected = {org.login for org in github_sandbox.world.user_orgs(VIEWER_LOGIN)}
    assert logins == expected
    assert {DEFAULT_ORG, SECOND_ORG} <= logins


def test_get_organization(client):
    org = client.get_organization(DEFAULT_ORG)
    assert org.login == DEFAULT_ORG
    assert org.name == "Acme Corp"


def test_org_members(client, github_sandbox):
    members = client.list_org_members(DEFAULT_ORG)
    expected = {a.login for a in github_sandbox.world.org_members(DEFAULT_ORG)}
    assert {m.login for m in members} == expected
    assert len(members) == len(expected)  # no duplicates across pages


def test_org_repositories_exclude_archived_newest_push_first(client, github_sandbox):
    repos = client.list_org_repositories(DEFAULT_ORG)
    world_repos = github_sandbox.world.org(DEFAULT_ORG).repos
    assert any(r.archived for r in world_repos), "the default world should have an archived repo"
    assert {r.full_name for r in repos} == {r.full_name for r in world_repos if not r.archived}
    assert not any(r.archived for r in repos)
    pushed = [r.pushed_at for r in repos]
    assert pushed == sorted(pushed, reverse=True)
    assert all(p is not None and p.tzinfo is not None for p in pushed)


def test_get_repository(client):
    repo = client.get_repository(HARD_CASES_REPO)
    assert repo.full_name == HARD_CASES_REPO
    assert repo.owner == DEFAULT_ORG and repo.name == "monolith"
    assert repo.database_id > 0 and repo.node_id


def test_not_found_is_typed_and_permanent(client):
    with pytest.raises(errors.NotFound) as exc_info:
        client.get_repository(f"{DEFAULT_ORG}/does-not-exist")
    assert exc_info.value.permanent
    with pytest.raises(errors.NotFound):
        client.get_organization("no-such-org-here")


def test_revoked_token_is_bad_credentials(make_client, github_sandbox):
    token = github_sandbox.issue_token(login=VIEWER_LOGIN, scopes=["repo", "read:org"])
    client = make_client(token=token)
    assert client.get_viewer().login == VIEWER_LOGIN
    github_sandbox.revoke_token(token)
    with pytest.raises(errors.BadCredentials) as exc_info:
        client.get_viewer()
    assert exc_info.value.permanent
    assert exc_info.value.status == 401
    assert "GitHub rejected the token" in str(exc_info.value)
    assert client.usage.retries == 0  # permanent: not retried


def test_unknown_token_is_bad_credentials(make_client):
    client = make_client(token="ghp_" + "0" * 36)
    with pytest.raises(errors.BadCredentials):
        client.list_org_repositories(DEFAULT_ORG)


def test_renamed_files_previous_paths(client, github_sandbox):
    pr = github_sandbox.world.hard_cases["unicode_paths"]
    owner, name = HARD_CASES_REPO.split("/")
    record = client.get_pull_request(owner, name, pr.number)
    renames = {f.path: f.previous_path for f in record.files.items if f.previous_path}
    assert renames == {
        "src/new name.py": "src/old_name.py",
        "src/billing/models.py": "src/payments/models.py",
    }


def test_settings_are_where_github_is(github_sandbox):
    # github_sandbox points GITHUB_URL / GITHUB_API_URL at itself: nothing else is needed.
    client = GitHubClient(token=github_sandbox.token)
    try:
        assert client.api_url == github_sandbox.api_url.rstrip("/")
        assert client.get_viewer().login == VIEWER_LOGIN
    finally:
        client.close()


def test_a_token_without_read_org_gets_a_typed_no_access_error(make_client, github_sandbox):
    client = make_client(token=github_sandbox.issue_token(scopes=["repo"]))

    with pytest.raises(errors.NoAccess) as exc_info:
        client.list_organizations()

    assert exc_info.value.permanent and exc_info.value.status == 403
