"""What the sync derives for each PR it writes, rebuilt from the stored rows instead.

The sync marks each review that counts (`PRReview.by_other`, from the record:
`pulls.derived.review_by_other`), stores each PR's `review_count` and moves its files in
the tech stack by day (`pulls.stack_days`). Rows written any other way get the same from
here: the migrations that added those columns, the dashboard bench's generated history,
hand-built rows in tests. The rule on stored rows is `metrics.expressions.review_by_other`;
`tests/sync/test_review_rule_agrees.py` holds the two to the same reviews.
"""

from django.apps import apps as global_apps
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)

from tformance.metrics.expressions import review_by_other
from tformance.pulls.stack_days import stack_rebuild


def review_facts_rebuild(*, pull_request_ids=None, apps=global_apps) -> None:
    """`PRReview.by_other` and `PullRequest.review_count` of the PRs of `pull_request_ids`
    (all when None), from their stored reviews. `apps`: a migration's models."""
    PRReview = apps.get_model("pulls", "PRReview")
    PullRequest = apps.get_model("pulls", "PullRequest")
    reviews = PRReview.objects.all()
    prs = PullRequest.objects.all()
    if pull_request_ids is not None:
        reviews = reviews.filter(pull_request_id__in=pull_request_ids)
        prs = prs.filter(pk__in=pull_request_ids)
    counted = reviews.filter(review_by_other(F("pull_request__author_id"))).values("pk")
    reviews.update(by_other=ExpressionWrapper(Q(pk__in=counted), output_field=BooleanField()))
    count = (
        PRReview.objects.filter(pull_request=OuterRef("pk"), by_other=True)
        .order_by()
        .annotate(c=Func(F("pk"), function="COUNT"))
        .values("c")
    )
    prs.update(review_count=Subquery(count, output_field=IntegerField()))


def facts_rebuild(*, apps=global_apps) -> None:
    """Every stored PR's derived facts: its reviews' and the tech stack by day and month."""
    review_facts_rebuild(apps=apps)
    stack_rebuild(apps=apps)
