"""Loads the 2026 gemeenten and arbeidsmarktregio's (Bron: CBS) and the roles with their capabilities."""

from django.db import migrations


def load(apps, schema_editor):
    from openinburgering.accounts.reference_data import load_roles
    from openinburgering.core.reference_data import load_gemeenten

    load_gemeenten(apps.get_model("accounts", "Region"), apps.get_model("accounts", "Gemeente"))
    load_roles(apps.get_model("accounts", "Role"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
