"""Write one pull request whole: the PR, its people, reviews, commits and files, or nothing.

Called once per PR inside the sync loop. Everything happens in one transaction, and the
stored child counts are checked against GitHub's totalCount before it commits, so a PR row
never exists without all of its children.
"""

import logging

from django.db import OperationalError, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from tformance.github.types import PullRequestRecord
from tformance.pulls import derived
from tformance.pulls.models import Commit, PRFile, PRReview, PullRequest, TrackedRepository
from tformance.pulls.techstack import file_classify
from tformance.sync.errors import IncompletePullRequest
from tformance.sync.people import actor_login, team_member_ghost, team_members_upsert

logger = logging.getLogger(__name__)
DEADLOCK_ATTEMPTS = 3


def pull_request_write(
    *,
    repository: TrackedRepository,
    record: PullRequestRecord,
    ghost_pk: int | None = None,
) -> PullRequest:
    """Upsert `record` (complete: `GitHubClient.complete_pull_request`) in one transaction.

    `ghost_pk` (the team's ghost member) saves a query per PR when the caller has it.
    """
    for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                people = _people(repository=repository, record=record, ghost_pk=ghost_pk)
                pr = _pull_request_upsert(repository=repository, record=record, people=people)
                _reviews_replace(pr=pr, record=record, people=people)
                _commits_replace(pr=pr, record=record, people=people)
                _files_replace(pr=pr, record=record)
                _check_complete(pr=pr, record=record)
            return pr
        except OperationalError as exc:
            # PostgreSQL broke a deadlock with another sync by rolling this PR back;
            # the write is idempotent, so it is simply done again.
            if (
                attempt == DEADLOCK_ATTEMPTS
                or not _is_deadlock(exc)
                or transaction.get_connection().in_atomic_block
            ):
                raise
            logger.info("[sync] #%s deadlocked with another sync; retry %d", record.number, attempt)
    raise AssertionError("unreachable")


def _is_deadlock(exc: OperationalError) -> bool:
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    return sqlstate in ("40P01", "40001")  # deadlock_detected, serialization_failure


def _people(*, repository: TrackedRepository, record: PullRequestRecord, ghost_pk) -> dict:
    actors = [record.author, *(r.author for r in record.reviews.items)]
    logins = []
    for c in record.commits.items:
        logins.append((c.author_database_id, c.author_login or ""))
        logins.append((c.committer_database_id, c.committer_login or ""))
    people: dict = team_members_upsert(team=repository.team, actors=actors, logins=logins)
    people["ghost"] = ghost_pk or team_member_ghost(team=repository.team).pk
    return people


def _actor_pk(actor, people: dict) -> int:
    if actor is None or actor.database_id is None:
        return people["ghost"]
    return people[actor.database_id]


def _pull_request_upsert(*, repository, record: PullRequestRecord, people: dict) -> PullRequest:
    author_login = actor_login(record.author) if record.author else None
    tools = derived.ai_tools(record, author_login=author_login)
    fields = {
        "team": repository.team,
        "github_node_id": record.node_id,
        "github_id": record.database_id or 0,
        "title": record.title,
        "body": record.body,
        "state": record.state.lower(),
        "is_draft": record.is_draft,
        "author_id": _actor_pk(record.author, people),
        "base_ref": record.base_ref,
        "head_ref": record.head_ref,
        "url": record.url,
        "opened_at": record.created_at,
        "github_updated_at": record.updated_at,
        "ready_for_review_at": record.ready_for_review_at,
        "merged_at": record.merged_at,
        "closed_at": record.closed_at,
        "additions": record.additions,
        "deletions": record.deletions,
        "changed_files": record.changed_files,
        "commits_count": record.commits.total_count,
        "files_total": derived.files_total(record),
        "commits_total": record.commits.total_count,
        "reviews_total": record.reviews.total_count,
        "files_capped": derived.files_capped(record),
        "commits_capped": derived.commits_capped(record),
        "first_commit_at": derived.first_commit_at(record),
        "first_review_at": derived.first_review_at(record),
        "size_bucket": derived.size_bucket(additions=record.additions, deletions=record.deletions),
        "is_ai_assisted": bool(tools),
        "ai_tools": tools,
        "synced_at": timezone.now(),
    }
    # One INSERT … ON CONFLICT instead of update_or_create's SELECT, savepoint and UPDATE.
    [pr] = PullRequest.objects.bulk_create(
        [PullRequest(repository=repository, number=record.number, **fields)],
        update_conflicts=True,
        unique_fields=["repository", "number"],
        update_fields=[
            name.removesuffix("_id") if name == "author_id" else name for name in fields
        ],
    )
    pr.repository = repository
    return pr


