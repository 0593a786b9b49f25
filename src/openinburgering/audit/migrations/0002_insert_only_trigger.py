"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit table.

TRUNCATE is left to the table owner (test-database flushes use it); production revokes it from the app role
(docs/audit.md)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_event_insert_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is insert-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_insert_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_insert_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
