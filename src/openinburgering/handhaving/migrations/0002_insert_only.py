"""Proposals, decisions, bezwaren and achievements are insert-only in the database too (PostgreSQL triggers
with the ``oi_insert_only()`` function that plans 0002 creates)."""

from django.db import migrations

TABLES = ("handhaving_fineproposal", "handhaving_finedecision", "handhaving_finebezwaar", "handhaving_achievement")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION oi_insert_only();",
                params=None,
            )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table};", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("handhaving", "0001_initial"),
        ("plans", "0002_insert_only_and_capabilities"),
    ]
    operations = [migrations.RunPython(forward, backward)]
