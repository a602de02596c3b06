"""The generated world: determinism, hard cases, invariants and changes."""

from datetime import UTC, datetime

from github_sandbox.populate import world_build
from github_sandbox.world import DEFAULT_ORG, HARD_CASES_REPO, SECOND_ORG, VIEWER_LOGIN

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


def snapshot(world):
    return [
        (
            p.repo.full_name,
            p.number,
            p.title,
            p.body,
            p.updated_at,
            p.author and p.author.login,
            [(f.path, f.additions) for f in p.files],
            [c.sha for c in p.commits],
            [(r.state, r.author.login) for r in p.reviews],
        )
        for p in world.all_pulls()
    ]


def test_the_same_seed_and_now_give_identical_data():
    assert snapshot(world_build(seed=7, now=NOW)) == snapshot(world_build(seed=7, now=NOW))


def test_another_seed_gives_different_data():
    assert snapshot(world_build(seed=7, now=NOW)) != snapshot(world_build(seed=8, now=NOW))


def test_the_default_world_is_small_and_has_the_expected_shape():
    world = world_build(now=NOW)
    org = world.org(DEFAULT_ORG)
    assert org.members[VIEWER_LOGIN] == "admin"
    assert VIEWER_LOGIN in world.org(SECOND_ORG).members
    assert len([m for m in world.org_members(DEFAULT_ORG) if m.kind == "User"]) == 10
    assert {"dependabot[bot]", "devin-ai-integration[bot]"} <= set(world.accounts)
    assert sum(r.archived for r in org.repos) == 1
    assert len([r for r in org.repos if not r.archived]) == 4
    assert 120 <= len(world.all_pulls()) <= 160


def test_the_hard_cases_have_their_promised_child_counts():
    world = world_build(now=NOW, prs=10)
    cases = world.hard_cases
    assert all(pr.repo.full_name == HARD_CASES_REPO for pr in cases.values())
    assert len(cases["many_files"].files) > 300
    assert len(cases["many_commits"].commits) > 100
    assert len(cases["many_reviews"].reviews) > 100
    assert cases["draft"].draft and cases["draft"].state == "open"
    assert cases["open"].state == "open" and not cases["open"].draft
    assert cases["closed_unmerged"].state == "closed" and not cases["closed_unmerged"].merged
    assert cases["ghost_author"].author is None
    assert cases["bot_dependabot"].author.kind == "Bot"
    assert cases["merged_without_review"].merged and not cases["merged_without_review"].reviews
    kinds = [e.kind for e in cases["ready_after_draft"].events]
    assert kinds == ["ReadyForReviewEvent", "ConvertToDraftEvent", "ReadyForReviewEvent"]


def test_hard_case_numbers_do_not_depend_on_size_parameters():
    small, big = world_build(now=NOW, prs=5), world_build(now=NOW, prs=300, repos=6)
    assert {k: p.number for k, p in small.hard_cases.items()} == {
        k: p.number for k, p in big.hard_cases.items()
    }


def test_unicode_renamed_and_binary_files_are_present():
    pr = world_build(now=NOW).hard_cases["unicode_paths"]
    paths = {f.path: f for f in pr.files}
    assert "docs/café menu.md" in paths and "src/日本語/ファイル.py" in paths
    assert paths["src/new name.py"].previous_path == "src/old_name.py"
    assert paths["assets/logo 2x.png"].binary
    assert (paths["assets/logo 2x.png"].additions, paths["assets/logo 2x.png"].deletions) == (0, 0)


def test_ai_markers_and_negative_examples_exist():
    world = world_build(now=NOW)
    trailers = "\n".join(c.message for c in world.hard_cases["ai_trailers"].commits)
    assert "Co-authored-by: Claude <noreply@anthropic.com>" in trailers
    assert "Copilot" in trailers and "Cursor" in trailers
    assert "Generated with [Claude Code]" in world.hard_cases["ai_trailers"].body
    assert "No AI was used" in world.hard_cases["no_ai_negative"].body


def test_updated_at_is_never_before_a_child_timestamp():
    for pr in world_build(now=NOW, prs=300).all_pulls():
        children = [r.submitted_at for r in pr.reviews] + [e.created_at for e in pr.events]
        children += [c.committer.date for c in pr.commits] + [pr.merged_at, pr.closed_at]
        assert all(pr.updated_at >= t for t in children if t), pr.number
        assert all(c.author.date <= pr.created_at for c in pr.commits)


def test_pull_numbers_follow_creation_order():
    for repo in world_build(now=NOW, prs=200).repos.values():
        created = [p.created_at for p in repo.pulls]
        assert created == sorted(created), repo.full_name


def test_pushed_at_is_spread_across_repositories():
    world = world_build(now=NOW, repos=6, prs=200)
    assert len({r.pushed_at for r in world.repos.values()}) == len(world.repos)


def test_changes_bump_updated_at_past_everything_else():
    world = world_build(now=NOW)
    newest = max(p.updated_at for p in world.all_pulls())
    review = world.add_review(HARD_CASES_REPO, 6, state="CHANGES_REQUESTED")
    assert review.pull.updated_at > newest
    commit = world.add_commit(HARD_CASES_REPO, 4)
    assert world.pull_truth(HARD_CASES_REPO, 4)["updated_at"] == commit.committer.date
    merged = world.merge_pull_request(HARD_CASES_REPO, 6)
    assert merged.merged and merged.merged_at == merged.updated_at > review.submitted_at
    closed = world.close_pull_request(HARD_CASES_REPO, 7)
    assert closed.closed_at == closed.updated_at
    [new] = world.add_pull_requests(HARD_CASES_REPO)
    assert new.number == len(world.repo_by_full_name(HARD_CASES_REPO).pulls)
    assert new.updated_at > closed.updated_at and world.nodes[new.node_id] is new


def test_ground_truth_reports_child_counts():
    world = world_build(now=NOW)
    truth = world.pull_truth(HARD_CASES_REPO, world.hard_cases["many_reviews"].number)
    assert truth["reviews"] == 110 and truth["state"] == "MERGED"
