"""The history, consents, withdrawals, packages, receipts and begeleiding entries of zorg en netwerk are insert-only
in the database too (PostgreSQL trigger with the ``oi_insert_only()`` function of plans 0002; #14)."""

from django.db import migrations

from openinburgering.core.db import insert_only_triggers

TABLES = (
    "netwerk_referralstatuschange",
    "netwerk_referralconsent",
    "netwerk_referralconsentwithdrawal",
    "netwerk_handoverpackage",
    "netwerk_packagereceipt",
    "netwerk_begeleidingentry",
)


class Migration(migrations.Migration):
    dependencies = [
        ("netwerk", "0001_initial"),
        ("plans", "0002_insert_only_and_capabilities"),
    ]

    operations = [insert_only_triggers(*TABLES)]
