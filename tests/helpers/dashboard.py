"""A small, known history for the dashboard: two repositories, people, a bot."""

import datetime as dt

from django.utils import timezone

from tests.helpers.factories import (
    CommitFactory,
    PRFileFactory,
    PRReviewFactory,
    PullRequestFactory,
    RepositorySyncFactory,
    TeamMemberFactory,
)

# The merged PRs of each repository, in turn: (days ago, size, lines added, reviewed, AI).
# Per repository: 5 PRs opened 2-6 days ago, one of each size, 3 reviewed (by the other
# person), 2 AI-assisted (Claude); both repositories: 10 merged, 6 reviewed, 4 AI-assisted.
MERGED = [
    (2, "XS", 5, False, True),
    (3, "S", 30, True, False),
    (4, "M", 150, True, False),
    (5, "L", 400, True, True),
    (6, "XL", 900, False, False),
]


def history(team, *, prs: int = len(MERGED), now=None):
    """`prs` merged PRs per repository, from MERGED (again from the top past its end), each
    with its commits and files; one merged bot PR; one open PR waiting for review."""
    now = now or timezone.now()
    api = RepositorySyncFactory(
        repository__team=team, repository__full_name="acme/api", status="complete"
    ).repository
    web = RepositorySyncFactory(
        repository__team=team, repository__full_name="acme/web", status="complete"
    ).repository
    alice = TeamMemberFactory(team=team, login="alice")
    bob = TeamMemberFactory(team=team, login="bob")
    bot = TeamMemberFactory(team=team, login="dependabot[bot]", is_bot=True)
    created = []
    for i in range(prs):
        days, size, additions, reviewed, ai = MERGED[i % len(MERGED)]
        for repository, author, reviewer in ((api, alice, bob), (web, bob, alice)):
            opened = now - dt.timedelta(days=days, hours=i)
            pr = PullRequestFactory(
                repository=repository,
                author=author,
                opened_at=opened,
                first_commit_at=opened - dt.timedelta(hours=5),
                first_review_at=opened + dt.timedelta(hours=3) if reviewed else None,
                merged_at=opened + dt.timedelta(hours=10),
                size_bucket=size,
                additions=additions,
                deletions=0,
                is_ai_assisted=ai,
                ai_tools=["Claude"] if ai else [],
            )
            if reviewed:
                PRReviewFactory(pull_request=pr, reviewer=reviewer, submitted_at=pr.first_review_at)
            CommitFactory(pull_request=pr, author=author, authored_at=pr.first_commit_at)
            PRFileFactory(
                pull_request=pr, path=f"src/m{i}.py", language="Python", category="backend"
            )
            PRFileFactory(
                pull_request=pr, path=f"web/c{i}.tsx", language="TSX", category="frontend"
            )
            created.append(pr)
    PullRequestFactory(
        repository=api,
        author=bot,
        opened_at=now - dt.timedelta(days=1),
        merged_at=now,
        size_bucket="XS",
    )
    PullRequestFactory(
        repository=web,
        author=alice,
        state="open",
        merged_at=None,
        opened_at=now - dt.timedelta(days=4),
        title="Waiting for someone",
    )
    return {"api": api, "web": web, "alice": alice, "bob": bob, "bot": bot, "prs": created}
