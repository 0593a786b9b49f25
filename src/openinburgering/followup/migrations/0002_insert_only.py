"""Follow-up contacts are insert-only in the database too (PostgreSQL trigger with the ``oi_insert_only()``
function that plans 0002 creates)."""

from django.db import migrations

from openinburgering.core.db import insert_only_triggers

TABLES = ("followup_followuprecord",)


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_initial"),
        ("plans", "0002_insert_only_and_capabilities"),
    ]
    operations = [insert_only_triggers(*TABLES)]
