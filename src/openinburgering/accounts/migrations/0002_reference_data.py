"""Loads the 2026 gemeenten and arbeidsmarktregio's (Bron: CBS) and the roles with their capabilities."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "gemeenten_2026.csv"

ROLES = {
    "klantregisseur": ("Klantregisseur", ["search_persons", "view_client_files", "change_client_files", "view_own_caseload"]),
    "teamleider": (
        "Teamleider",
        [
            "search_persons", "view_client_files", "change_client_files", "view_own_caseload", "view_team_caseload",
            "reassign_client_files", "view_file_audit",
        ],
    ),
    "financieel_consulent": ("Financieel consulent", ["search_persons", "view_client_files"]),
    "contractmanager": ("Contractmanager", []),
    "beleidsmedewerker": ("Beleidsmedewerker", []),
    "aanbieder": ("Aanbieder (taal of participatie)", []),
    "maatschappelijk_begeleider": ("Maatschappelijk begeleider", []),
    "functioneel_beheerder": ("Functioneel beheerder", ["manage_staff", "view_file_audit", "view_gemeente_audit"]),
}  # fmt: skip


def load(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    Gemeente = apps.get_model("accounts", "Gemeente")
    Role = apps.get_model("accounts", "Role")
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    regions = {}
    for row in rows:
        if row["region_code"] not in regions:
            regions[row["region_code"]], _ = Region.objects.update_or_create(
                code=row["region_code"], defaults={"name": row["region"]}
            )
    for row in rows:
        Gemeente.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "region": regions[row["region_code"]], "province": row["province"]},
        )
    for code, (name, capabilities) in ROLES.items():
        Role.objects.update_or_create(code=code, defaults={"name": name, "capabilities": capabilities})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
