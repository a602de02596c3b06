"""Pull requests over GraphQL against the sandbox: pages, nested connections, hard cases."""

from __future__ import annotations

import pytest

from github_sandbox.world import HARD_CASES_REPO
from tformance.github import errors

OWNER, NAME = HARD_CASES_REPO.split("/")


def _pull_number(sandbox, case: str) -> int:
    return sandbox.world.hard_cases[case].number


def test_pages_cover_every_pull_request_newest_update_first(client, github_sandbox):
    pages = list(client.iter_pull_request_pages(OWNER, NAME, page_size=20))
    pulls = [pr for page in pages for pr in page.pull_requests]
    expected = github_sandbox.world.all_pulls(HARD_CASES_REPO)
    assert len(pulls) == len(expected) == pages[0].total_count
    assert len({pr.number for pr in pulls}) == len(pulls)
    updated = [pr.updated_at for pr in pulls]
    assert updated == sorted(updated, reverse=True)
    assert all(len(page.pull_requests) <= 20 for page in pages)
    assert [page.has_next_page for page in pages] == [True] * (len(pages) - 1) + [False]
    for page in pages:
        assert page.rate_limit is not None
        assert page.rate_limit.cost >= 1 and page.rate_limit.limit > 0
        assert page.rate_limit.reset_at.tzinfo is not None


def test_resume_after_a_cursor(client):
    pages = client.iter_pull_request_pages(OWNER, NAME, page_size=5)
    first = next(pages)
    expected_second = next(pages)
    resumed = next(client.iter_pull_request_pages(OWNER, NAME, after=first.end_cursor, page_size=5))
    assert [p.number for p in resumed.pull_requests] == [
        p.number for p in expected_second.pull_requests
    ]


def test_nested_connections_report_total_and_incomplete(client, github_sandbox):
    many_files = _pull_number(github_sandbox, "many_files")
    pulls = {
        pr.number: pr
        for page in client.iter_pull_request_pages(OWNER, NAME, page_size=25)
        for pr in page.pull_requests
    }
    pr = pulls[many_files]
    assert pr.files.total_count == 320
    assert not pr.files.is_complete and pr.files.has_next_page and pr.files.end_cursor
    assert len(pr.files.items) == client.nested_page_size
    whole = client.complete_pull_request(OWNER, NAME, pr)
    paths = [f.path for f in whole.files.items]
    assert len(paths) == 320 == len(set(paths))


@pytest.mark.parametrize(
    ("case", "kind", "count"),
    [
        ("many_files", "files", 320),
        ("many_commits", "commits", 120),
        ("many_reviews", "reviews", 110),
    ],
)
def test_get_pull_request_completes_nested_lists_past_100(
    client, github_sandbox, case, kind, count
):
    pr = client.get_pull_request(OWNER, NAME, _pull_number(github_sandbox, case))
    connection = getattr(pr, kind)
    assert connection.total_count == count
    assert len(connection.items) == count
    assert connection.is_complete and pr.is_complete


def test_nested_lists_are_paged_to_the_end(client, github_sandbox):
    number = _pull_number(github_sandbox, "many_commits")
    commits = client.get_pull_request(OWNER, NAME, number).commits.items
    assert len(commits) == 120 == len({c.sha for c in commits})
    assert all(len(c.sha) == 40 and c.authored_at.tzinfo for c in commits)
    reviews = client.get_pull_request(
        OWNER, NAME, _pull_number(github_sandbox, "many_reviews")
    ).reviews.items
    assert len(reviews) == 110


def test_commit_fields(client, github_sandbox):
    number = _pull_number(github_sandbox, "many_commits")
    commit = client.get_pull_request(OWNER, NAME, number).commits.items[0]
    assert commit.message
    assert commit.author_name and commit.author_email
    assert commit.committer_name and commit.committed_at
    assert commit.additions >= 0 and commit.deletions >= 0


def test_ghost_author_is_none(client, github_sandbox):
    pr = client.get_pull_request(OWNER, NAME, _pull_number(github_sandbox, "ghost_author"))
    assert pr.author is None


def test_bot_author(client, github_sandbox):
    pr = client.get_pull_request(OWNER, NAME, _pull_number(github_sandbox, "bot_dependabot"))
    assert pr.author is not None and pr.author.is_bot
    assert pr.author.login == "dependabot"  # GraphQL drops the "[bot]" suffix


def test_user_author_and_draft_ready_times(client, github_sandbox):
    draft = client.get_pull_request(OWNER, NAME, _pull_number(github_sandbox, "draft"))
    assert draft.is_draft and draft.ready_for_review_at is None
    assert draft.author is not None and not draft.author.is_bot
    assert draft.author.database_id and draft.author.login == "aiko-tanaka"
    ready = client.get_pull_request(OWNER, NAME, _pull_number(github_sandbox, "ready_after_draft"))
    assert not ready.is_draft
    assert ready.ready_for_review_at is not None
    assert ready.created_at <= ready.ready_for_review_at <= ready.merged_at
    assert ready.state == "MERGED"


def test_unicode_paths(client, github_sandbox):
    pr = client.get_pull_request(OWNER, NAME, _pull_number(github_sandbox, "unicode_paths"))
    paths = {f.path for f in pr.files.items}
    assert {"docs/café menu.md", "src/日本語/ファイル.py", "tests/test_ünïcode.py"} <= paths
    renamed = {f.path for f in pr.files.items if f.change_type == "RENAMED"}
    assert renamed == {"src/new name.py", "src/billing/models.py"}


def test_missing_pull_request_raises_with_every_graphql_error(client):
    with pytest.raises(errors.GraphQLNotFound) as exc_info:
        client.get_pull_request(OWNER, NAME, 987654)
    exc = exc_info.value
    assert isinstance(exc, errors.NotFound) and exc.permanent
    assert exc.errors and all(e["type"] == "NOT_FOUND" for e in exc.errors)
    # GitHub sends data alongside the error; it is kept but the error is not dropped.
    assert exc.data is not None and exc.data["repository"]["pullRequest"] is None


def test_missing_repository_is_not_found(client):
    with pytest.raises(errors.NotFound):
        next(client.iter_pull_request_pages(OWNER, "no-such-repo"))
