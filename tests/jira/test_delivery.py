"""Delivery by Jira issue on hand-built PRs and issues with known answers."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from tests.helpers.factories import TeamMemberFactory, TrackedRepositoryFactory
from tests.helpers.metrics import HOUR, T0, filters_for, merged_pr
from tformance.integrations.models import JiraIntegration
from tformance.jira.models import JiraIssue, JiraProject
from tformance.jira.selectors import jira_delivery, pull_request_links, work_kind

pytestmark = pytest.mark.django_db


def issue(project, key, issue_type, *, started=None):
    return JiraIssue.objects.create(
        team=project.team,
        project=project,
        jira_id=key.split("-")[1],
        key=key,
        issue_type=issue_type,
        created_at=T0 - 100 * HOUR,
        updated_at=T0,
        started_at=started,
        synced_at=T0,
    )


@pytest.fixture
def jira(team):
    JiraIntegration.objects.create(
        team=team, site_url="https://acme.atlassian.net", email="maya@acme.test", api_token="t"
    )
    core = JiraProject.objects.create(
        team=team, jira_id="1", key="CORE", name="Core", is_tracked=True
    )
    web = JiraProject.objects.create(team=team, jira_id="2", key="WEB", name="Web", is_tracked=True)
    JiraProject.objects.create(team=team, jira_id="3", key="OPS", name="Ops", is_tracked=False)
    issue(core, "CORE-1", "Bug", started=T0 - 10 * HOUR)
    issue(core, "CORE-2", "Story", started=T0 - 20 * HOUR)
    issue(web, "WEB-1", "Task")  # never moved to In Progress: no lead time
    issue(core, "OPS-1", "Bug")  # of a project not tracked: links nothing
    return {"core": core, "web": web}


def test_merged_prs_link_to_the_synced_issues_of_tracked_projects_they_mention(team, jira):
    repo = TrackedRepositoryFactory(team=team)
    alice = TeamMemberFactory(team=team, login="alice")

    def pr(hours, keys, **kw):
        return merged_pr(
            team=team, repository=repo, hours_to_merge=hours, author=alice, issue_keys=keys, **kw
        )

    pr(2, ["CORE-1"])  # merged T0+2h
    pr(6, ["CORE-1", "WEB-1"])  # T0+6h: CORE-1's last merge; first key says "bug"
    pr(4, ["CORE-2"])  # T0+4h
    pr(1, ["OPS-1"])  # untracked project: unlinked
    pr(3, ["CORE-999"])  # no such issue synced: unlinked
    pr(5, [])
    later = merged_pr(
        team=team,
        repository=repo,
        hours_to_merge=1,
        author=alice,
        issue_keys=["CORE-2"],
        opened_at=T0 + 40 * 24 * HOUR,
    )  # after the period

    found = jira_delivery(filters=filters_for(team))

    assert (found.merged, found.linked, found.linked_share) == (6, 3, 0.5)
    assert found.issues == 3  # CORE-1, WEB-1, CORE-2
    assert found.prs_per_issue == pytest.approx(4 / 3)  # CORE-1 twice, WEB-1, CORE-2
    # CORE-1: in progress T0-10h, last linked merge T0+6h -> 16 h; CORE-2's last linked merge
    # is after the period (it counts there), WEB-1 never started.
    assert (found.lead_times, found.lead_time_median) == (1, 16 * 3600)
    week = next(row for row in found.mix if row["monday"] == T0.date())
    assert (week["bug"], week["feature"], week["chore"], week["unlinked"]) == (2, 1, 0, 3)
    assert found.unlinked_count == 3
    assert [row["issue_keys"] for row in found.unlinked] == [[], ["CORE-999"], ["OPS-1"]]
    assert found.browse == "https://acme.atlassian.net/browse/"
    links = pull_request_links(
        team=team, issue_keys_by_pr={later.pk: later.issue_keys, 0: ["OPS-1"]}
    )
    assert links == {later.pk: [("CORE-2", "https://acme.atlassian.net/browse/CORE-2")]}


def test_another_teams_issues_link_nothing(team, other_team, jira):
    repo = TrackedRepositoryFactory(team=other_team)
    JiraProject.objects.create(team=other_team, jira_id="1", key="CORE", name="C", is_tracked=True)
    merged_pr(team=other_team, repository=repo, hours_to_merge=2, issue_keys=["CORE-1"])

    found = jira_delivery(filters=filters_for(other_team))

    assert (found.merged, found.linked) == (1, 0)  # CORE-1 is the first team's issue


def test_a_team_without_tracked_projects_has_no_jira_numbers(team):
    found = jira_delivery(filters=filters_for(team))
    assert (found.tracked, found.merged, found.linked_share) == ([], 0, None)


@pytest.mark.parametrize(
    ("issue_type", "kind"),
    [
        ("Bug", "bug"),
        ("Story", "feature"),
        ("New Feature", "feature"),
        ("Task", "chore"),
        ("Sub-task", "chore"),
        ("Spike", "chore"),
    ],
)
def test_an_issue_type_says_whether_the_work_was_a_bug_a_feature_or_a_chore(issue_type, kind):
    assert work_kind(issue_type) == kind


def test_the_jira_page_shows_the_numbers_and_another_teams_is_a_404(
    client, team, other_team, jira, owner
):
    from django.urls import reverse

    from tformance.dashboard.templatetags.dashboard import duration, percent

    repo = TrackedRepositoryFactory(team=team)
    opened = timezone.now().replace(hour=8, minute=0) - dt.timedelta(days=3)
    monday = opened.date() - dt.timedelta(days=opened.weekday())
    merged_pr(team=team, repository=repo, hours_to_merge=2, issue_keys=["CORE-1"], opened_at=opened)
    merged_pr(team=team, repository=repo, hours_to_merge=3, title="Tidy up", opened_at=opened)
    client.force_login(owner)

    page = client.get(reverse("dashboard:jira", args=[team.slug]) + "?range=30").content.decode()
    other = client.get(reverse("dashboard:jira", args=[other_team.slug]))
    overview = client.get(reverse("dashboard:team", args=[team.slug])).content.decode()

    assert "Merged PRs linked to an issue" in page and "1 of 2" in page
    assert f'<span class="kpi-value">{percent(0.5)}</span>' in page
    assert "Tidy up" in page  # the unlinked one
    # A card reads in the unit that suits it: CORE-1 went into progress in March 2025.
    lead = re.search(r'data-testid="jira-lead-time">.*?kpi-value">([^<]+)<', page, re.S)
    started = T0 - 10 * HOUR
    assert lead.group(1) == duration((opened + 2 * HOUR - started).total_seconds())
    assert lead.group(1).endswith(" d")
    # The work-mix chart's data: that week, one linked PR and one not, and a link to the
    # week's merged PRs.
    mix = json.loads(re.search(r'id="jira-charts"[^>]*>(.*?)</script>', page).group(1))["mix"]
    week = mix["labels"].index(monday.strftime("%d %b"))
    assert mix["unlinked"][week] == 1
    assert mix["bug"][week] + mix["feature"][week] + mix["chore"][week] == 1
    assert "state=merged" in mix["links"][week]
    assert other.status_code == 404
    assert 'data-testid="tab-jira"' in overview


def test_each_pr_row_links_its_issues_to_jira(
    client, team, jira, owner, django_assert_max_num_queries
):
    from django.urls import reverse

    repo = TrackedRepositoryFactory(team=team)
    opened = T0.replace(year=2026, month=11, day=30)
    merged_pr(
        team=team,
        repository=repo,
        hours_to_merge=2,
        issue_keys=["CORE-1", "OPS-1"],
        opened_at=opened,
    )
    client.force_login(owner)

    with django_assert_max_num_queries(12):  # the dashboard's ceiling, links and all
        response = client.get(reverse("dashboard:prs", args=[team.slug]) + "?range=30")
    page = response.content.decode()

    assert '<a class="tag tag-issue" href="https://acme.atlassian.net/browse/CORE-1"' in page
    assert "OPS-1" not in page  # not a tracked project


def test_the_csv_lists_the_issues_each_pr_links_to(client, team, jira, owner):
    import csv
    import io

    from django.urls import reverse

    repo = TrackedRepositoryFactory(team=team)
    opened = T0.replace(year=2026, month=11, day=30)
    merged_pr(
        team=team,
        repository=repo,
        hours_to_merge=2,
        issue_keys=["CORE-2", "OPS-1", "CORE-1"],
        opened_at=opened,
        title="Two, issues",
    )
    plain = merged_pr(team=team, repository=repo, hours_to_merge=3, issue_keys=[], opened_at=opened)
    client.force_login(owner)

    response = client.get(reverse("dashboard:prs_csv", args=[team.slug]) + "?range=30")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert {row["title"]: row["jira_issues"] for row in rows} == {
        "Two, issues": "CORE-2;CORE-1",
        plain.title: "",
    }
