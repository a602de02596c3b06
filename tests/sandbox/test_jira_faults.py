"""Jira faults and changes on demand: 429s, 5xx, a revoked token, a deleted project, updates."""

from datetime import datetime

import requests

from .conftest import JiraClient

MYSELF = "/rest/api/3/myself"


def test_every_nth_jira_request_is_rate_limited_with_retry_after(github_sandbox, jira):
    github_sandbox.faults.update(jira_rate_limit_every=3, jira_retry_after=9)
    responses = [jira.get(MYSELF) for _ in range(6)]
    assert [r.status_code for r in responses] == [200, 200, 429, 200, 200, 429]
    limited = responses[2]
    assert limited.headers["Retry-After"] == "9"
    assert limited.headers["RateLimit-Reason"] == "jira-burst-based"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    datetime.strptime(limited.headers["X-RateLimit-Reset"], "%Y-%m-%dT%H:%MZ")
    assert github_sandbox.stats.jira_rate_limited == 2


def test_the_next_n_jira_requests_can_be_rate_limited(github_sandbox, jira):
    github_sandbox.faults.update(jira_rate_limit_next=2)
    assert [jira.get(MYSELF).status_code for _ in range(3)] == [429, 429, 200]


def test_jira_rate_limits_do_not_touch_github(github_sandbox, jira, make_client):
    github_sandbox.faults.update(jira_rate_limit_next=5)
    assert make_client(github_sandbox).get("/user").status_code == 200
    assert jira.get(MYSELF).status_code == 429


def test_the_next_n_jira_requests_can_fail_with_a_server_error(github_sandbox, jira):
    github_sandbox.faults.update(jira_server_error_next=2, jira_server_error_status=500)
    statuses = [jira.search("project = CORE").status_code for _ in range(3)]
    assert statuses == [500, 500, 200]
    github_sandbox.faults.update(jira_server_error_next=1)  # 500 stays the status
    assert jira.get(MYSELF).status_code == 500
    assert github_sandbox.stats.jira_server_errors == 3


def test_a_503_carries_retry_after(github_sandbox, jira):
    github_sandbox.faults.update(jira_server_error_next=1, jira_retry_after=4)
    response = jira.get(MYSELF)
    assert response.status_code == 503 and response.headers["Retry-After"] == "4"
    assert response.json()["errorMessages"]


def test_jira_faults_can_be_set_over_the_control_endpoint(github_sandbox, jira):
    set_faults = requests.post(
        github_sandbox.url + "/_sandbox/faults", json={"jira_rate_limit_next": 1}
    )
    assert set_faults.json()["jira_rate_limit_next"] == 1
    assert jira.get(MYSELF).status_code == 429


def test_a_revoked_token_gets_401(github_sandbox, jira):
    assert jira.get(MYSELF).status_code == 200
    github_sandbox.jira.revoke_token()
    assert jira.get(MYSELF).status_code == 401
    fresh = JiraClient(
        github_sandbox, auth=(github_sandbox.jira.email, github_sandbox.jira.issue_token())
    )
    assert fresh.get(MYSELF).status_code == 200


def test_the_token_can_be_revoked_over_the_control_endpoint(github_sandbox, jira):
    response = requests.post(
        github_sandbox.url + "/_sandbox/jira/revoke", json={"token": github_sandbox.jira.api_token}
    )
    assert response.json() == {"revoked": [github_sandbox.jira.api_token]}
    assert jira.get(MYSELF).status_code == 401


def test_a_deleted_project_vanishes_from_projects_issues_and_search(github_sandbox, jira):
    core_key = github_sandbox.jira.world.keys_of("CORE")[0]
    github_sandbox.jira.delete_project("CORE")
    projects = jira.get("/rest/api/3/project/search").json()
    assert [p["key"] for p in projects["values"]] == ["OPS", "WEB"] and projects["total"] == 2
    assert jira.get(f"/rest/api/3/issue/{core_key}/changelog").status_code == 404
    named = jira.search("project in (CORE, WEB)")
    assert named.status_code == 400
    assert named.json()["errorMessages"] == [
        "The value 'CORE' does not exist for the field 'project'."
    ]
    since = jira.search('updated >= "2000-01-01 00:00"', maxResults=500).json()["issues"]
    assert len(since) == 80 and all(not i["key"].startswith("CORE-") for i in since)


def test_a_project_can_be_deleted_over_the_control_endpoint(github_sandbox, jira):
    response = requests.post(
        github_sandbox.url + "/_sandbox/jira/changes",
        json={"action": "delete_project", "key": "web"},
    )
    assert response.json() == {"ok": True, "key": "WEB"}
    keys = [p["key"] for p in jira.get("/rest/api/3/project/search").json()["values"]]
    assert keys == ["CORE", "OPS"]


def test_an_update_bumps_updated_and_shows_up_in_an_incremental_search(github_sandbox, jira):
    world = github_sandbox.jira.world
    issue = next(i for i in world.issues if i.status == "To Do" and i.project.key == "WEB")
    before = max(i.updated for i in world.issues)
    github_sandbox.jira.update_issue(issue.key, status="In Progress", summary="Renamed work")
    assert issue.updated > before
    jql = f'project = WEB AND updated >= "{before:%Y-%m-%d %H:%M}" ORDER BY updated ASC'
    found = jira.search(jql, fields=["summary", "status", "updated"]).json()["issues"]
    assert found[-1]["key"] == issue.key
    assert found[-1]["fields"]["summary"] == "Renamed work"
    assert found[-1]["fields"]["status"]["statusCategory"]["key"] == "indeterminate"
    last = jira.get(f"/rest/api/3/issue/{issue.key}/changelog").json()["values"][-1]
    assert {i["field"]: i["toString"] for i in last["items"]} == {
        "summary": "Renamed work",
        "status": "In Progress",
    }
    assert last["created"] == found[-1]["fields"]["updated"]


def test_moving_to_done_sets_the_resolution_date(github_sandbox, jira):
    issue = next(i for i in github_sandbox.jira.world.issues if i.status == "In Review")
    response = requests.post(
        github_sandbox.url + "/_sandbox/jira/changes",
        json={"action": "update_issue", "key": issue.key, "status": "Done"},
    )
    assert response.status_code == 200
    fields = jira.search(f"key = {issue.key}", fields=["resolutiondate", "updated"]).json()
    fields = fields["issues"][0]["fields"]
    assert fields["resolutiondate"] == fields["updated"] == response.json()["updated"]


def test_an_unknown_change_is_a_422(github_sandbox):
    bad = requests.post(
        github_sandbox.url + "/_sandbox/jira/changes", json={"action": "update_issue", "key": "X-1"}
    )
    assert bad.status_code == 422


def test_the_control_endpoint_describes_the_jira_site(github_sandbox):
    info = requests.get(github_sandbox.url + "/_sandbox/jira/world").json()
    assert info["email"] == "maya@acme.test"
    assert set(info["projects"]) == {"CORE", "WEB", "OPS"}
    assert sum(p["issues"] for p in info["projects"].values()) == 120
