"""The Jira Cloud stand-in over real HTTP: auth, myself, projects, fields, search, changelogs."""

from datetime import UTC, datetime

import requests

from github_sandbox.jira.models import SPRINT_FIELD, STORY_POINTS_FIELD

from .conftest import JiraClient

SEARCH = "/rest/api/3/search/jql"
JIRA_TIME = "%Y-%m-%dT%H:%M:%S.%f%z"


def parse_time(value):
    return datetime.strptime(value, JIRA_TIME)


def test_the_site_url_is_the_sandbox_url_without_a_jira_prefix(github_sandbox):
    assert github_sandbox.jira.url == github_sandbox.url
    assert "/jira" not in github_sandbox.jira.url
    assert github_sandbox.jira.email == "maya@acme.test"
    assert github_sandbox.jira.api_token.startswith("ATATT3xFfGF0")


def test_missing_credentials_get_jiras_401(github_sandbox):
    response = JiraClient(github_sandbox, auth=()).get("/rest/api/3/myself")
    assert response.status_code == 401
    assert response.text == "Client must be authenticated to access this resource."
    assert response.headers["X-Seraph-LoginReason"] == "AUTHENTICATED_FAILED"


def test_a_wrong_token_or_another_email_gets_401(github_sandbox):
    jira = github_sandbox.jira
    wrong_token = JiraClient(github_sandbox, auth=(jira.email, "ATATT3xFfGF0nope"))
    wrong_email = JiraClient(github_sandbox, auth=("jonas@acme.test", jira.api_token))
    assert wrong_token.get("/rest/api/3/myself").status_code == 401
    assert wrong_email.get("/rest/api/3/myself").status_code == 401


def test_a_bearer_token_is_not_basic_auth(github_sandbox):
    response = requests.get(
        github_sandbox.jira.url + "/rest/api/3/myself",
        headers={"Authorization": f"Bearer {github_sandbox.jira.api_token}"},
    )
    assert response.status_code == 401


def test_myself_describes_the_seeded_account(jira):
    response = jira.get("/rest/api/3/myself")
    assert response.status_code == 200
    me = response.json()
    assert me["emailAddress"] == "maya@acme.test"
    assert me["displayName"] == "Maya Chen"
    assert me["accountId"].startswith("712020:")
    assert me["accountType"] == "atlassian" and me["active"] is True


def test_project_search_pages_through_the_three_projects(jira):
    first = jira.get("/rest/api/3/project/search", params={"maxResults": 2}).json()
    assert (first["startAt"], first["maxResults"], first["total"]) == (0, 2, 3)
    assert first["isLast"] is False and "startAt=2" in first["nextPage"]
    second = jira.get("/rest/api/3/project/search", params={"maxResults": 2, "startAt": 2})
    second = second.json()
    assert second["isLast"] is True and "nextPage" not in second
    projects = first["values"] + second["values"]
    assert [p["key"] for p in projects] == ["CORE", "OPS", "WEB"]
    assert all(p["projectTypeKey"] == "software" for p in projects)
    assert {p["key"]: p["id"] for p in projects} == {
        "CORE": "10000",
        "OPS": "10002",
        "WEB": "10001",
    }


def test_the_field_list_has_story_points_and_sprint_as_jira_defines_them(jira):
    fields = {f["id"]: f for f in jira.get("/rest/api/3/field").json()}
    points, sprint = fields[STORY_POINTS_FIELD], fields[SPRINT_FIELD]
    assert points["name"] == "Story point estimate" and points["custom"] is True
    assert points["schema"] == {
        "type": "number",
        "custom": "com.pyxis.greenhopper.jira:jsw-story-points",
        "customId": 10016,
    }
    assert sprint["name"] == "Sprint"
    assert sprint["schema"]["custom"] == "com.pyxis.greenhopper.jira:gh-sprint"
    assert sprint["schema"]["items"] == "json"
    assert fields["status"]["schema"] == {"type": "status", "system": "status"}
    assert fields["summary"]["custom"] is False


def test_the_statuses_carry_their_categories(jira):
    statuses = jira.get("/rest/api/3/status").json()
    assert {s["name"]: (s["id"], s["statusCategory"]["key"]) for s in statuses} == {
        "To Do": ("10000", "new"),
        "In Progress": ("3", "indeterminate"),
        "In Review": ("10001", "indeterminate"),
        "Done": ("10002", "done"),
    }


