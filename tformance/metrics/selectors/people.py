"""Per person: PRs merged, reviews given, median cycle time, AI-assisted share."""

from django.db import connection
from django.db.models import Count, F, Q

from tformance.metrics.expressions import bot_account
from tformance.metrics.filters import MetricFilters, pull_requests_merged, reviews_given
from tformance.metrics.percentiles import PercentileCont, percentiles_compute
from tformance.metrics.selectors.together import queries_together, query_rows
from tformance.pulls.models import TeamMember


def reviewer_load_query(*, filters: MetricFilters) -> tuple[str, list]:
    """(SQL, params): reviews given per person in the period, every reviewer (at most the
    team's people), each with its `rank`: most first, then by login in the database's own
    collation, whatever order the rows come back in (read with other queries).

    The reviews are counted per reviewer id first and only those rows (one per person) are
    joined to their login: not every review of the period. The counts are a materialized
    CTE, so they are computed once whatever PostgreSQL estimates of the team's people (a
    table not analyzed yet is "1 row", and a nested loop then counted the period's reviews
    once per person: 3 s at 100k PRs instead of 15 ms)."""
    sql, params = (
        reviews_given(filters=filters)
        .order_by()
        .values("reviewer_id")
        .annotate(reviews=Count("*"))  # "*": the index holds no id (an index-only scan)
        .query.sql_with_params()
    )
    members = connection.ops.quote_name(TeamMember._meta.db_table)
    return (
        f"WITH r AS MATERIALIZED ({sql})"
        " SELECT r.reviewer_id, m.login, r.reviews,"
        " row_number() OVER (ORDER BY r.reviews DESC, m.login) AS rank"
        f" FROM r JOIN {members} m ON m.id = r.reviewer_id AND m.team_id = %s",
        [*params, filters.team.pk],
    )


def reviewer_load(
    *, filters: MetricFilters, limit: int = 12, rows: list | None = None
) -> list[dict]:
    """Reviews given per person in the period, most first; their total is everyone's.

    `rows`: those of `reviewer_load_query`, when the caller read them with other queries.
    """
    if rows is None:
        rows = query_rows(reviewer_load_query(filters=filters))
    everyone = sorted(rows, key=lambda row: row["rank"])
    total = sum(row["reviews"] for row in everyone)
    found = []
    for row in everyone[:limit]:
        found.append(
            {
                "reviewer_id": row["reviewer_id"],
                "login": row["login"],
                "reviews": row["reviews"],
                "share": row["reviews"] / total if total else 0,
            }
        )
    return found


def people_table(*, filters: MetricFilters) -> list[dict]:
    """One row per person who merged or reviewed in the period (2 queries on PostgreSQL)."""
    merged = pull_requests_merged(filters=filters)
    if not filters.include_bots:
        # An AI agent too: no person.
        merged = merged.exclude(bot_account("author", team=filters.team))
    authored = merged.order_by().values("author_id")
    figures = {"merged": Count("pk"), "ai": Count("pk", filter=Q(is_ai_assisted=True))}
    postgresql = connection.vendor == "postgresql"
    if postgresql:  # the median in the same GROUP BY; SQLite's portable path is a query
        figures["cycle"] = PercentileCont(F("cycle_seconds"), percentiles=(50,))
    found = queries_together(
        {
            "authored": authored.annotate(**figures),
            "reviewed": reviews_given(filters=filters)
            .order_by()
            .values("reviewer_id")
            .annotate(n=Count("*")),
        }
    )
    authored = {row["author_id"]: row for row in found["authored"]}
    if postgresql:
        medians = {pk: (row["cycle"] or [None])[0] for pk, row in authored.items()}
    else:
        medians = {
            pk: found.get("cycle", {}).get(50)
            for pk, found in percentiles_compute(
                merged,
                values={"cycle": F("cycle_seconds")},
                group=F("author_id"),
                percentiles=(50,),
            ).items()
        }
    reviewed = {row["reviewer_id"]: row["n"] for row in found["reviewed"]}
    ids = set(authored) | set(reviewed)
    members = TeamMember.objects.filter(team=filters.team, pk__in=ids)
    rows = []
    for member in members:
        a = authored.get(member.pk, {"merged": 0, "ai": 0})
        rows.append(
            {
                "member": member,
                "merged": a["merged"],
                "reviews": reviewed.get(member.pk, 0),
                "cycle_median": medians.get(member.pk),
                "ai": a["ai"],
                "ai_share": a["ai"] / a["merged"] if a["merged"] else None,
            }
        )
    rows.sort(key=lambda r: (-r["merged"], -r["reviews"], r["member"].login.lower()))
    return rows
