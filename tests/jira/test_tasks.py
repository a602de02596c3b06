"""The Jira sync in a real `rundramatiq` worker on Redis and PostgreSQL: queued the way the
settings page queues it, paused by Jira's rate limit and resumed at its Retry-After, and
stopped at once (no retries) by a permanent failure."""

import pytest

from tests.helpers.workers import wait_until
from tformance.integrations.models import JiraIntegration
from tformance.jira.models import JiraIssue, JiraProject
from tformance.jira.services import (
    jira_projects_load,
    jira_projects_sync_enqueue,
    jira_projects_track,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def jira(sandbox, acme, settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    handle = sandbox.jira
    JiraIntegration.objects.create(
        team=acme, site_url=handle.url, email=handle.email, api_token=handle.api_token
    )
    jira_projects_load(team=acme)
    jira_projects_track(team=acme, keys=["CORE", "WEB"])
    return handle


def statuses(team) -> dict[str, str]:
    return dict(JiraProject.objects.filter(team=team, is_tracked=True).values_list("key", "status"))


def done(team) -> bool:
    return set(statuses(team).values()) <= {JiraProject.Status.COMPLETE, JiraProject.Status.FAILED}


def visible_keys(handle, projects) -> set[str]:
    return {i.key for i in handle.world.visible_issues() if i.project.key in projects}


def test_a_worker_syncs_the_tracked_projects_through_jiras_rate_limit(acme, jira, worker_factory):
    # Each run asks for the account, the fields and the statuses, then pages of 10 issues:
    # every 7th request refused, so a run writes a few pages and the next resumes after them.
    jira.app.faults.update(jira_rate_limit_every=7, jira_retry_after=1)
    worker = worker_factory(OUTBOUND_ALLOW_LOOPBACK="1", JIRA_PAGE_SIZE="10")

    assert jira_projects_sync_enqueue(team_id=acme.pk) == 2

    wait_until(
        lambda: done(acme),
        timeout=90,
        what=lambda: f"the Jira syncs to finish ({statuses(acme)}; log:\n{worker.logs()[-3000:]})",
    )
    assert statuses(acme) == {"CORE": "complete", "WEB": "complete"}
    stored = set(JiraIssue.objects.filter(team=acme).values_list("key", flat=True))
    assert stored == visible_keys(jira, {"CORE", "WEB"}) and len(stored) > 40
    assert jira.app.stats.jira_rate_limited >= 2  # paused and resumed more than once
    assert jira.api_token not in worker.logs()


def test_a_revoked_token_fails_the_projects_at_once_with_what_to_do(acme, jira, worker_factory):
    jira.revoke_token()
    worker = worker_factory(OUTBOUND_ALLOW_LOOPBACK="1")

    jira_projects_sync_enqueue(team_id=acme.pk)

    wait_until(lambda: done(acme), timeout=60, what=lambda: worker.logs()[-3000:])
    failed = JiraProject.objects.filter(team=acme, is_tracked=True)
    assert {p.status for p in failed} == {JiraProject.Status.FAILED}
    assert all("token" in p.error.lower() for p in failed), [p.error for p in failed]
    assert JiraIssue.objects.filter(team=acme).count() == 0
    # Permanent: Dramatiq did not schedule retries.
    assert "Retrying message" not in worker.logs()
