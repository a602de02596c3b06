"""The Jira sync against the stand-in over real HTTP: whole, incremental, resumable, and
every failure on the project for the user to see."""

import pytest

from tformance.integrations.models import JiraIntegration
from tformance.jira.errors import JiraError, JiraRateLimited
from tformance.jira.models import JiraIssue, JiraProject
from tformance.jira.services import (
    jira_client_for_team,
    jira_project_sync,
    jira_projects_load,
    jira_projects_track,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def jira(github_sandbox_factory, settings, team):
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    handle = github_sandbox_factory(prs=60).jira
    JiraIntegration.objects.create(
        team=team, site_url=handle.url, email=handle.email, api_token=handle.api_token
    )
    return handle


def tracked(team, key="CORE"):
    jira_projects_load(team=team)
    [project] = jira_projects_track(team=team, keys=[key])
    return project


def truth(handle, key="CORE"):
    """{issue key: (summary, status, started)} as the stand-in holds them."""
    found = {}
    for issue in handle.world.visible_issues():
        if issue.project.key != key:
            continue
        moves = [
            entry.created
            for entry in issue.history
            for item in entry.items
            if item["field"] == "status" and item["toString"] in ("In Progress", "In Review")
        ]
        found[issue.key] = (issue.summary, issue.status, min(moves) if moves else None)
    return found


def stored(team, key="CORE"):
    rows = JiraIssue.objects.filter(team=team, project__key=key)
    return {i.key: (i.summary, i.status, i.started_at) for i in rows}


def test_a_first_sync_stores_every_issue_of_the_project_whole(team, jira):
    project = tracked(team)

    result = jira_project_sync(project=project)

    assert stored(team) == truth(jira) and len(truth(jira)) >= 40
    project.refresh_from_db()
    assert project.status == JiraProject.Status.COMPLETE and project.error == ""
    assert project.issues_done == len(truth(jira)) and project.page_token == ""
    assert project.watermark is not None and result.pages >= 1
    bug = JiraIssue.objects.filter(team=team, issue_type="Bug").first()
    assert bug is not None and bug.created_at is not None
    assert JiraIssue.objects.filter(team=team, story_points__isnull=False).exists()
    assert JiraIssue.objects.exclude(sprint="").exists()


def test_an_incremental_sync_reads_only_what_changed_and_moves_the_issue(team, jira):
    project = tracked(team)
    jira_project_sync(project=project)
    waiting = next(k for k, (_, status, _s) in truth(jira).items() if status == "To Do")
    jira.update_issue(waiting, status="In Progress", summary="Renamed while we slept")

    result = jira_project_sync(project=project)

    assert stored(team) == truth(jira)
    assert result.issues < len(truth(jira))  # only the issues updated since the last run
    moved = JiraIssue.objects.get(team=team, key=waiting)
    assert moved.status_category == JiraIssue.Category.IN_PROGRESS
    assert moved.started_at is not None and moved.summary == "Renamed while we slept"


def test_a_rate_limit_half_way_pauses_the_sync_and_the_next_call_resumes_from_its_page(
    team, jira, settings
):
    settings.JIRA_PAGE_SIZE = 10  # several pages
    project = tracked(team)
    client = jira_client_for_team(team=team)
    pages = []
    original = client.get_issue_page

    def small_pages(**kwargs):
        pages.append(original(**kwargs))
        if len(pages) == 2:  # Jira: slow down, from the next request on
            jira.app.faults.update(jira_rate_limit_next=1, jira_retry_after=30)
        return pages[-1]

    client.get_issue_page = small_pages
    with pytest.raises(JiraRateLimited):
        jira_project_sync(project=project, client=client)
    project.refresh_from_db()
    assert project.status == JiraProject.Status.RETRYING
    assert "slow down" in project.error and project.retry_at is not None
    assert project.page_token and project.issues_done == 20  # two pages written

    jira_project_sync(project=project, client=client)

    project.refresh_from_db()
    assert project.status == JiraProject.Status.COMPLETE and stored(team) == truth(jira)


def test_a_jira_5xx_keeps_the_run_open_for_a_retry_that_completes_it(team, jira):
    project = tracked(team)
    jira.app.faults.update(jira_server_error_next=1, jira_server_error_status=502)

    with pytest.raises(JiraError) as failed:
        jira_project_sync(project=project)

    assert not failed.value.permanent
    project.refresh_from_db()
    assert project.status == JiraProject.Status.RETRYING and "HTTP 502" in project.error
    jira_project_sync(project=project)
    project.refresh_from_db()
    assert project.status == JiraProject.Status.COMPLETE and stored(team) == truth(jira)


def test_a_revoked_token_fails_the_project_with_what_to_do(team, jira):
    project = tracked(team)
    jira.revoke_token()

    with pytest.raises(JiraError) as failed:
        jira_project_sync(project=project)

    assert failed.value.permanent
    project.refresh_from_db()
    assert project.status == JiraProject.Status.FAILED
    assert "rejected the email and API token (401)" in project.error
    assert "reconnect Jira" in project.error


def test_a_project_that_disappeared_fails_with_its_name_and_keeps_its_issues(team, jira):
    project = tracked(team)
    jira_project_sync(project=project)
    kept = JiraIssue.objects.filter(team=team).count()
    jira.delete_project("CORE")

    with pytest.raises(JiraError) as failed:
        jira_project_sync(project=project)

    assert failed.value.permanent
    project.refresh_from_db()
    assert project.status == JiraProject.Status.FAILED
    assert "CORE no longer exists" in project.error
    assert JiraIssue.objects.filter(team=team).count() == kept


@pytest.mark.world(prs=60)
def test_synced_prs_link_to_synced_issues_and_the_numbers_agree_with_both_stand_ins(
    sandbox, acme, track, settings
):
    from django.utils import timezone

    from tformance.jira.selectors import jira_delivery
    from tformance.metrics.filters import MetricFilters
    from tformance.pulls.models import PullRequest
    from tformance.sync.repository import repository_sync

    settings.OUTBOUND_ALLOW_LOOPBACK = True
    jira = sandbox.jira
    JiraIntegration.objects.create(
        team=acme, site_url=jira.url, email=jira.email, api_token=jira.api_token
    )
    names = sorted(
        {pr.repo.full_name for pr in sandbox.world.all_pulls() if pr.repo.owner.login == "acme"}
    )
    for name in names:
        repository_sync(repository=track(name))
    jira_projects_load(team=acme)
    for project in jira_projects_track(team=acme, keys=["CORE", "WEB", "OPS"]):
        jira_project_sync(project=project)

    merged = PullRequest.objects.filter(team=acme, merged_at__isnull=False)
    filters = MetricFilters(
        team=acme,
        start=min(pr.merged_at for pr in merged),
        end=timezone.now(),
        include_bots=True,
    )
    found = jira_delivery(filters=filters)

    issues = {i.key for i in jira.world.visible_issues()}
    expected = sum(
        1
        for pr in merged
        if any(
            k in issues for k in jira.world.pr_keys.get((pr.repository.full_name, pr.number), [])
        )
    )
    assert found.merged == merged.count() and found.linked == expected > 0
    for pr in merged:  # each PR keeps every key GitHub's text carries
        carried = jira.world.pr_keys.get((pr.repository.full_name, pr.number), [])
        assert set(carried) <= set(pr.issue_keys)
