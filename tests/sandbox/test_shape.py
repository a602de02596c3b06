"""The "real" shape: generated histories look like a large open-source Django application's."""

import collections
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from github_sandbox.populate import world_build
from github_sandbox.shape import plan_build

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def real():
    return world_build(now=NOW, prs=1500, repos=4, months=36, shape="real")


def regular_pulls(world):
    """The shaped history: the active repositories' PRs without the deliberate hard cases."""
    hard = {id(pr) for pr in world.hard_cases.values()}
    return [
        pr
        for repo in world.org(world.default_org).repos
        if not repo.archived
        for pr in repo.pulls
        if id(pr) not in hard
    ]


def figures(values):
    ordered, n = sorted(values), len(values)

    def at(q):
        return ordered[min(n - 1, int(q * n))]

    return {
        "mean": sum(ordered) / n,
        "p50": at(0.5),
        "p90": at(0.9),
        "p99": at(0.99),
        "max": ordered[-1],
        "over_50": sum(v > 50 for v in ordered) / n,
        "over_100": sum(v > 100 for v in ordered) / n,
        "over_250": sum(v > 250 for v in ordered),
    }


def share(pulls, test):
    return sum(bool(test(pr)) for pr in pulls) / len(pulls)


def test_the_real_shape_has_the_requested_number_of_prs(real):
    assert len(regular_pulls(real)) == 1500


def test_changed_files_per_pr_follow_the_measured_figures(real):
    files = figures([len(pr.files) for pr in regular_pulls(real)])
    assert 11.0 <= files["mean"] <= 13.5
    assert files["p50"] == 2
    assert 18 <= files["p90"] <= 24
    assert 160 <= files["p99"] <= 220
    assert 1000 <= files["max"] <= 1300
    assert 0.028 <= files["over_50"] <= 0.038
    assert 0.010 <= files["over_100"] <= 0.016


def test_most_prs_are_squash_merged_but_a_few_carry_hundreds_of_commits(real):
    commits = figures([len(pr.commits) for pr in regular_pulls(real)])
    assert 2.5 <= commits["mean"] <= 3.3
    assert commits["p50"] == commits["p90"] == 1
    assert 35 <= commits["p99"] <= 50
    assert 340 <= commits["max"] <= 400
    assert commits["over_250"] == 2


def test_reviews_and_lines_follow_the_measured_figures(real):
    pulls = regular_pulls(real)
    reviews = figures([len(pr.reviews) for pr in pulls])
    assert 1.15 <= reviews["mean"] <= 1.45
    assert (reviews["p50"], reviews["p90"], reviews["p99"]) == (1, 3, 3)
    assert reviews["over_50"] == 0
    lines = figures([pr.additions + pr.deletions for pr in pulls])
    assert 30 <= lines["p50"] <= 45
    assert 480 <= lines["p90"] <= 650
    assert 250_000 <= lines["max"] <= 320_000


def test_outcomes_renames_bots_and_deleted_authors_have_their_shares(real):
    pulls = regular_pulls(real)
    assert share(pulls, lambda pr: pr.merged) == pytest.approx(0.92, abs=0.01)
    assert share(pulls, lambda pr: pr.state == "open") == pytest.approx(0.05, abs=0.01)
    assert share(pulls, lambda pr: pr.state == "closed" and not pr.merged) == pytest.approx(
        0.03, abs=0.01
    )
    renames = share(pulls, lambda pr: any(f.status == "renamed" for f in pr.files))
    assert renames == pytest.approx(0.023, abs=0.004)
    assert all(f.previous_path for pr in pulls for f in pr.files if f.status == "renamed")
    bots = [pr for pr in pulls if pr.author and pr.author.kind == "Bot"]
    assert len(bots) / len(pulls) == pytest.approx(0.03, abs=0.005)
    assert all("dependencies" in pr.labels and len(pr.files) <= 2 for pr in bots)
    ghosts = [pr for pr in pulls if pr.author is None]
    assert len({pr.commits[0].author.name for pr in ghosts}) == 3


