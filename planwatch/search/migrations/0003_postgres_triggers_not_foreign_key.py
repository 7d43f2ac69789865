"""On PostgreSQL, follow plan nodes with triggers instead of a foreign key.

A foreign key from the (unmanaged) index table to plans_node makes `TRUNCATE plans_node`
fail — which is how Django's `flush` and every transactional test on PostgreSQL empty the
database. Row-level and TRUNCATE triggers keep the same guarantee (no index row outlives its
node) without blocking either."""

from django.db import migrations

FORWARD = [
    "ALTER TABLE search_node_index DROP CONSTRAINT IF EXISTS search_node_index_node_id_fkey",
    "CREATE OR REPLACE FUNCTION search_node_index_node_deleted() RETURNS trigger"
    " LANGUAGE plpgsql AS $$ BEGIN DELETE FROM search_node_index WHERE node_id = OLD.id;"
    " RETURN OLD; END $$",
    "CREATE OR REPLACE FUNCTION search_node_index_nodes_truncated() RETURNS trigger"
    " LANGUAGE plpgsql AS $$ BEGIN TRUNCATE search_node_index; RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS search_node_index_node_deleted ON plans_node",
    "CREATE TRIGGER search_node_index_node_deleted AFTER DELETE ON plans_node"
    " FOR EACH ROW EXECUTE FUNCTION search_node_index_node_deleted()",
    "DROP TRIGGER IF EXISTS search_node_index_nodes_truncated ON plans_node",
    "CREATE TRIGGER search_node_index_nodes_truncated AFTER TRUNCATE ON plans_node"
    " FOR EACH STATEMENT EXECUTE FUNCTION search_node_index_nodes_truncated()",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS search_node_index_nodes_truncated ON plans_node",
    "DROP TRIGGER IF EXISTS search_node_index_node_deleted ON plans_node",
    "DROP FUNCTION IF EXISTS search_node_index_nodes_truncated()",
    "DROP FUNCTION IF EXISTS search_node_index_node_deleted()",
    "DELETE FROM search_node_index WHERE node_id NOT IN (SELECT id FROM plans_node)",
    "ALTER TABLE search_node_index ADD CONSTRAINT search_node_index_node_id_fkey"
    " FOREIGN KEY (node_id) REFERENCES plans_node (id)"
    " ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_sqlite_delete_trigger")]

    operations = [migrations.RunPython(forward, backward)]
