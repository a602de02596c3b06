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


def history(team, *, prs: int = 5, now=None):
    """`prs` merged PRs per repository with reviews, commits and files; one bot PR; one open."""
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
        for repository, author, reviewer in ((api, alice, bob), (web, bob, alice)):
            opened = now - dt.timedelta(days=2 + i % 20, hours=i)
            pr = PullRequestFactory(
                repository=repository,
                author=author,
                opened_at=opened,
                first_commit_at=opened - dt.timedelta(hours=5),
                first_review_at=opened + dt.timedelta(hours=3) if i % 4 else None,
                merged_at=opened + dt.timedelta(hours=10),
                size_bucket=["XS", "S", "M", "L", "XL"][i % 5],
                additions=[5, 30, 150, 400, 900][i % 5],
                deletions=0,
                is_ai_assisted=i % 3 == 0,
                ai_tools=["Claude"] if i % 3 == 0 else [],
            )
            if i % 4:
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
