"""Trigram indexes for the lessons search (issue #24).

The lessons list searches ``title``, ``context``, ``what_happened``, ``next_time`` and
``tags`` with ``icontains``, which PostgreSQL runs as ``UPPER(col::text) LIKE
UPPER('%word%')``: no B-tree helps a substring, so every search read the whole table.
A pg_trgm GIN index on exactly that expression answers the same ``LIKE`` (same rows:
substring, case-insensitive) from the index.

PostgreSQL only: the extension and the indexes do not exist on SQLite (the embedded
default), where the search keeps scanning a small table. They are not declared in the
model's ``Meta.indexes`` (a ``GinIndex`` would be created on SQLite too), so this
migration owns them; it does nothing on other databases.
"""

from django.db import migrations

TABLE = "lessons_lesson"
FIELDS = ("title", "context", "what_happened", "next_time", "tags")


def _name(field: str) -> str:
    return f"lessons_lesson_{field}_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for field in FIELDS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{_name(field)}" ON "{TABLE}" '
            f'USING gin ((UPPER("{field}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in FIELDS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{_name(field)}"')


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0007_process_performance_baselines"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
