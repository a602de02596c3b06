"""How much of the work is AI-assisted, with which tools, and whether it ships faster."""

from collections import Counter

from django.db.models import Count, F

from tformance.metrics.comparison import MIN_SAMPLE, sample_enough
from tformance.metrics.expressions import cycle_seconds
from tformance.metrics.filters import MetricFilters, pull_requests_merged
from tformance.metrics.percentiles import percentiles_compute, percentiles_filled
from tformance.pulls import ai_detection


def ai_breakdown(*, filters: MetricFilters) -> dict:
    """Cycle time of AI-assisted vs other merged PRs, and merged PRs per tool."""
    merged = pull_requests_merged(filters=filters)
    by_group = percentiles_compute(
        merged, values={"cycle": cycle_seconds()}, group=F("is_ai_assisted")
    )
    ai = percentiles_filled(by_group.get(True, {}), names=["cycle"])["cycle"]
    other = percentiles_filled(by_group.get(False, {}), names=["cycle"])["cycle"]
    # Grouped by the stored list of tools: a handful of distinct combinations, split here.
    tools: Counter = Counter()
    for combo, n in (
        merged.filter(is_ai_assisted=True)
        .order_by()
        .values_list("ai_tools")
        .annotate(n=Count("pk"))
    ):
        for tool in combo or []:
            tools[tool] += n
    faster = None
    if sample_enough(ai["n"], other["n"]) and other[50]:
        faster = (other[50] - ai[50]) / other[50]
    return {
        "ai": ai,
        "other": other,
        "faster": faster,  # None with fewer than MIN_SAMPLE PRs on either side
        "difference": abs(faster) if faster is not None else None,
        "min_sample": MIN_SAMPLE,
        "tools": [
            {"name": name, "count": n}
            for name, n in sorted(tools.items(), key=lambda t: (-t[1], t[0]))
        ],
        "explanation": ai_detection.EXPLANATION,
    }
