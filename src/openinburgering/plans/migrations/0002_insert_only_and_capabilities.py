"""PIP events and letters are insert-only in the database too (PostgreSQL triggers, like the audit table), and
existing databases get the approve_pip capability on the teamleider role (load_roles is idempotent)."""

from django.db import migrations

TABLES = ("plans_pipevent", "letters_letter")

FORWARD = """
CREATE OR REPLACE FUNCTION oi_insert_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is insert-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    from openinburgering.accounts.reference_data import load_roles

    load_roles(apps.get_model("accounts", "Role"))
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)
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
        schema_editor.execute("DROP FUNCTION IF EXISTS oi_insert_only();", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("letters", "0001_initial"),
        ("accounts", "0002_reference_data"),
        ("signals", "0002_signal_capabilities"),
    ]
    operations = [migrations.RunPython(forward, backward)]
