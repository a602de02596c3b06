"""Medians and other percentiles computed by the database, on PostgreSQL and SQLite alike.

PostgreSQL computes them with its own ordered-set aggregate, ``percentile_cont(ARRAY[..])
WITHIN GROUP (ORDER BY value)``: one sort per metric and group inside a plain GROUP BY, a
single row per group back. SQLite has no ``percentile_cont``, so it takes a portable
window-function query instead: each value gets ``ROW_NUMBER() OVER (PARTITION BY group
ORDER BY value)`` and the partition's ``COUNT(value) OVER (...)``; only the rows at the two
ranks around each requested percentile come back (``floor`` and ``ceil`` of ``(n - 1) *
p``), and the percentile is interpolated linearly between them — exactly
``percentile_cont``, so both paths give the same numbers. Either way NULLs are ignored and
several metrics are computed in the same query.
"""

from collections import defaultdict

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Q, QuerySet, Window
from django.db.models.functions import RowNumber

PERCENTILES = (50, 75, 90)


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont`` of one expression at several fractions (an array)."""

    function = "percentile_cont"
    template = "%(function)s(%(fractions)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = ArrayField(FloatField())

    def __init__(self, expression, *, percentiles: tuple[int, ...], **extra):
        fractions = ", ".join(f"{p / 100!r}" for p in percentiles)
        super().__init__(expression, fractions=f"ARRAY[{fractions}]::double precision[]", **extra)


def percentiles_compute(
    qs: QuerySet,
    *,
    values: dict,
    group=None,
    percentiles: tuple[int, ...] = PERCENTILES,
) -> dict:
    """Return ``{group_key: {metric: {p: seconds or None}}}`` (group_key None if ungrouped).

    `values` maps metric names to expressions (NULLs are ignored); `group` is an
    expression to partition by (e.g. the week, the author), or None for one group.
    """
    if connection.vendor == "postgresql":
        return _percentiles_postgresql(qs, values=values, group=group, percentiles=percentiles)
    partition = [group] if group is not None else []
    annotations = {f"_v_{name}": expr for name, expr in values.items()}
    if group is not None:
        annotations["_g"] = group
    ranked = qs.annotate(**annotations)
    windows = {}
    condition = Q()
    for name in values:
        value = F(f"_v_{name}")
        windows[f"_rn_{name}"] = Window(
            RowNumber(), partition_by=partition, order_by=value.asc(nulls_last=True)
        )
        windows[f"_n_{name}"] = Window(Count(f"_v_{name}"), partition_by=partition)
        for p in percentiles:
            low = (F(f"_n_{name}") - 1) * p / 100 + 1
            high = ((F(f"_n_{name}") - 1) * p + 99) / 100 + 1
            condition |= Q(**{f"_rn_{name}": low}) | Q(**{f"_rn_{name}": high})
    ranked = ranked.annotate(**windows).filter(condition)
    columns = ["_g"] if group is not None else []
    for name in values:
        columns += [f"_v_{name}", f"_rn_{name}", f"_n_{name}"]
    picked: dict = defaultdict(lambda: defaultdict(dict))  # group -> metric -> rank -> value
    counts: dict = defaultdict(dict)
    for row in ranked.order_by().values(*columns):
        key = row.get("_g")
        for name in values:
            n = row[f"_n_{name}"]
            counts[key][name] = n
            if row[f"_v_{name}"] is not None:
                picked[key][name][row[f"_rn_{name}"]] = float(row[f"_v_{name}"])
    result = {}
    for key, by_metric in counts.items():
        result[key] = {
            name: _interpolate(picked[key][name], by_metric.get(name, 0), percentiles)
            for name in values
        }
    return result


def _percentiles_postgresql(qs: QuerySet, *, values: dict, group, percentiles) -> dict:
    aggregates = {}
    for name, expr in values.items():
        aggregates[f"_p_{name}"] = PercentileCont(expr, percentiles=percentiles)
        aggregates[f"_n_{name}"] = Count(expr)
    if group is None:
        rows = [qs.order_by().aggregate(**aggregates)]
        if not any(rows[0][f"_n_{name}"] for name in values):
            return {}
    else:
        rows = qs.order_by().annotate(_g=group).values("_g").annotate(**aggregates)
    result = {}
    for row in rows:
        by_metric = {}
        for name in values:
            found = row[f"_p_{name}"] or [None] * len(percentiles)
            by_metric[name] = {**dict(zip(percentiles, found, strict=True)), "n": row[f"_n_{name}"]}
        result[row.get("_g")] = by_metric
    return result


def _interpolate(ranks: dict[int, float], n: int, percentiles) -> dict:
    out = {}
    for p in percentiles:
        if not n:
            out[p] = None
            continue
        position = (n - 1) * p / 100  # 0-based
        low, high = int(position), -(-(n - 1) * p // 100)
        v_low, v_high = ranks.get(low + 1), ranks.get(high + 1)
        if v_low is None or v_high is None:
            out[p] = None
        else:
            out[p] = v_low + (position - low) * (v_high - v_low)
    out["n"] = n
    return out


def percentiles_filled(found: dict, *, names, percentiles=PERCENTILES) -> dict:
    """One group of `percentiles_compute`'s result with every metric of `names` present:
    ``{metric: {50: .., 75: .., 90: .., "n": count}}``, no values and n 0 for a metric (or a
    group) the query found no rows for."""
    empty = {**dict.fromkeys(percentiles), "n": 0}
    return {name: found.get(name, empty) for name in names}
