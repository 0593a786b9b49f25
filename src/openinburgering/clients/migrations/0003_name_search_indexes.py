"""On PostgreSQL, trigram indexes make the name search (icontains, i.e. UPPER(col) LIKE '%…%') use an index."""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS person_surname_trgm ON clients_person USING gin (UPPER(surname::text) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS person_given_names_trgm ON clients_person USING gin (UPPER(given_names::text) gin_trgm_ops);
"""
BACKWARD = """
DROP INDEX IF EXISTS person_given_names_trgm;
DROP INDEX IF EXISTS person_surname_trgm;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_reference_tables")]
    operations = [migrations.RunPython(forward, backward)]
