"""Which issue keys a PR mentions, as the sync stores them."""

import pytest

from tformance.pulls.derived import issue_keys


@pytest.mark.parametrize(
    ("head_ref", "title", "body", "keys"),
    [
        ("feature/CORE-123-add-login", "Add login", "", ["CORE-123"]),
        ("main", "CORE-12: fix the build", "", ["CORE-12"]),
        ("fix", "[WEB-45] Buttons", "Closes CORE-2.\nSee WEB-45 too.", ["WEB-45", "CORE-2"]),
        ("CORE-7_hotfix", "Hotfix", "", ["CORE-7"]),
        ("x", "CORE-1a, xCORE-2, core-3, A-1, CORE-", "", []),
        ("WEB-2", "CORE-1 and CORE-1", "CORE-1", ["WEB-2", "CORE-1"]),
    ],
)
def test_a_pull_request_mentions_the_keys_of_its_branch_then_title_then_body(
    head_ref, title, body, keys
):
    assert issue_keys(head_ref=head_ref, title=title, body=body) == keys
