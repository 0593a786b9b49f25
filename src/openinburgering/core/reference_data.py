"""Reference data shipped with the code: gemeenten and arbeidsmarktregio's 2026 (Bron: CBS), the roles with
their capabilities, and BRP tables 32 and 34. Loaded by data migrations and, after a test flush, by tests.

The functions take the model classes as arguments so migrations can pass their historical models.
Idempotent: running them again changes nothing.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[1]
GEMEENTEN_CSV = SRC / "accounts" / "data" / "gemeenten_2026.csv"
NATIONALITIES_CSV = SRC / "clients" / "data" / "nationaliteiten.csv"
COUNTRIES_CSV = SRC / "clients" / "data" / "landen.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_gemeenten(region_model: Any, gemeente_model: Any) -> None:
    rows = _rows(GEMEENTEN_CSV)
    regions = {}
    for row in rows:
        if row["region_code"] not in regions:
            regions[row["region_code"]], _ = region_model.objects.update_or_create(
                code=row["region_code"], defaults={"name": row["region"]}
            )
    for row in rows:
        gemeente_model.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "region": regions[row["region_code"]], "province": row["province"]},
        )


def load_roles(role_model: Any) -> None:
    from django.utils import translation

    from openinburgering.accounts.roles import ROLE_CAPABILITIES, RoleCode

    # The stored name is Dutch, whatever language the calling thread has active (a portal request in Tigrinya
    # before a test's reference data came back stored the role names in Tigrinya).
    with translation.override("nl"):
        for code, capabilities in ROLE_CAPABILITIES.items():
            role_model.objects.update_or_create(
                code=str(code),
                defaults={"name": str(RoleCode(code).label), "capabilities": [str(c) for c in capabilities]},
            )


def load_brp_tables(nationality_model: Any, country_model: Any) -> None:
    for model, path in ((nationality_model, NATIONALITIES_CSV), (country_model, COUNTRIES_CSV)):
        model.objects.bulk_create(
            [model(code=row["code"], description=row["description"]) for row in _rows(path)], ignore_conflicts=True
        )


def ensure_reference_data() -> None:
    """For tests that flush the database (browser tests): put the migration-loaded data back."""
    from openinburgering.accounts.models import Gemeente, Region, Role
    from openinburgering.clients.models import Country, Nationality

    if not Gemeente.objects.exists():
        load_gemeenten(Region, Gemeente)
    load_roles(Role)
    if not Nationality.objects.exists():
        load_brp_tables(Nationality, Country)
