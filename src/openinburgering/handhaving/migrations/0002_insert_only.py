"""Proposals, decisions, bezwaren and achievements are insert-only in the database too (PostgreSQL triggers
with the ``oi_insert_only()`` function that plans 0002 creates)."""

from django.db import migrations

from openinburgering.core.db import insert_only_triggers

TABLES = ("handhaving_fineproposal", "handhaving_finedecision", "handhaving_finebezwaar", "handhaving_achievement")


class Migration(migrations.Migration):
    dependencies = [
        ("handhaving", "0001_initial"),
        ("plans", "0002_insert_only_and_capabilities"),
    ]
    operations = [insert_only_triggers(*TABLES)]
