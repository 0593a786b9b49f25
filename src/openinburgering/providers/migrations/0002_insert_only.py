"""Enrolment events, replaced weekly report values and exam results are insert-only in the database too
(the oi_insert_only() trigger function of plans 0002, like the audit table)."""

from django.db import migrations

from openinburgering.core.db import insert_only_triggers

TABLES = ("providers_enrolmentevent", "providers_weeklyreporthistory", "providers_examresult")


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0001_initial"),
        ("plans", "0002_insert_only_and_capabilities"),
    ]
    operations = [insert_only_triggers(*TABLES)]
