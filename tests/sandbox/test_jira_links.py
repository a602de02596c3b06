"""GitHub agrees with Jira: pull requests carry the keys of seeded issues where people put them."""

from datetime import UTC, datetime

from github_sandbox.jira.links import keys_in
from github_sandbox.populate import world_build

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def linkable(world):
    """People's and Devin's PRs outside the hard cases: the ones that may carry keys."""
    hard = {id(pr) for pr in world.hard_cases.values()}
    return [
        pr
        for pr in world.all_pulls()
        if id(pr) not in hard
        and not pr.repo.archived
        and pr.head_ref != "develop"
        and not (pr.author and pr.author.login == "dependabot[bot]")
    ]


def check_links(world):
    jira = world.jira
    pulls = linkable(world)
    mentioned = {
        (pr.repo.full_name, pr.number): keys_in(pr.head_ref, pr.title, pr.body) for pr in pulls
    }
    seeded = {k: [key for key in keys if key in jira.by_key] for k, keys in mentioned.items()}
    # every key a PR mentions is a seeded issue, except the made-up project ABC
    assert all(
        key in jira.by_key or key.startswith("ABC-") for keys in mentioned.values() for key in keys
    )
    assert {k: v for k, v in seeded.items() if v} == jira.pr_keys
    share = len(jira.pr_keys) / len(pulls)
    assert 0.6 <= share <= 0.85, share
    return pulls, mentioned


def test_most_default_prs_carry_a_seeded_issue_key():
    world = world_build(now=NOW, prs=400)
    pulls, mentioned = check_links(world)
    in_branch = [
        pr for pr in pulls if keys_in(pr.head_ref) and not keys_in(pr.head_ref)[0].startswith("ABC")
    ]
    assert len(in_branch) / len(pulls) > 0.45
    assert any(pr.head_ref.startswith("feature/CORE-") for pr in pulls)
    assert any(pr.title.startswith("[") and keys_in(pr.title) for pr in pulls)
    assert any(keys_in(pr.title) and pr.title.split(":")[0] in keys_in(pr.title) for pr in pulls)
    body_only = [pr for pr in pulls if keys_in(pr.body) and not keys_in(pr.head_ref, pr.title)]
    assert body_only
    assert any(len(keys) == 2 for keys in world.jira.pr_keys.values())
    assert any(keys and all(k.startswith("ABC-") for k in keys) for keys in mentioned.values())
    assert any(not keys for keys in mentioned.values())


def test_real_shaped_prs_carry_keys_too():
    world = world_build(now=NOW, prs=400, shape="real")
    check_links(world)


def test_a_linked_issue_was_opened_before_its_pull_request_mostly():
    world = world_build(now=NOW, prs=400)
    prs = {(pr.repo.full_name, pr.number): pr for pr in world.all_pulls()}
    pairs = [
        (world.jira.by_key[key], prs[ref])
        for ref, keys in world.jira.pr_keys.items()
        for key in keys
    ]
    before = sum(1 for issue, pr in pairs if issue.created <= pr.created_at)
    assert before / len(pairs) > 0.9


def test_bots_hard_cases_and_the_release_merge_keep_their_text():
    world = world_build(now=NOW, prs=400, shape="real")
    for pr in world.all_pulls():
        if pr.author and pr.author.login == "dependabot[bot]":
            assert not keys_in(pr.head_ref, pr.title, pr.body)
    assert not any(keys_in(pr.title, pr.head_ref) for pr in world.hard_cases.values())


def test_the_keys_agree_over_http(github_sandbox, jira, make_client):
    world = github_sandbox.world
    (repo, number), keys = next(iter(world.jira.pr_keys.items()))
    owner, name = repo.split("/")
    pr = make_client(github_sandbox).get(f"/repos/{owner}/{name}/pulls/{number}").json()
    assert keys[0] in " ".join([pr["head"]["ref"], pr["title"], pr["body"] or ""])
    found = jira.search(f"key = {keys[0]}", fields=["summary"]).json()["issues"]
    assert [i["key"] for i in found] == [keys[0]]
