"""After a repository syncs successfully, the team's insights are recomputed and its new
Slack alerts posted."""

import dramatiq
import pytest

from github_sandbox.world import HARD_CASES_REPO

pytestmark = pytest.mark.django_db


def test_a_completed_repository_sync_queues_the_teams_insights_slack_alerts_and_digest(
    acme,
    track,
    django_capture_on_commit_callbacks,
):
    from tformance.sync.tasks import sync_repository

    repository = track(HARD_CASES_REPO)
    broker = dramatiq.get_broker()
    broker.flush_all()

    with django_capture_on_commit_callbacks(execute=True):
        sync_repository.fn(repository_id=repository.pk)

    queue = broker.queues["metrics"]
    messages = [dramatiq.Message.decode(queue.get()) for _ in range(queue.qsize())]
    assert [(m.actor_name, m.kwargs) for m in messages] == [
        ("insights_refresh_team", {"team_id": acme.pk}),
        ("slack_alerts_send_team", {"team_id": acme.pk}),
        ("slack_digest_send_team", {"team_id": acme.pk}),  # the first one, once all synced
    ]
    broker.flush_all()
