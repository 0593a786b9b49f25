"""Loads BRP landelijke tabellen 32 (nationaliteiten) and 34 (landen)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data"


def load(apps, schema_editor):
    for model_name, filename in (("Nationality", "nationaliteiten.csv"), ("Country", "landen.csv")):
        model = apps.get_model("clients", model_name)
        with (DATA / filename).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        model.objects.bulk_create(
            [model(code=row["code"], description=row["description"]) for row in rows], ignore_conflicts=True
        )


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
