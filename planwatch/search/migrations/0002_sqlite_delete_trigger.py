"""On SQLite, drop a node's index row when the node is deleted (an FTS5 table cannot have a
foreign key; PostgreSQL's index table follows nodes by triggers too, see 0003)."""

from django.db import migrations

CREATE = (
    "CREATE TRIGGER IF NOT EXISTS search_node_fts_node_deleted AFTER DELETE ON plans_node"
    " BEGIN DELETE FROM search_node_fts WHERE rowid = old.id; END"
)
DROP = "DROP TRIGGER IF EXISTS search_node_fts_node_deleted"


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_index")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