def test_the_file_mix_is_python_first_with_templates_translations_and_fonts(real):
    extensions = collections.Counter(
        f.path.rsplit(".", 1)[-1] for pr in regular_pulls(real) for f in pr.files
    )
    total = sum(extensions.values())
    measured = {"py": 11370, "html": 2884, "md": 1116, "po": 685, "mo": 408}
    measured |= {"scss": 231, "yaml": 197, "woff2": 167, "ts": 150, "woff": 136, "txt": 133}
    measured["css"] = 130
    for extension, count in measured.items():
        expected = count / 18300  # 12.2 files x 1,500 PRs
        assert extensions[extension] / total == pytest.approx(expected, rel=0.35), extension
    assert [e for e, _ in extensions.most_common(3)] == ["py", "html", "md"]
    binary = [f for pr in regular_pulls(real) for f in pr.files if f.path.endswith(".woff2")]
    assert binary and all(f.binary and f.additions == f.deletions == 0 for f in binary)


def test_the_biggest_prs_are_a_translation_refresh_a_release_merge_and_vendored_assets(real):
    pulls = regular_pulls(real)
    most_files = max(pulls, key=lambda pr: len(pr.files))
    most_commits = max(pulls, key=lambda pr: len(pr.commits))
    most_lines = max(pulls, key=lambda pr: pr.additions + pr.deletions)
    assert len({id(most_files), id(most_commits), id(most_lines)}) == 3
    assert len(most_files.files) > 1000 and "translation" in most_files.title
    assert sum(f.path.endswith((".po", ".mo")) for f in most_files.files) > 800
    assert len(most_commits.commits) >= 370 and most_commits.head_ref == "develop"
    assert most_lines.additions + most_lines.deletions > 280_000
    assert all(f.path.startswith("static/vendor/") for f in most_lines.files)


def test_the_hard_cases_stay_beside_the_real_shape(real):
    cases = real.hard_cases
    everything = real.all_pulls()
    assert max(len(pr.reviews) for pr in everything) > 100
    assert max(len(pr.files) for pr in everything) > 300
    assert max(len(pr.commits) for pr in everything) > 250
    assert cases["markup_text"].title.startswith("<script>")
    assert cases["formula_text"].title.startswith("=")
    assert any(f.path.startswith("reports/=") for f in cases["formula_text"].files)
    assert "🚀" in cases["unicode_text"].title
    assert "docs/café menu.md" in {f.path for f in cases["unicode_paths"].files}


def test_the_real_shape_is_seeded_and_deterministic():
    def snapshot(world):
        return [
            (pr.number, pr.title, [(f.path, f.additions) for f in pr.files], len(pr.commits))
            for pr in world.all_pulls()
        ]

    one = world_build(now=NOW, prs=300, months=36, shape="real", seed=5)
    assert snapshot(one) == snapshot(world_build(now=NOW, prs=300, months=36, shape="real", seed=5))
    assert snapshot(one) != snapshot(world_build(now=NOW, prs=300, months=36, shape="real", seed=6))


def test_a_plan_of_any_size_keeps_the_shares():
    for n in (10, 200, 4000):
        plan = plan_build(n, seed=1)
        assert len(plan) == n
        merged = sum(spec.outcome == "merged" for spec in plan)
        assert merged == pytest.approx(0.92 * n, abs=2)


def test_twenty_thousand_prs_fit_in_a_few_hundred_megabytes():
    """In a fresh process, so its peak is the generation's own. (Its time, ~8 s on the
    shared 2-core machine, is for `bench/`: CI does not depend on machine speed.)"""
    code = (
        "import resource\n"
        "from datetime import UTC, datetime\n"
        "from github_sandbox.populate import world_build\n"
        "world = world_build(now=datetime(2025, 6, 1, tzinfo=UTC), prs=20000, months=36,"
        " shape='real')\n"
        "print(len(world.all_pulls()), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    pulls, peak_kb = map(int, out.stdout.split())
    assert pulls > 20000
    assert peak_kb / 1024 < 400  # ~175 MB measured
