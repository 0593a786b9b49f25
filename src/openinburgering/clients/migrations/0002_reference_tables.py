"""Loads BRP landelijke tabellen 32 (nationaliteiten) and 34 (landen)."""

from django.db import migrations


def load(apps, schema_editor):
    from openinburgering.core.reference_data import load_brp_tables

    load_brp_tables(apps.get_model("clients", "Nationality"), apps.get_model("clients", "Country"))


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
