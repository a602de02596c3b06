"""The covering indexes with the per-PR facts, built once 0004 has filled them in (its own
transaction: PostgreSQL builds no index on a table whose rows that transaction changed)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pulls", "0004_per_pr_facts"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="prreview",
            index=models.Index(
                condition=models.Q(("by_other", True)),
                fields=["team", "submitted_at"],
                include=("reviewer_id", "pull_request_id"),
                name="review_team_submitted_by_other",
            ),
        ),
        migrations.AddIndex(
            model_name="pullrequest",
            index=models.Index(
                fields=["team", "merged_at"],
                include=(
                    "repository_id",
                    "author_id",
                    "state",
                    "is_draft",
                    "opened_at",
                    "ready_for_review_at",
                    "merged_at",
                    "first_commit_at",
                    "first_review_at",
                    "additions",
                    "deletions",
                    "size_bucket",
                    "is_ai_assisted",
                    "review_count",
                    "cycle_seconds",
                    "coding_seconds",
                    "pickup_seconds",
                    "review_seconds",
                    "first_review_seconds",
                ),
                name="pr_team_merged_at",
            ),
        ),
        migrations.AddIndex(
            model_name="pullrequest",
            index=models.Index(
                fields=["team", "opened_at"],
                include=(
                    "repository_id",
                    "author_id",
                    "state",
                    "is_draft",
                    "opened_at",
                    "ready_for_review_at",
                    "merged_at",
                    "first_commit_at",
                    "first_review_at",
                    "additions",
                    "deletions",
                    "size_bucket",
                    "is_ai_assisted",
                    "review_count",
                    "cycle_seconds",
                    "coding_seconds",
                    "pickup_seconds",
                    "review_seconds",
                    "first_review_seconds",
                ),
                name="pr_team_opened_at",
            ),
        ),
        migrations.AddIndex(
            model_name="pullrequest",
            index=models.Index(
                fields=["team", "first_review_at"],
                include=(
                    "repository_id",
                    "author_id",
                    "state",
                    "is_draft",
                    "opened_at",
                    "ready_for_review_at",
                    "merged_at",
                    "first_commit_at",
                    "first_review_at",
                    "additions",
                    "deletions",
                    "size_bucket",
                    "is_ai_assisted",
                    "review_count",
                    "cycle_seconds",
                    "coding_seconds",
                    "pickup_seconds",
                    "review_seconds",
                    "first_review_seconds",
                ),
                name="pr_team_first_review_at",
            ),
        ),
    ]
