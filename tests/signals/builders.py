"""Builders for DUO events and COA koppelingen in the shapes `signals.messages` documents.

Synthetic BSNs come from the reserved 999xxxxxx range (tests/factories/bsn.py); names are invented."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.factories.bsn import bsn_sequence

BSNS = bsn_sequence(999_100_000)


def new_bsn() -> str:
    return next(BSNS)


def duo_event(
    code: str = "SS101", *, bericht_id: str, bsn: str, gemeentecode: str = "0392", **blocks: Any
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "berichtId": bericht_id,
        "gebeurtenisId": code,
        "registratieDatumTijd": "2026-01-05T09:30:00+01:00",
        "bsn": bsn,
        "gemeentecode": gemeentecode,
    }
    event.update(blocks)
    return event


def plicht_event(
    *,
    bericht_id: str,
    bsn: str,
    gemeentecode: str = "0392",
    plichtig: bool = True,
    kennisgeving: str = "2025-09-01",
    begindatum: str = "2025-08-01",
    detail: str = "Asielstatushouder",
    indeling: str = "Asielstatushouder",
    birth: str = "1990-05-01",
    code: str = "SS101",
    **extra: Any,
) -> dict[str, Any]:
    return duo_event(
        code,
        bericht_id=bericht_id,
        bsn=bsn,
        gemeentecode=gemeentecode,
        persoon={"voornamen": "Samira", "geslachtsnaam": "Yousef", "geboortedatum": birth, "geslacht": "V"},
        inburgeringsplicht={
            "indicatorInburgeringsplicht": plichtig,
            "begindatum": begindatum,
            "datumKennisgevingInburgeringsplicht": kennisgeving,
        },
        doelgroep={"indeling": indeling, "gedetailleerdeDoelgroep": detail, "begindatum": begindatum},
        **extra,
    )


def coa_koppeling(
    *,
    bericht_id: str,
    bsn: str,
    gemeentecode: str = "0392",
    birth: str = "1992-03-04",
    residence_from: str = "2025-11-01",
    koppeling: str = "2025-12-01",
    health: dict[str, Any] | None = None,
    in_azc: bool = True,
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "berichtId": bericht_id,
        "soort": "koppeling",
        "registratieDatumTijd": "2025-12-01T10:00:00+01:00",
        "gemeentecode": gemeentecode,
        "datumKoppeling": koppeling,
        "persoon": {
            "bsn": bsn,
            "voornamen": "Omar",
            "geslachtsnaam": "Haddad",
            "geboortedatum": birth,
            "geslacht": "M",
        },
        "verblijf": {"soort": "asiel", "begindatum": residence_from},
        "azc": {"locatie": "AZC Voorbeeldstad", "verblijftInAzc": in_azc},
        "warmeOverdracht": {
            "samenvatting": "Omar spreekt Arabisch en wat Engels. Hij wil graag als elektricien werken.",
            "talen": ["Arabisch", "Engels"],
            "tolkNodig": True,
            "tolkTaal": "Arabisch",
            "opleiding": "Mbo elektrotechniek (Syrië)",
            "werkervaring": "8 jaar elektricien",
        },
    }
    if health is not None:
        message["gezondheid"] = health
    return message


TODAY = date(2026, 1, 10)
