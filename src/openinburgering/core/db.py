"""Database helpers for hand-written migrations."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def insert_only_triggers(*tables: str) -> migrations.RunPython:
    """A migration operation: on PostgreSQL, a trigger per table refuses UPDATE and DELETE with the
    ``oi_insert_only()`` function (created by plans 0002, so depend on that migration). SQLite (the demo) relies on
    the models' own insert-only guard."""

    def forward(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for table in tables:
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION oi_insert_only();",
                    params=None,
                )

    def backward(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for table in tables:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table};", params=None)

    return migrations.RunPython(forward, backward)
