"""Enrolment events, replaced weekly report values and exam results are insert-only in the database too
(the oi_insert_only() trigger function of plans 0002, like the audit table)."""

from django.db import migrations

TABLES = ("providers_enrolmentevent", "providers_weeklyreporthistory", "providers_examresult")


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
        ("providers", "0001_initial"),
        ("plans", "0002_insert_only_and_capabilities"),
    ]
    operations = [migrations.RunPython(forward, backward)]
