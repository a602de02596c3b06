"""How much of the work is AI-assisted, with which tools, and whether it ships faster."""

from collections import Counter

from tformance.metrics.comparison import MIN_SAMPLE, sample_enough
from tformance.metrics.filters import MetricFilters
from tformance.metrics.percentiles import percentiles_filled
from tformance.metrics.selectors.periods import PeriodNumbers, period_numbers
from tformance.pulls import ai_detection


def ai_breakdown(*, filters: MetricFilters, numbers: PeriodNumbers | None = None) -> dict:
    """Cycle time of AI-assisted vs other merged PRs, and merged PRs per tool.

    `numbers`: `period_numbers` with details, `filters` first.
    """
    numbers = numbers or period_numbers(periods=[filters], details=True)
    none = percentiles_filled({}, names=["cycle"])["cycle"]
    ai, other = numbers.ai.get(True, none), numbers.ai.get(False, none)
    # Grouped by the stored list of tools: a handful of distinct combinations, split here.
    tools: Counter = Counter()
    for combo, n in numbers.tools:
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
