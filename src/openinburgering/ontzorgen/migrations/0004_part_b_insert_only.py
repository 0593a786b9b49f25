"""Bank statements with their lines and resolutions, toeslagen and the begeleid loslaten steps are insert-only in
the database too (PostgreSQL triggers with the ``oi_insert_only()`` function that plans 0002 creates)."""

from django.db import migrations

from openinburgering.core.db import insert_only_triggers

TABLES = (
    "ontzorgen_bankstatement",
    "ontzorgen_statementline",
    "ontzorgen_statementlineresolution",
    "ontzorgen_toeslagrecord",
    "ontzorgen_loslatenstep",
    "ontzorgen_loslatenstepdone",
)


class Migration(migrations.Migration):
    dependencies = [
        ("ontzorgen", "0003_bank_toeslagen_loslaten"),
        ("plans", "0002_insert_only_and_capabilities"),
    ]
    operations = [insert_only_triggers(*TABLES)]
