"""Drop the single-column indexes of foreign keys that a unique constraint already leads
with: every PR, review, commit, file and tech-stack row the sync writes updated them for
nothing. Only the indexes go (the foreign keys stay as they are, so nothing is validated
again); the state's fields say db_index=False."""

import django.db.models.deletion
from django.db import migrations, models


# (table, index Django named for the foreign key's own index, column)
REDUNDANT = [
    ("pulls_commit", "pulls_commit_pull_request_id_d3b5d69b", "pull_request_id"),
    ("pulls_prfile", "pulls_prfile_pull_request_id_ac4485f1", "pull_request_id"),
    ("pulls_prreview", "pulls_prreview_pull_request_id_91ff73c4", "pull_request_id"),
    ("pulls_pullrequest", "pulls_pullrequest_repository_id_ed75febf", "repository_id"),
    ("pulls_techstackday", "pulls_techstackday_repository_id_06da582b", "repository_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("pulls", "0007_dashboard_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX "{index}" ON "{table}" ("{column}")',
                )
                for table, index, column in REDUNDANT
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="commit",
                    name="pull_request",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="commits",
                        to="pulls.pullrequest",
                    ),
                ),
                migrations.AlterField(
                    model_name="prfile",
                    name="pull_request",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="files",
                        to="pulls.pullrequest",
                    ),
                ),
                migrations.AlterField(
                    model_name="prreview",
                    name="pull_request",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reviews",
                        to="pulls.pullrequest",
                    ),
                ),
                migrations.AlterField(
                    model_name="pullrequest",
                    name="repository",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pull_requests",
                        to="pulls.trackedrepository",
                    ),
                ),
                migrations.AlterField(
                    model_name="techstackday",
                    name="repository",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="pulls.trackedrepository",
                    ),
                ),
            ],
        ),
    ]
