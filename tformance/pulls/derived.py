"""What is derived from a pull request as GitHub sent it, once, when the sync writes it.

Plain functions of a complete `PullRequestRecord`; the sync writer stores their results on
the PR row, and the metrics read those columns.
"""

import datetime as dt
import re

from tformance.github.types import Actor, PullRequestRecord, ReviewRecord
from tformance.pulls.ai_detection import detect_ai_tools
from tformance.pulls.models import SIZE_MAX_LINES, PRReview, PullRequest

# GitHub's REST API lists at most this many files and commits of one pull request; GraphQL
# pages past them. Should GitHub still stop at a cap, the PR records that it was capped,
# and fewer stored children than GitHub counts are accepted only then.
# Reference: https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files
FILES_CAP = 3000
# Reference: https://docs.github.com/en/rest/pulls/pulls#list-commits-on-a-pull-request
COMMITS_CAP = 250


def size_bucket(*, additions: int, deletions: int) -> PullRequest.Size:
    """The smallest size whose `SIZE_MAX_LINES` the PR's changed lines fit in."""
    lines = additions + deletions
    for size, most in SIZE_MAX_LINES.items():
        if lines <= most:
            return PullRequest.Size(size)
    return PullRequest.Size.XL


def _person(actor: Actor | None) -> int | None:
    # Deleted accounts (no actor, or no id) are all the one ghost.
    return actor.database_id if actor is not None else None


def review_by_other(review: ReviewRecord, *, author: Actor | None) -> bool:
    """A submitted, not pending review by someone other than the PR's author.

    The rule of `metrics.expressions.review_by_other`, applied to a record before it is stored.
    """
    return (
        review.submitted_at is not None
        # GitHub's states, lower-cased, are PRReview's (as the writer stores them).
        and review.state.lower() != PRReview.State.PENDING
        and _person(review.author) != _person(author)
    )


def first_review_at(record: PullRequestRecord) -> dt.datetime | None:
    """The first review by someone other than the author; a bot's review is no pickup."""
    return min(
        (
            r.submitted_at
            for r in record.reviews.items
            if review_by_other(r, author=record.author) and not (r.author and r.author.is_bot)
        ),
        default=None,
    )


def first_commit_at(record: PullRequestRecord) -> dt.datetime | None:
    return min((c.authored_at for c in record.commits.items if c.authored_at), default=None)


def ai_tools(record: PullRequestRecord, *, author_login: str | None) -> list[str]:
    """The AI tools the PR's text, its commits or its author (as REST names it) show."""
    return detect_ai_tools(
        body=record.body,
        commit_messages=[c.message for c in record.commits.items],
        author_login=author_login,
    )


def files_total(record: PullRequestRecord) -> int:
    # `changedFiles` guards against GitHub answering `files: null` for a diff it could not
    # compute, which would otherwise look like a PR without files.
    return max(record.files.total_count, record.changed_files)


def _capped(received: int, total: int, cap: int) -> bool:
    return received < total and received >= cap


def files_capped(record: PullRequestRecord) -> bool:
    return _capped(len(record.files.items), files_total(record), FILES_CAP)


def commits_capped(record: PullRequestRecord) -> bool:
    return _capped(len(record.commits.items), record.commits.total_count, COMMITS_CAP)


# A Jira issue key: the project's key (a capital letter, then capitals or digits), a hyphen
# and the issue's number, not inside a longer word or number.
# Reference: https://support.atlassian.com/jira-software-cloud/docs/reference-issues-in-your-development-work/
ISSUE_KEY = re.compile(r"(?<![A-Za-z0-9])([A-Z][A-Z0-9]+-[0-9]+)(?![A-Za-z0-9])")


def issue_keys(*, head_ref: str, title: str, body: str) -> list[str]:
    """The issue keys a PR mentions, each once, in order of trust: its branch name, its
    title, then its body (each in the order they appear)."""
    found: dict[str, None] = {}
    for text in (head_ref, title, body):
        for key in ISSUE_KEY.findall(text or ""):
            found.setdefault(key, None)
    return list(found)
