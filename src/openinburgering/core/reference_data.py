"""Reference data shipped with the code as CSV: gemeenten and arbeidsmarktregio's 2026 (Bron: CBS) and BRP tables
32 and 34. Loaded by data migrations and, after a test flush, by ``clients.reference_data.ensure_reference_data``.
The roles with their capabilities are code (``accounts.roles``) and are loaded by ``accounts.reference_data``; core
imports no other app (tests/core/test_layers.py).

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


def load_brp_tables(nationality_model: Any, country_model: Any) -> None:
    for model, path in ((nationality_model, NATIONALITIES_CSV), (country_model, COUNTRIES_CSV)):
        model.objects.bulk_create(
            [model(code=row["code"], description=row["description"]) for row in _rows(path)], ignore_conflicts=True
        )
