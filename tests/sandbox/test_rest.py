"""REST over real HTTP: objects, pagination, headers, URL styles, auth and scopes."""

import pytest
import requests

from github_sandbox.world import HARD_CASES_REPO, OUTSIDER_LOGIN


def test_the_authenticated_user_comes_with_scope_headers(client):
    response = client.get("/user")
    assert response.status_code == 200
    assert response.json()["login"] == "maya-chen"
    assert response.headers["X-OAuth-Scopes"] == "repo, read:org, read:user, user:email"
    assert "X-Accepted-OAuth-Scopes" in response.headers
    assert response.headers["X-RateLimit-Resource"] == "core"
    assert int(response.headers["X-RateLimit-Used"]) == 1


@pytest.mark.parametrize("enterprise", [False, True])
def test_urls_in_objects_point_back_at_the_sandbox(github_sandbox, make_client, enterprise):
    client = make_client(github_sandbox, enterprise=enterprise)
    repo = client.get(f"/repos/{HARD_CASES_REPO}").json()
    assert repo["url"] == f"{client.base}/repos/{HARD_CASES_REPO}"
    assert repo["html_url"] == f"{github_sandbox.url}/{HARD_CASES_REPO}"
    assert client.get(repo["owner"]["url"]).json()["login"] == "acme"


def test_pulls_files_paginate_with_link_headers(client, github_sandbox):
    pr = github_sandbox.world.hard_cases["many_files"]
    url, names, pages = f"/repos/{HARD_CASES_REPO}/pulls/{pr.number}/files?per_page=100", [], 0
    while url:
        response = client.get(url)
        names += [f["filename"] for f in response.json()]
        pages += 1
        url = response.links.get("next", {}).get("url")
        if pages == 2:
            assert {"next", "last", "prev", "first"} <= set(response.links)
    assert names == [f.path for f in pr.files] and pages == 4


def test_per_page_is_capped_at_one_hundred(client):
    response = client.get(f"/repos/{HARD_CASES_REPO}/pulls/1/files?per_page=500")
    assert len(response.json()) == 100


def test_renamed_files_carry_previous_filename_and_binaries_have_no_patch(client, github_sandbox):
    pr = github_sandbox.world.hard_cases["unicode_paths"]
    files = {
        f["filename"]: f
        for f in client.get(f"/repos/{HARD_CASES_REPO}/pulls/{pr.number}/files").json()
    }
    assert files["src/new name.py"]["status"] == "renamed"
    assert files["src/new name.py"]["previous_filename"] == "src/old_name.py"
    assert "patch" not in files["assets/logo 2x.png"]
    assert files["assets/logo 2x.png"]["changes"] == 0
    assert "src/日本語/ファイル.py" in files and "docs/café menu.md" in files


def test_file_and_commit_lists_stop_at_githubs_caps(github_sandbox_factory, make_client):
    gh = github_sandbox_factory(prs=5, include_giant_pr=True)
    client, pr = make_client(gh), gh.world.hard_cases["giant"]
    last = client.get(f"/repos/{HARD_CASES_REPO}/pulls/{pr.number}/files?per_page=100")
    assert "page=30" in last.links["last"]["url"]
    assert client.get(last.links["last"]["url"]).json()[-1]["filename"] == pr.files[2999].path
    assert (
        client.get(f"/repos/{HARD_CASES_REPO}/pulls/{pr.number}/files?per_page=100&page=31").json()
        == []
    )
    commits = client.get(f"/repos/{HARD_CASES_REPO}/pulls/{pr.number}/commits?per_page=100")
    assert "page=3" in commits.links["last"]["url"]
    assert len(client.get(commits.links["last"]["url"]).json()) == 50
    pull = client.get(f"/repos/{HARD_CASES_REPO}/pulls/{pr.number}").json()
    assert pull["changed_files"] == 3050 and pull["commits"] == 260


def test_a_ghost_author_is_a_null_user(client, github_sandbox):
    pr = github_sandbox.world.hard_cases["ghost_author"]
    assert client.get(f"/repos/{HARD_CASES_REPO}/pulls/{pr.number}").json()["user"] is None


def test_bot_users_keep_the_bot_suffix_in_rest(client, github_sandbox):
    pr = github_sandbox.world.hard_cases["bot_dependabot"]
    user = client.get(f"/repos/{HARD_CASES_REPO}/pulls/{pr.number}").json()["user"]
    assert (user["login"], user["type"]) == ("dependabot[bot]", "Bot")