def _reviews_replace(*, pr: PullRequest, record: PullRequestRecord, people: dict) -> None:
    rows = [
        PRReview(
            team_id=pr.team_id,
            pull_request=pr,
            github_id=r.database_id,
            reviewer_id=_actor_pk(r.author, people),
            state=r.state.lower(),
            submitted_at=r.submitted_at,
            body_length=len(r.body or ""),
        )
        for r in record.reviews.items
    ]
    _replace(
        PRReview,
        pr=pr,
        rows=rows,
        key="github_id",
        update_fields=["reviewer", "state", "submitted_at", "body_length"],
    )


def _commits_replace(*, pr: PullRequest, record: PullRequestRecord, people: dict) -> None:
    rows = [
        Commit(
            team_id=pr.team_id,
            pull_request=pr,
            sha=c.sha,
            author_id=people.get(c.author_database_id),
            author_name=c.author_name or "",
            author_email=c.author_email or "",
            committer_id=people.get(c.committer_database_id),
            committer_name=c.committer_name or "",
            committer_email=c.committer_email or "",
            message=c.message,
            authored_at=c.authored_at,
            committed_at=c.committed_at,
            additions=c.additions,
            deletions=c.deletions,
        )
        for c in record.commits.items
    ]
    _replace(
        Commit,
        pr=pr,
        rows=rows,
        key="sha",
        update_fields=[
            "author",
            "author_name",
            "author_email",
            "committer",
            "committer_name",
            "committer_email",
            "message",
            "authored_at",
            "committed_at",
            "additions",
            "deletions",
        ],
    )


def _files_replace(*, pr: PullRequest, record: PullRequestRecord) -> None:
    rows = []
    for f in record.files.items:
        language, category = file_classify(f.path)
        rows.append(
            PRFile(
                team_id=pr.team_id,
                pull_request=pr,
                path=f.path,
                previous_path=f.previous_path,
                change_type=f.change_type.lower(),
                additions=f.additions,
                deletions=f.deletions,
                language=language,
                category=category,
            )
        )
    _replace(
        PRFile,
        pr=pr,
        rows=rows,
        key="path",
        update_fields=[
            "previous_path",
            "change_type",
            "additions",
            "deletions",
            "language",
            "category",
        ],
    )


def _replace(model, *, pr: PullRequest, rows: list, key: str, update_fields: list[str]) -> None:
    """Make the PR's children exactly `rows`: upsert on the natural key, delete the rest."""
    if rows:
        model.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["pull_request", key],
            update_fields=update_fields,
        )
    model.objects.filter(pull_request=pr).exclude(
        **{f"{key}__in": [getattr(r, key) for r in rows]}
    ).delete()


def _count(model):
    """The PR's number of `model` rows, as a subquery (one query checks all three)."""
    rows = (
        model.objects.filter(pull_request=OuterRef("pk"))
        .order_by()
        .values("pull_request")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _check_complete(*, pr: PullRequest, record: PullRequestRecord) -> None:
    """Fail (and roll back the PR) unless the stored children match GitHub's counts."""
    counts = PullRequest.objects.filter(pk=pr.pk).values(
        n_files=_count(PRFile), n_commits=_count(Commit), n_reviews=_count(PRReview)
    )
    stored = {name.removeprefix("n_"): n for name, n in counts.get().items()}
    expected = {
        "files": derived.FILES_CAP if pr.files_capped else pr.files_total,
        "commits": derived.COMMITS_CAP if pr.commits_capped else pr.commits_total,
        "reviews": pr.reviews_total,
    }
    wrong = [
        f"{k}: stored {stored[k]}, GitHub has {expected[k]}"
        for k in expected
        if stored[k] != expected[k]
    ]
    if wrong:
        raise IncompletePullRequest(
            f"{pr.repository.full_name}#{pr.number} is incomplete ({'; '.join(wrong)})."
        )
