"""The PRs behind every number: one filtered, sortable list (and its CSV export)."""

import dataclasses

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from tformance.metrics.expressions import (
    coding_seconds,
    cycle_seconds,
    pickup_seconds,
    review_seconds,
)
from tformance.metrics.filters import MetricFilters, pull_requests_scoped
from tformance.metrics.selectors.delivery import review_count, unreviewed_q
from tformance.pulls.models import PRFile, PRReview, PullRequest
from tformance.pulls.techstack import EXCLUDED_BY_DEFAULT

# Sort keys offered by the list: name -> ORM ordering (ascending).
SORTS = {
    "opened": "opened_at",
    "merged": "merged_at",
    "cycle": "cycle_seconds",
    "size": "lines",
    "reviews": "review_count",
    "repository": "repository__full_name",
    "author": "author__login",
}
DEFAULT_SORT = "-opened"


@dataclasses.dataclass(frozen=True)
class PullRequestQuery:
    """Narrowing on top of `MetricFilters` that the dashboard's links ask for."""

    state: str = ""  # "", "open", "merged", "closed"; "merged" means merged in the period
    size: str = ""
    ai: str = ""  # "", "yes", "no"
    unreviewed: bool = False
    category: str = ""
    language: str = ""
    reviewer_id: int | None = None
    ids: tuple[int, ...] = ()
    sort: str = DEFAULT_SORT


def pull_request_table(*, filters: MetricFilters, query: PullRequestQuery) -> QuerySet[PullRequest]:
    """The filtered PRs with their durations (seconds), size and review count annotated.

    The period applies to the merge time when `state` is "merged" (or `unreviewed`), to
    the review time for a `reviewer`, and to the opening time otherwise. A list of `ids`
    (from an insight) ignores the period.
    """
    qs = pull_requests_scoped(filters=filters)
    in_period = {"gte": filters.start, "lt": filters.end}
    if query.ids:
        qs = qs.filter(pk__in=query.ids)
    elif query.state == "merged" or query.unreviewed:
        qs = qs.filter(merged_at__gte=in_period["gte"], merged_at__lt=in_period["lt"])
    elif query.reviewer_id is None:
        qs = qs.filter(opened_at__gte=in_period["gte"], opened_at__lt=in_period["lt"])
    if query.state in ("open", "closed", "merged"):
        qs = qs.filter(state=query.state)
    if query.size:
        qs = qs.filter(size_bucket=query.size)
    if query.ai:
        qs = qs.filter(is_ai_assisted=query.ai == "yes")
    if query.unreviewed:
        qs = qs.filter(unreviewed_q())
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
            pull_request=OuterRef("pk"),
            reviewer_id=query.reviewer_id,
            submitted_at__gte=filters.start,
            submitted_at__lt=filters.end,
        ).exclude(Q(state=PRReview.State.PENDING) | Q(reviewer_id=OuterRef("author_id")))
        qs = qs.filter(Exists(reviews))
    qs = qs.annotate(
        cycle_seconds=cycle_seconds(),
        coding_seconds=coding_seconds(),
        pickup_seconds=pickup_seconds(),
        review_seconds=review_seconds(),
        review_count=review_count(),
        lines=F("additions") + F("deletions"),
    ).select_related("repository", "author")
    return qs.order_by(*_ordering(query.sort))


def _ordering(sort: str) -> list:
    descending = sort.startswith("-")
    field = SORTS.get(sort.lstrip("-"), SORTS["opened"])
    expr = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return [expr, "-pk"]
