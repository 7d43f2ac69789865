"""The full-text index of plan nodes: an FTS5 virtual table on SQLite, a tsvector table
with a GIN index on PostgreSQL. Raw SQL run only for the vendor in use, so the one
migration works on both. (The SQL is written out here, not imported, so that this
migration stays as it was when applied.)"""

from django.db import migrations

CREATE = {
    "sqlite": [
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_node_fts USING fts5("
        " title, body, plan_id UNINDEXED, version_id UNINDEXED, kind UNINDEXED,"
        " tokenize = 'unicode61 remove_diacritics 2')",
    ],
    "postgresql": [
        "CREATE TABLE IF NOT EXISTS search_node_index ("
        " node_id bigint PRIMARY KEY REFERENCES plans_node (id)"
        " ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,"
        " plan_id bigint NOT NULL, version_id bigint NOT NULL,"
        " kind varchar(16) NOT NULL, document tsvector NOT NULL)",
        "CREATE INDEX IF NOT EXISTS search_node_index_document"
        " ON search_node_index USING gin (document)",
        "CREATE INDEX IF NOT EXISTS search_node_index_plan ON search_node_index (plan_id)",
    ],
}
DROP = {
    "sqlite": ["DROP TABLE IF EXISTS search_node_fts"],
    "postgresql": ["DROP TABLE IF EXISTS search_node_index"],
}


def create_index(apps, schema_editor):
    for sql in CREATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def drop_index(apps, schema_editor):
    for sql in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("orgunits", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