def test_pull_request_counts_match_the_world(client, github_sandbox):
    pr = github_sandbox.world.hard_cases["many_reviews"]
    pull = client.get(f"/repos/{HARD_CASES_REPO}/pulls/{pr.number}").json()
    assert (pull["additions"], pull["deletions"]) == (pr.additions, pr.deletions)
    assert pull["merged"] is True and pull["merged_by"]["login"]
    reviews = client.get(f"/repos/{HARD_CASES_REPO}/pulls/{pr.number}/reviews?per_page=100")
    assert len(reviews.json()) == 100 and "next" in reviews.links
    assert reviews.json()[0]["state"] in ("APPROVED", "CHANGES_REQUESTED", "COMMENTED")


def test_org_repos_filter_sort_and_paginate(client):
    repos = client.get("/orgs/acme/repos?sort=full_name&per_page=2")
    assert [r["full_name"] for r in repos.json()] == ["acme/api-gateway", "acme/data-pipeline"]
    assert "next" in repos.links
    pushed = [r["pushed_at"] for r in client.get("/orgs/acme/repos?sort=pushed").json()]
    assert pushed == sorted(pushed, reverse=True)
    assert all(not r["private"] for r in client.get("/orgs/acme/repos?type=public").json())
    assert [r["archived"] for r in client.get("/orgs/acme/repos").json()].count(True) == 1


def test_org_members_filter_by_role(client):
    admins = client.get("/orgs/acme/members?role=admin").json()
    assert {m["login"] for m in admins} == {"maya-chen", "jonas-weber"}
    assert len(client.get("/orgs/acme/members?per_page=100").json()) == 10


def test_a_token_without_read_org_sees_only_public_members(github_sandbox, make_client):
    client = make_client(github_sandbox, github_sandbox.issue_token(scopes=["repo"]))
    members = {m["login"] for m in client.get("/orgs/acme/members").json()}
    assert members == github_sandbox.world.org("acme").public_members
    response = client.get("/user/orgs")
    assert response.status_code == 403
    assert response.json()["message"] == (
        "You need at least read:org scope or user scope to list your organizations."
    )


def test_a_token_without_repo_scope_cannot_see_private_repos(github_sandbox, make_client):
    client = make_client(github_sandbox, github_sandbox.issue_token(scopes=["read:org"]))
    assert client.get(f"/repos/{HARD_CASES_REPO}").status_code == 404
    assert all(not r["private"] for r in client.get("/orgs/acme/repos").json())


def test_an_outsider_is_redirected_to_public_members_and_cannot_see_private_repos(
    github_sandbox, make_client
):
    client = make_client(github_sandbox, github_sandbox.issue_token(login=OUTSIDER_LOGIN))
    members = client.get("/orgs/acme/members")
    assert members.status_code == 302
    assert members.headers["Location"].endswith("/orgs/acme/public_members")
    assert client.get(f"/repos/{HARD_CASES_REPO}").json()["message"] == "Not Found"
    assert client.get("/user/orgs").json() == []


def test_user_orgs_lists_both_organisations(client):
    assert [o["login"] for o in client.get("/user/orgs").json()] == ["acme", "acme-labs"]


def test_unknown_things_are_404_with_githubs_body(client):
    body = client.get("/repos/acme/nope").json()
    assert body["message"] == "Not Found" and body["documentation_url"].startswith(
        "https://docs.github.com/rest"
    )
    assert client.get("/users/nobody-here").status_code == 404


@pytest.mark.parametrize("header", ["Bearer nope", "token nope", None])
def test_bad_or_missing_credentials_are_401(github_sandbox, header):
    headers = {"Authorization": header} if header else {}
    response = requests.get(github_sandbox.url + "/user", headers=headers)
    assert response.status_code == 401
    expected = "Bad credentials" if header else "Requires authentication"
    assert response.json()["message"] == expected


def test_a_revoked_token_gets_bad_credentials(github_sandbox, make_client):
    token = github_sandbox.issue_token()
    client = make_client(github_sandbox, token)
    assert client.get("/user").status_code == 200
    github_sandbox.revoke_token(token)
    assert client.get("/user").json()["message"] == "Bad credentials"


def test_the_token_prefix_may_be_token_or_bearer(github_sandbox):
    response = requests.get(
        github_sandbox.url + "/user", headers={"Authorization": f"token {github_sandbox.token}"}
    )
    assert response.status_code == 200


def test_rate_limit_endpoint_reports_core_and_graphql(client):
    client.get("/user")
    body = client.get("/rate_limit").json()
    assert body["resources"]["core"]["used"] == 1 == body["rate"]["used"]
    assert body["resources"]["graphql"]["limit"] == 5000