def test_search_pages_to_the_end_and_the_last_page_has_no_token(jira, github_sandbox):
    issues, pages = jira.search_all(
        "project in (CORE, WEB) ORDER BY updated ASC", fields=["updated"], maxResults=30
    )
    world = github_sandbox.jira.world
    expected = [i.key for i in world.issues if i.project.key in ("CORE", "WEB")]
    assert sorted(i["key"] for i in issues) == sorted(expected)
    assert len(pages) == -(-len(expected) // 30)
    assert all("nextPageToken" in p and p["isLast"] is False for p in pages[:-1])
    assert "nextPageToken" not in pages[-1] and pages[-1]["isLast"] is True
    stamps = [parse_time(i["fields"]["updated"]) for i in issues]
    assert stamps == sorted(stamps)


def test_search_defaults_to_50_and_caps_pages_of_fields_at_100(jira):
    default = jira.search("project in (CORE, WEB, OPS)", fields=["summary"]).json()
    assert len(default["issues"]) == 50
    capped = jira.search("project in (CORE, WEB, OPS)", fields=["summary"], maxResults=500)
    assert len(capped.json()["issues"]) == 100
    ids_only = jira.search("project in (CORE, WEB, OPS)", maxResults=500).json()
    assert len(ids_only["issues"]) == 120 and ids_only["isLast"] is True


def test_search_returns_only_the_fields_asked_for(jira):
    issue = jira.search("project = WEB", fields=["summary", "status"]).json()["issues"][0]
    assert set(issue["fields"]) == {"summary", "status"}
    assert issue["key"].startswith("WEB-") and issue["self"].endswith(f"/issue/{issue['id']}")
    bare = jira.search("project = WEB").json()["issues"][0]
    assert "fields" not in bare  # the default is `id`


def test_an_issue_carries_jiras_shapes_for_every_field(jira):
    everything = jira.search("project = CORE", fields=["*all"], maxResults=100).json()["issues"]
    done = next(i for i in everything if i["fields"]["status"]["name"] == "Done")
    fields = done["fields"]
    assert fields["status"]["statusCategory"]["key"] == "done"
    assert fields["issuetype"]["name"] in ("Bug", "Story", "Task", "Sub-task")
    assert fields["project"]["key"] == "CORE"
    assert parse_time(fields["resolutiondate"]) >= parse_time(fields["created"])
    assert fields["created"].endswith(".000+0000")
    sprints = next(i["fields"][SPRINT_FIELD] for i in everything if i["fields"][SPRINT_FIELD])
    assert {"id", "name", "state", "boardId", "startDate", "endDate"} <= set(sprints[0])
    points = {i["fields"][STORY_POINTS_FIELD] for i in everything}
    assert points & {1.0, 2.0, 3.0, 5.0, 8.0, 13.0} and None in points
    subtask = next(i for i in everything if i["fields"]["issuetype"]["subtask"])
    assert subtask["fields"]["parent"]["key"].startswith("CORE-")


def test_updated_since_filters_by_the_minute(jira, github_sandbox):
    world = github_sandbox.jira.world
    stamps = sorted(i.updated for i in world.issues if i.project.key == "CORE")
    cut = stamps[len(stamps) // 2].replace(second=0)
    jql = f'project = CORE AND updated >= "{cut:%Y-%m-%d %H:%M}" ORDER BY updated ASC'
    issues, _ = jira.search_all(jql, fields=["updated"])
    assert len(issues) == sum(1 for s in stamps if s >= cut)
    assert all(parse_time(i["fields"]["updated"]) >= cut for i in issues)


def test_a_project_can_be_named_by_key_id_or_name_in_jql(jira):
    by_key = jira.search("project = CORE", maxResults=100).json()["issues"]
    by_id = jira.search("project = 10000", maxResults=100).json()["issues"]
    by_name = jira.search('project = "Core Platform"', maxResults=100).json()["issues"]
    assert len(by_key) == 40 and by_key == by_id == by_name


def test_jql_outside_the_grammar_is_a_400_with_error_messages(jira):
    unknown = jira.search("assignee = currentUser()")
    assert unknown.status_code == 400
    assert unknown.json()["errorMessages"] == [
        "Field 'assignee' does not exist or you do not have permission to view it."
    ]
    unbounded = jira.search("ORDER BY updated ASC")
    assert unbounded.status_code == 400
    assert "Unbounded JQL queries are not allowed" in unbounded.json()["errorMessages"][0]
    no_project = jira.search("project = NOPE")
    assert no_project.json()["errorMessages"] == [
        "The value 'NOPE' does not exist for the field 'project'."
    ]


def test_the_removed_search_endpoint_answers_410_gone(jira):
    for response in (jira.get("/rest/api/3/search"), jira.post("/rest/api/3/search", {})):
        assert response.status_code == 410
        [message] = response.json()["errorMessages"]
        assert message.startswith("The requested API has been removed.")
        assert "/rest/api/3/search/jql" in message and "CHANGE-2046" in message


def test_the_changelog_pages_and_records_the_status_history(jira, github_sandbox):
    world = github_sandbox.jira.world
    issue = max(world.issues, key=lambda i: len(i.history))
    first = jira.get(f"/rest/api/3/issue/{issue.key}/changelog", params={"maxResults": 1})
    first = first.json()
    assert (first["startAt"], first["total"], first["isLast"]) == (0, len(issue.history), False)
    entries = []
    for start in range(len(issue.history)):
        page = jira.get(
            f"/rest/api/3/issue/{issue.key}/changelog", params={"maxResults": 1, "startAt": start}
        ).json()
        entries += page["values"]
    assert page["isLast"] is True
    moves = [i for e in entries for i in e["items"] if i["field"] == "status"]
    assert moves[0]["fromString"] == "To Do" and moves[0]["toString"] == "In Progress"
    assert [m["fieldtype"] for m in moves] == ["jira"] * len(moves)
    assert all(m["from"] and m["to"] for m in moves)
    times = [parse_time(e["created"]) for e in entries]
    assert times == sorted(times)  # oldest first


def test_work_starts_at_the_first_move_into_in_progress(jira, github_sandbox):
    world = github_sandbox.jira.world
    issue = next(i for i in world.issues if i.status == "Done")
    values = jira.get(f"/rest/api/3/issue/{issue.key}/changelog").json()["values"]
    started = next(
        e["created"] for e in values for i in e["items"] if i["toString"] == "In Progress"
    )
    fields = jira.search(f"key = {issue.key}", fields=["created", "resolutiondate"]).json()
    fields = fields["issues"][0]["fields"]
    assert (
        parse_time(fields["created"]) < parse_time(started) <= parse_time(fields["resolutiondate"])
    )


def test_an_unknown_issue_is_a_404(jira):
    response = jira.get("/rest/api/3/issue/CORE-99999/changelog")
    assert response.status_code == 404
    assert response.json()["errorMessages"] == [
        "Issue does not exist or you do not have permission to see it."
    ]


def test_the_stats_count_jira_requests_by_endpoint(jira, github_sandbox):
    jira.get("/rest/api/3/myself")
    jira.search("project = CORE")
    jira.get("/rest/api/3/issue/CORE-1/changelog")
    stats = github_sandbox.stats.snapshot()
    assert stats["jira_requests"] == 3
    assert stats["by_endpoint"]["GET /rest/api/3/myself"] == 1
    assert stats["by_endpoint"]["POST /rest/api/3/search/jql"] == 1
    assert stats["by_endpoint"]["GET /rest/api/3/issue/{issueIdOrKey}/changelog"] == 1
    assert stats["rest_requests"] == 0  # Jira does not count as GitHub


def test_the_same_seed_and_now_give_the_same_jira_site(github_sandbox_factory):
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    a = github_sandbox_factory(now=now).jira.world
    b = github_sandbox_factory(now=now).jira.world
    assert [(i.key, i.summary, i.status, i.updated) for i in a.issues] == [
        (i.key, i.summary, i.status, i.updated) for i in b.issues
    ]


def test_search_can_embed_the_changelog_newest_first(jira, github_sandbox):
    issue = max(github_sandbox.jira.world.issues, key=lambda i: len(i.history))
    found = jira.search(f"key = {issue.key}", fields=["status"], expand="changelog").json()
    changelog = found["issues"][0]["changelog"]
    assert changelog["total"] == len(issue.history)
    times = [parse_time(h["created"]) for h in changelog["histories"]]
    assert times == sorted(times, reverse=True)


def test_a_bad_page_token_or_page_size_is_a_400(jira):
    token = jira.search("project = CORE", maxResults=5).json()["nextPageToken"]
    other_query = jira.search("project = WEB", nextPageToken=token)
    assert other_query.status_code == 400
    assert jira.search("project = CORE", nextPageToken="garbage").status_code == 400
    assert jira.search("project = CORE", maxResults="many").status_code == 400
    assert jira.search("project = CORE", nextPageToken=token).status_code == 200


def test_an_embedded_changelog_stops_at_100_and_counts_them_all(jira, github_sandbox):
    key = github_sandbox.jira.world.keys_of("OPS")[0]
    for n in range(101):
        github_sandbox.jira.update_issue(key, summary=f"Rename {n}")
    found = jira.search(f"key = {key}", fields=["summary"], expand="changelog").json()
    changelog = found["issues"][0]["changelog"]
    assert len(changelog["histories"]) == 100
    assert changelog["total"] == len(github_sandbox.jira.world.by_key[key].history) > 100
    assert changelog["histories"][0]["items"][0]["toString"] == "Rename 100"


def test_some_reviews_send_work_back_to_in_progress(github_sandbox):
    bounced = [
        issue
        for issue in github_sandbox.jira.world.issues
        if [i["toString"] for h in issue.history for i in h.items if i["field"] == "status"].count(
            "In Progress"
        )
        == 2
    ]
    assert bounced
    moves = [i for h in bounced[0].history for i in h.items if i["field"] == "status"]
    assert [(m["fromString"], m["toString"]) for m in moves][:3] == [
        ("To Do", "In Progress"),
        ("In Progress", "In Review"),
        ("In Review", "In Progress"),
    ]
