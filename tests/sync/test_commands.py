"""`manage.py connect_github` and `manage.py resync`, as an operator runs them."""

import pytest
from django.core.management import CommandError

from github_sandbox.world import DEFAULT_ORG, HARD_CASES_REPO
from tests.helpers.sync import assert_matches_truth, run, sync_row
from tformance.github.models import GitHubIntegration
from tformance.pulls.models import (
    Commit,
    PRFile,
    PRReview,
    PullRequest,
    TeamMember,
    TrackedRepository,
)
from tformance.teams.models import Team

pytestmark = pytest.mark.django_db


def test_connect_github_sets_up_a_team_as_the_wizard_would(sandbox, monkeypatch):
    monkeypatch.setenv("ACME_TOKEN", sandbox.token)

    out, err = run(
        "connect_github",
        "--org",
        DEFAULT_ORG,
        "--token-env",
        "ACME_TOKEN",
        "--repos",
        HARD_CASES_REPO,
        "--days-back",
        "30",
    )

    assert out.strip() == "acme"
    team = Team.objects.get(slug="acme")
    assert team.days_back == 30
    integration = GitHubIntegration.objects.get(team=team)
    assert integration.access_token == sandbox.token
    assert integration.connection_method == "pat" and "read:org" in integration.scopes
    assert list(TrackedRepository.objects.values_list("full_name", flat=True)) == [HARD_CASES_REPO]
    members = sandbox.world.org_members(DEFAULT_ORG)
    assert TeamMember.objects.filter(team=team, is_active=True).count() == len(members)
    assert sandbox.token not in out + err


def test_connect_github_rejects_a_bad_token_before_saving_anything(sandbox, monkeypatch):
    monkeypatch.setenv("ACME_TOKEN", "ghp_not_a_real_token_at_all_000000000000")

    with pytest.raises(CommandError, match="GitHub rejected the token"):
        run("connect_github", "--org", DEFAULT_ORG, "--token-env", "ACME_TOKEN", "--all-repos")

    assert not Team.objects.exists()


def test_connect_github_names_missing_scopes(sandbox, monkeypatch):
    monkeypatch.setenv("ACME_TOKEN", sandbox.issue_token(scopes=["repo"]))

    with pytest.raises(CommandError, match=r"missing the scopes: read:org"):
        run("connect_github", "--org", DEFAULT_ORG, "--token-env", "ACME_TOKEN", "--all-repos")


def test_resync_runs_in_the_foreground_and_prints_a_summary(sandbox, track):
    repository = track(HARD_CASES_REPO)

    out, _ = run("resync", "--team", "acme")

    assert "Sync summary" in out and HARD_CASES_REPO in out
    count = assert_matches_truth(sandbox.world, repository)
    assert f"│ {count} " in out.replace("  ", " ") or str(count) in out


def summary_row(out: str, repository: str) -> list[str]:
    [line] = [line for line in out.splitlines() if f"acme: {repository}" in line]
    return [cell.strip() for cell in line.strip("│ ").split("│")]


def test_resync_waits_out_a_rate_limit_and_its_summary_counts_every_pr(sandbox, track):
    repository = track(HARD_CASES_REPO)
    # Four points run out mid-page, while the sync completes a big PR's nested lists, after
    # it wrote the PRs before it; the window resets a second after it ran out.
    sandbox.faults.update(graphql_budget=4, window_seconds=1, window_from_exhaustion=True)

    out, _ = run("resync", "--repo", HARD_CASES_REPO)

    assert sandbox.stats.primary_limited_graphql >= 1
    count = assert_matches_truth(sandbox.world, repository)
    _, result, prs, reviews, commits, files, *_ = summary_row(out, HARD_CASES_REPO)
    assert result == "ok"
    assert int(prs) == count == PullRequest.objects.filter(repository=repository).count()
    assert int(reviews) == PRReview.objects.filter(pull_request__repository=repository).count()
    assert int(commits) == Commit.objects.filter(pull_request__repository=repository).count()
    assert int(files) == PRFile.objects.filter(pull_request__repository=repository).count()


def test_resync_exits_non_zero_when_a_repository_fails(sandbox, track):
    track(HARD_CASES_REPO)
    sandbox.revoke_token(sandbox.token)

    with pytest.raises(CommandError, match="1 of 1 repositories failed"):
        run("resync", "--repo", HARD_CASES_REPO)

    row = sync_row(TrackedRepository.objects.get())
    assert row.status == "error"
    assert "GitHub rejected the token" in row.error


def test_resync_enqueue_hands_the_work_to_workers(
    sandbox, track, django_capture_on_commit_callbacks
):
    import dramatiq

    track(HARD_CASES_REPO)
    broker = dramatiq.get_broker()
    broker.flush_all()

    with django_capture_on_commit_callbacks(execute=True):
        out, _ = run("resync", "--enqueue", "--full")

    assert "queued acme: acme/monolith" in out
    assert broker.queues["default"].qsize() == 1
    assert PullRequest.objects.count() == 0
    broker.flush_all()


def test_resync_refuses_an_unknown_repository(sandbox, track):
    track(HARD_CASES_REPO)

    with pytest.raises(CommandError, match="Not tracked: acme/nope"):
        run("resync", "--repo", "acme/nope")
