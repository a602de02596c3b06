"""The PRs behind every number: one filtered, sortable list (and its CSV export)."""

import dataclasses

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Now

from tformance.metrics.expressions import (
    merged_unreviewed,
    waiting_for_review,
    waiting_since,
)
from tformance.metrics.filters import MetricFilters, pull_requests_scoped
from tformance.pulls.durations import (
    DurationSeconds,
    reviewed_before_merge,
)
from tformance.pulls.models import PRFile, PRReview, PullRequest
from tformance.pulls.techstack import EXCLUDED_BY_DEFAULT

# Sort keys offered by the list: name -> ORM ordering (ascending).
SORTS = {
    "opened": "opened_at",
    "merged": "merged_at",
    "cycle": "cycle_seconds",
    "coding": "coding_seconds",
    "pickup": "pickup_seconds",
    "review": "review_seconds",
    "first_review": "first_review_seconds",
    "waiting": "waiting_seconds",
    "size": "lines",
    "reviews": "review_count",
    "repository": "repository__full_name",
    "author": "author__login",
}
DEFAULT_SORT = "-opened"


class PullRequestList(models.TextChoices):
    """Which PRs a list holds (`PullRequestQuery.state`); each is the base of a number on
    the overview."""

    OPENED = "", "Opened in the period"
    MERGED = "merged", "Merged in the period"
    REVIEWED = "reviewed", "Merged after a review"
    FIRST_REVIEW = "first_review", "First reviewed in the period"
    WAITING = "waiting", "Waiting for a first review"
    OPEN = "open", "Still open"
    CLOSED = "closed", "Closed unmerged"


# Each list: the time the period applies to (None: any period) and what else they must be.
LISTS = {
    PullRequestList.OPENED: ("opened_at", Q()),
    # throughput, cycle, coding
    PullRequestList.MERGED: ("merged_at", Q(state=PullRequest.State.MERGED)),
    # pickup and review stages
    PullRequestList.REVIEWED: ("merged_at", reviewed_before_merge()),
    # time to first review
    PullRequestList.FIRST_REVIEW: ("first_review_at", Q()),
    # needs attention: waiting now
    PullRequestList.WAITING: (None, waiting_for_review()),
    PullRequestList.OPEN: ("opened_at", Q(state=PullRequest.State.OPEN)),
    PullRequestList.CLOSED: ("opened_at", Q(state=PullRequest.State.CLOSED)),
}
# The lists of PRs opened in the period: with a reviewer, the period moves to their reviews.
OPENED_LISTS = (PullRequestList.OPENED, PullRequestList.OPEN, PullRequestList.CLOSED)


@dataclasses.dataclass(frozen=True)
class PullRequestQuery:
    """Narrowing on top of `MetricFilters` that the dashboard's links ask for."""

    state: str = PullRequestList.OPENED
    size: str = ""
    ai: str = ""  # "", "yes", "no"
    unreviewed: bool = False
    category: str = ""
    language: str = ""
    reviewer_id: int | None = None
    ids: tuple[int, ...] = ()
    sort: str = DEFAULT_SORT

    @property
    def is_waiting(self) -> bool:
        return self.state == PullRequestList.WAITING

    def as_data(self) -> dict:
        """What differs from the defaults, as JSON can store it (an insight's list)."""
        default = PullRequestQuery()
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.name != "ids" and getattr(self, f.name) != getattr(default, f.name)
        }

    @classmethod
    def from_data(cls, data: dict) -> "PullRequestQuery":
        names = {f.name for f in dataclasses.fields(cls)} - {"ids"}
        return cls(**{k: v for k, v in data.items() if k in names})


def pull_request_table(*, filters: MetricFilters, query: PullRequestQuery) -> QuerySet[PullRequest]:
    """The filtered PRs (their durations and review count stored), waiting time and size
    annotated.

    `query.state` picks the list (`LISTS`) and the time its period applies to; `unreviewed`
    means merged in the period, and a `reviewer` moves the period to their reviews. A
    list of `ids` (from an insight link of before) ignores the period.
    """
    qs = pull_requests_scoped(filters=filters)
    field, narrowing = LISTS.get(query.state, LISTS[PullRequestList.OPENED])
    if query.unreviewed and field == "opened_at":
        field = "merged_at"
    if query.ids:
        qs, field = qs.filter(pk__in=query.ids), None
    elif query.reviewer_id is not None and query.state in OPENED_LISTS:
        field = None  # the period applies to the reviews
    if field is not None:
        qs = qs.filter(**{f"{field}__gte": filters.start, f"{field}__lt": filters.end})
    qs = qs.filter(narrowing)
    if query.size:
        qs = qs.filter(size_bucket=query.size)
    if query.ai:
        qs = qs.filter(is_ai_assisted=query.ai == "yes")
    if query.unreviewed:
        qs = qs.filter(merged_unreviewed())
    if query.category or query.language:
        files = PRFile.objects.filter(pull_request=OuterRef("pk"))
        if query.category:
            files = files.filter(category=query.category)
        if query.language:
            files = files.filter(language=query.language)
        if not filters.include_generated:
            files = files.exclude(category__in=EXCLUDED_BY_DEFAULT)
        qs = qs.filter(Exists(files))
    if query.reviewer_id is not None:
        reviews = PRReview.objects.filter(
            by_other=True,
            pull_request=OuterRef("pk"),
            reviewer_id=query.reviewer_id,
            submitted_at__gte=filters.start,
            submitted_at__lt=filters.end,
        )
        qs = qs.filter(Exists(reviews))
    qs = qs.annotate(
        waiting_seconds=DurationSeconds(Now(), waiting_since()),
        lines=F("additions") + F("deletions"),
    ).select_related("repository", "author")
    return qs.order_by(*_ordering(query.sort))


def _ordering(sort: str) -> list:
    descending = sort.startswith("-")
    field = SORTS.get(sort.lstrip("-"), SORTS["opened"])
    expr = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return [expr, "-pk"]


class PullRequestPages:
    """`pull_request_table` for a `Paginator`: a page's PKs are found first, by a query that
    reads only the sort's and filters' columns (the covering indexes hold them), and then
    only those rows are read whole, with their repository and author."""

    def __init__(self, table: QuerySet[PullRequest]):
        self.table = table

    def count(self) -> int:
        return self.table.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[PullRequest]:
        ids = self.table.select_related(None).values("pk")[page]
        return list(self.table.filter(pk__in=ids))
