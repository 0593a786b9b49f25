"""Ledger entries, payments, payment files, machtigingen and Pw 57 extensions are insert-only in the database too
(PostgreSQL triggers with the ``oi_insert_only()`` function that plans 0002 creates)."""

from django.db import migrations

from openinburgering.core.db import insert_only_triggers

TABLES = (
    "ontzorgen_ledgerentry",
    "ontzorgen_payment",
    "ontzorgen_paymentfile",
    "ontzorgen_machtiging",
    "ontzorgen_ontzorgenextension",
)


class Migration(migrations.Migration):
    dependencies = [
        ("ontzorgen", "0001_initial"),
        ("plans", "0002_insert_only_and_capabilities"),
    ]
    operations = [insert_only_triggers(*TABLES)]
