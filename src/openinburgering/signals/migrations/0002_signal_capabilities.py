"""Gives existing databases the signal capabilities (view_signals, receive_signals, purge_signals) on their roles.
New databases get them from accounts' reference data migration already; load_roles is idempotent."""

from django.db import migrations


def load(apps, schema_editor):
    from openinburgering.accounts.reference_data import load_roles

    load_roles(apps.get_model("accounts", "Role"))


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_initial"), ("accounts", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
