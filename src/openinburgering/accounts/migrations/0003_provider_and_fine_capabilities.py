"""Gives existing databases the capabilities for providers, contract results and fines (issue #6) on their roles.
load_roles is idempotent: it writes the table in accounts.roles."""

from django.db import migrations


def load(apps, schema_editor):
    from openinburgering.accounts.reference_data import load_roles

    load_roles(apps.get_model("accounts", "Role"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
