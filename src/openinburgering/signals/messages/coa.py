"""A COA koppeling (``parse_coa_koppeling``) and the health data that is only kept with consent
(``without_health_data``), with a Dutch reason for every problem. The shapes are documented in ``signals.messages``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .duo import PersonData, _person, _reference
from .fields import Problems, _block, _bsn, _date, _gemeentecode, _registered_at, _text, _v_number, external_id_of

# ---------------------------------------------------------------------------------------------------------------
# COA koppeling


@dataclass(frozen=True)
class CoaKoppeling:
    external_id: str
    registered_at: datetime | None
    bsn: str
    v_number: str
    gemeentecode: str
    koppeling_on: date | None
    correction_of: str
    retraction_of: str
    person: PersonData | None
    residence_from_on: date | None
    in_azc: bool
    azc_location: str
    handover: dict[str, Any]
    health: dict[str, Any] | None
    health_consent: bool


HANDOVER_TEXT_FIELDS = {
    "samenvatting": ("De samenvatting", 4000),
    "opleiding": ("De opleiding", 1000),
    "werkervaring": ("De werkervaring", 1000),
    "gezinssamenstelling": ("De gezinssamenstelling", 1000),
    "aandachtspunten": ("De aandachtspunten", 2000),
    "tolkTaal": ("De taal van de tolk", 100),
}


def parse_coa_koppeling(raw: Any, *, today: date, now: datetime) -> CoaKoppeling:
    """Validate one COA koppeling. Health signals are read only when ``gezondheid.toestemming.vastgelegd`` is
    true; otherwise they are dropped by the service (never stored)."""
    external_id = external_id_of(raw)
    problems = Problems()
    correction_of, retraction_of = _reference(raw, problems)
    registered_at = _registered_at(raw.get("registratieDatumTijd"), problems, now=now)
    person_block = raw.get("persoon") if isinstance(raw.get("persoon"), dict) else {}
    bsn = _bsn(person_block.get("bsn", raw.get("bsn")), problems)
    v_number = _v_number(person_block.get("vNummer", raw.get("vNummer")), problems)
    if retraction_of:
        problems.raise_if_any()
        return CoaKoppeling(
            external_id=external_id,
            registered_at=registered_at,
            bsn=bsn,
            v_number=v_number,
            gemeentecode="",
            koppeling_on=None,
            correction_of="",
            retraction_of=retraction_of,
            person=None,
            residence_from_on=None,
            in_azc=False,
            azc_location="",
            handover={},
            health=None,
            health_consent=False,
        )
    soort = raw.get("soort", "koppeling")
    if soort != "koppeling":
        problems.add("De soort COA-bericht is onbekend. Alleen 'koppeling' wordt verwerkt.")
    gemeentecode = _gemeentecode(raw.get("gemeentecode"), "De gemeentecode (taakstelling)", problems, required=True)
    koppeling_on = _date(raw, "datumKoppeling", "De datum van de koppeling", problems, today=today, required=True)
    person = _person(raw, problems, today=today, required=True)
    verblijf = _block(raw, "verblijf", problems, required=True)
    residence_from_on = _date(
        verblijf, "begindatum", "De begindatum van de verblijfsvergunning", problems, today=today, required=True
    )
    azc = _block(raw, "azc", problems, required=True) or {}
    in_azc = azc.get("verblijftInAzc")
    if not isinstance(in_azc, bool):
        problems.add("verblijftInAzc ontbreekt of is niet true/false.")
    azc_location = _text(azc, "locatie", "De AZC-locatie", problems, max_length=200)
    handover_block = _block(raw, "warmeOverdracht", problems, required=False) or {}
    handover: dict[str, Any] = {}
    for key, (label, max_length) in HANDOVER_TEXT_FIELDS.items():
        value = _text(handover_block, key, label, problems, max_length=max_length)
        if value:
            handover[key] = value
    talen = handover_block.get("talen", [])
    if not isinstance(talen, list) or not all(isinstance(t, str) and 0 < len(t) <= 50 for t in talen):
        problems.add("De talen moeten een lijst met namen van talen zijn.")
    elif talen:
        handover["talen"] = talen[:10]
    tolk = handover_block.get("tolkNodig", False)
    if not isinstance(tolk, bool):
        problems.add("tolkNodig moet true of false zijn.")
    else:
        handover["tolkNodig"] = tolk
        if tolk and not handover.get("tolkTaal"):
            problems.add("Er is een tolk nodig, maar de taal van de tolk ontbreekt.")
    health_block = raw.get("gezondheid")
    health: dict[str, Any] | None = None
    consent = False
    if health_block is not None:
        if not isinstance(health_block, dict):
            problems.add("Het onderdeel 'gezondheid' moet een object zijn.")
        else:
            raw_consent = health_block.get("toestemming")
            toestemming: dict[str, Any] = raw_consent if isinstance(raw_consent, dict) else {}
            consent = toestemming.get("vastgelegd") is True
            if consent:
                consent_on = _date(
                    toestemming, "datum", "De datum van de toestemming", problems, today=today, required=True
                )
                signals = _text(
                    health_block, "signalen", "De gezondheidssignalen", problems, max_length=4000, required=True
                )
                health = {
                    "signalen": signals,
                    "toestemming_datum": consent_on.isoformat() if consent_on else None,
                    "toestemming_doel": _text(
                        toestemming, "doel", "Het doel van de toestemming", problems, max_length=300
                    ),
                }
    if person is not None:
        checks: tuple[tuple[date | None, str], ...] = (
            (koppeling_on, "De datum van de koppeling"),
            (residence_from_on, "De begindatum van de verblijfsvergunning"),
        )
        for checked_on, label in checks:
            if checked_on is not None and checked_on < person.birth_on:
                problems.add(f"{label} ligt voor de geboortedatum.")
    problems.raise_if_any()
    return CoaKoppeling(
        external_id=external_id,
        registered_at=registered_at,
        bsn=bsn,
        v_number=v_number,
        gemeentecode=gemeentecode,
        koppeling_on=koppeling_on,
        correction_of=correction_of,
        retraction_of="",
        person=person,
        residence_from_on=residence_from_on,
        in_azc=bool(in_azc),
        azc_location=azc_location,
        handover=handover,
        health=health,
        health_consent=consent,
    )


def without_health_data(raw: dict[str, Any], *, keep: bool) -> dict[str, Any]:
    """The payload as it may be stored: COA health signals only with recorded consent (else dropped)."""
    if keep or "gezondheid" not in raw:
        return raw
    return {key: value for key, value in raw.items() if key != "gezondheid"}
