"""The /_sandbox/ control endpoints let another process drive a running sandbox."""

import requests

from github_sandbox.world import HARD_CASES_REPO


def test_faults_can_be_set_over_http(github_sandbox):
    response = requests.post(github_sandbox.url + "/_sandbox/faults", json={"latency_ms": 5})
    assert response.json()["latency_ms"] == 5 == github_sandbox.faults.latency_ms
    bad = requests.post(github_sandbox.url + "/_sandbox/faults", json={"nope": 1})
    assert bad.status_code == 422


def test_changes_can_be_applied_over_http_and_bump_updated_at(github_sandbox, client):
    before = github_sandbox.world.pull_truth(HARD_CASES_REPO, 6)["updated_at"]
    response = requests.post(
        github_sandbox.url + "/_sandbox/changes",
        json={"action": "add_review", "repo": HARD_CASES_REPO, "number": 6, "state": "APPROVED"},
    )
    assert response.json() == {"ok": True, "repo": HARD_CASES_REPO, "numbers": [6]}
    pull = client.get(f"/repos/{HARD_CASES_REPO}/pulls/6").json()
    assert pull["updated_at"] > before.strftime("%Y-%m-%dT%H:%M:%SZ")
    added = requests.post(
        github_sandbox.url + "/_sandbox/changes",
        json={"action": "add_pull_requests", "repo": HARD_CASES_REPO, "count": 2},
    ).json()
    assert len(added["numbers"]) == 2


def test_stats_and_tokens_are_available(github_sandbox, client):
    client.get("/user")
    stats = requests.get(github_sandbox.url + "/_sandbox/stats").json()
    assert stats["rest_requests"] == 1
    token = requests.get(
        github_sandbox.url + "/_sandbox/token", params={"login": "noah-kim", "scopes": "repo"}
    ).json()["token"]
    user = requests.get(github_sandbox.url + "/user", headers={"Authorization": f"token {token}"})
    assert user.json()["login"] == "noah-kim"
    world = requests.get(github_sandbox.url + "/_sandbox/world").json()
    assert world["hard_cases"]["many_files"] == 1


def test_the_fixture_points_django_settings_at_the_sandbox(github_sandbox, settings):
    assert settings.GITHUB_URL == github_sandbox.url
    assert settings.GITHUB_API_URL == github_sandbox.api_url
