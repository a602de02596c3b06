"""How far back each repository's history reaches, and extending it: a backfill fetches only
the pull requests older than what is stored."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from github_sandbox.world import HARD_CASES_REPO
from tests.helpers.factories import MembershipFactory
from tests.helpers.sync import (
    assert_matches_truth,
    run_queued_syncs,
    shown,
    sync_row,
    whole_pull_requests_patch,
)
from tformance.pulls.models import PullRequest
from tformance.sync.selectors import history_start, imported_history
from tformance.sync.services import team_history_extend
from tformance.sync.tasks import sync_repository
from tformance.teams.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def synced_30_days(sandbox, acme, track):
    """The monolith, synced with the default first window shortened to 30 days."""
    acme.days_back = 30
    acme.save()
    repository = track(HARD_CASES_REPO)
    sync_repository.fn(repository_id=repository.pk)
    return repository


def test_a_completed_sync_records_how_far_back_the_history_reaches(synced_30_days, acme):
    row = sync_row(synced_30_days)
    month_ago = timezone.now() - dt.timedelta(days=30)

    assert abs((row.history_from - month_ago).total_seconds()) < 60 and not row.history_all
    assert history_start(team=acme) == row.history_from
    [held] = imported_history(team=acme)
    assert (held.full_name, held.since) == (HARD_CASES_REPO, row.history_from)
    stored = PullRequest.objects.filter(repository=synced_30_days)
    assert stored.exists() and not stored.filter(github_updated_at__lt=row.history_from).exists()


def test_extending_the_history_fetches_only_the_pull_requests_older_than_what_is_stored(
    sandbox, acme, synced_30_days, broker, monkeypatch, django_capture_on_commit_callbacks
):
    repository = synced_30_days
    boundary = sync_row(repository).history_from
    before = dict(
        PullRequest.objects.filter(repository=repository).values_list("number", "synced_at")
    )
    older = {
        pr.number for pr in sandbox.world.all_pulls(HARD_CASES_REPO) if pr.updated_at < boundary
    }
    assert older and before
    completed = []
    whole_pull_requests_patch(monkeypatch, lambda pr: completed.append(pr.number) or pr)

    with django_capture_on_commit_callbacks(execute=True):
        extended = team_history_extend(team=acme, days=None)
    assert [r.pk for r in extended] == [repository.pk]
    assert shown(repository).label == "Queued: extending the history"
    run_queued_syncs(broker)

    assert sorted(completed) == sorted(older)  # only the missing PRs were fetched whole
    after = dict(
        PullRequest.objects.filter(repository=repository).values_list("number", "synced_at")
    )
    assert {n: after[n] for n in before} == before  # what was stored was left alone
    assert_matches_truth(sandbox.world, repository)
    row = sync_row(repository)
    assert row.history_all and row.status == "complete"
    stored = PullRequest.objects.filter(repository=repository).count()
    detail = f"{stored} PRs · {len(older)} older ones imported in the last sync"
    assert shown(repository).detail == detail
    assert history_start(team=acme) is None
    acme.refresh_from_db()
    assert acme.days_back == acme.MAX_DAYS_BACK  # repositories added later reach as far


def test_extending_to_a_window_the_history_already_covers_asks_for_nothing(
    acme, synced_30_days, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        extended = team_history_extend(team=acme, days=20)

    assert extended == []
    assert broker.queues["default"].qsize() == 0
    assert shown(synced_30_days).status == "complete"


def test_an_interrupted_backfill_resumes_and_still_fetches_only_what_is_missing(
    sandbox, acme, synced_30_days, settings, django_capture_on_commit_callbacks
):
    from tformance.sync.repository import repository_sync

    settings.GITHUB_PAGE_SIZE = 5
    repository = synced_30_days
    with django_capture_on_commit_callbacks(execute=True):
        team_history_extend(team=acme, days=365)

    def stop_after_three_pages(progress):
        if progress.pages == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        repository_sync(repository=repository, on_page=stop_after_three_pages)
    assert shown(repository).label == "Queued to continue" and sync_row(repository).backfill

    repository_sync(repository=repository)

    assert_matches_truth(sandbox.world, repository)
    row = sync_row(repository)
    year_ago = timezone.now() - dt.timedelta(days=365)
    assert row.status == "complete" and abs((row.history_from - year_ago).total_seconds()) < 60


def test_the_settings_page_shows_the_history_and_extends_it_for_its_admins(
    client, acme, synced_30_days, broker, django_capture_on_commit_callbacks
):
    admin = MembershipFactory(team=acme, user__username="a@x.io", role=Membership.Role.ADMIN)
    client.force_login(admin.user)
    url = reverse("onboarding:settings", args=[acme.slug])

    page = client.get(url).content.decode()
    assert 'id="history"' in page and "every pull request updated since" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("onboarding:settings_history", args=[acme.slug]), {"window": "730"}, follow=True
        )

    assert response.redirect_chain[-1][0].endswith("#history")
    assert "Importing 2 years of history for 1 repository" in response.content.decode()
    assert broker.queues["default"].qsize() == 1
    row = sync_row(synced_30_days)
    assert row.requested_backfill and row.requested_since is not None


def test_only_admins_may_extend_the_history(client, acme, synced_30_days, outsider):
    member = MembershipFactory(team=acme, user__username="m@x.io").user
    url = reverse("onboarding:settings_history", args=[acme.slug])

    client.force_login(member)
    assert client.post(url, {"window": "all"}).status_code == 403
    client.force_login(outsider)
    assert client.post(url, {"window": "all"}).status_code == 404
    assert not sync_row(synced_30_days).requested_backfill


def test_a_window_that_is_not_offered_is_refused_with_a_message(client, acme, synced_30_days):
    admin = MembershipFactory(team=acme, user__username="a@x.io", role=Membership.Role.ADMIN)
    client.force_login(admin.user)

    response = client.post(
        reverse("onboarding:settings_history", args=[acme.slug]), {"window": "99999"}, follow=True
    )

    assert "Choose how far back the history should reach." in response.content.decode()
    assert not sync_row(synced_30_days).requested_backfill


def test_a_complete_sync_says_what_the_repository_holds_and_the_totals_add_up(
    sandbox, acme, synced_30_days, track
):
    from tformance.onboarding.selectors import team_summary
    from tformance.sync.selectors import team_sync_states

    second = track("acme/web-app")
    sync_repository.fn(repository_id=second.pk)
    sync_repository.fn(repository_id=second.pk)  # nothing asked for: nothing changes
    sandbox.world.add_review("acme/web-app", sandbox.world.all_pulls("acme/web-app")[-1].number)
    from tformance.sync.services import repository_sync_enqueue

    repository_sync_enqueue(repository=second)
    sync_repository.fn(repository_id=second.pk)  # an incremental sync: one PR changed

    states = {s.full_name: s for s in team_sync_states(team=acme)}
    stored = PullRequest.objects.filter(repository=second).count()
    assert states["acme/web-app"].detail == f"{stored} PRs · 1 updated in the last sync"
    assert states["acme/web-app"].counts == f"{stored} PRs"
    summary = team_summary(team=acme)
    assert summary.pull_requests == sum(s.stored for s in states.values())
    assert summary.all_done and "are in" in summary.done_text
