"""Move the test database to a migration state and back."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    nodes = [(app, name) for app, name in targets if name is not None]
    return executor.loader.project_state(nodes).apps


def migrate_to_latest():
    """Every app to its newest migration, as the rest of the suite expects."""
    return migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
