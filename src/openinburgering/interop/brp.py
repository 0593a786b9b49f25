"""Haal Centraal BRP Personen bevragen 2.x: look a person up by BSN (user-asked, inside the page request).

Data minimisation: the request names the ``fields`` it needs (``LOOKUP_FIELDS``), nothing else comes back. The
purpose goes with every request in the protocollering headers of the BRP API gateway (``x-doelbinding``,
``x-verwerking``), configured per gemeente (``GemeenteConnection.options``) from the gemeente's BRP autorisatie.
The BSN travels in the POST body, never in a URL; the audit event records the lookup and its purpose, not the BSN.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import requests

from openinburgering.accounts.actor import Actor
from openinburgering.audit.services import record_event
from openinburgering.core.bsn import is_valid_bsn, normalise_bsn
from openinburgering.core.errors import ApplicationError

from .connections import client_for, connection_for
from .models import System

LOOKUP_FIELDS = (
    "burgerservicenummer",
    "naam.voornamen",
    "naam.voorvoegsel",
    "naam.geslachtsnaam",
    "geboorte.datum",
    "geboorte.land",
    "geslacht",
    "nationaliteiten.nationaliteit",
    "verblijfplaats.verblijfadres",
    "gemeenteVanInschrijving",
    "partners.burgerservicenummer",
    "kinderen.burgerservicenummer",
)
DEFAULT_DOELBINDING = "Uitvoering Wet inburgering 2021"
DEFAULT_VERWERKING = "Aanmelden inburgeringsplichtige"
NOT_CONFIGURED = "De gemeente heeft geen BRP-koppeling ingesteld. Vul de gegevens zelf in."
UNAVAILABLE = "De BRP is nu niet bereikbaar. Probeer het later opnieuw, of vul de gegevens zelf in."
REFUSED = (
    "De BRP weigert deze vraag: de autorisatie van de gemeente staat dit niet toe. "
    "Neem contact op met de functioneel beheerder."
)


@dataclass(frozen=True)
class BrpPerson:
    """What the aanmelding can take from the BRP, in the form's terms; empty strings where the BRP has nothing."""

    bsn: str
    given_names: str = ""
    surname_prefix: str = ""
    surname: str = ""
    birth_on: date | None = None
    birth_date_note: str = ""
    sex: str = ""
    nationality: str = ""
    birth_country: str = ""
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    city: str = ""
    gemeente_code: str = ""
    partner_bsns: tuple[str, ...] = field(default_factory=tuple)
    child_bsns: tuple[str, ...] = field(default_factory=tuple)

    def form_initial(self) -> dict[str, Any]:
        """The aanmelding form's fields that the BRP filled."""
        values = {
            "bsn": self.bsn, "given_names": self.given_names, "surname_prefix": self.surname_prefix,
            "surname": self.surname, "birth_on": self.birth_on, "sex": self.sex, "nationality": self.nationality,
            "birth_country": self.birth_country, "street": self.street, "house_number": self.house_number,
            "postcode": self.postcode, "city": self.city,
        }  # fmt: skip
        return {name: value for name, value in values.items() if value not in ("", None)}


def _code(value: Any) -> str:
    return str(value.get("code") or "") if isinstance(value, dict) else ""


def _date(value: Any) -> tuple[date | None, str]:
    if not isinstance(value, dict):
        return None, ""
    if value.get("type") == "Datum" and value.get("datum"):
        return date.fromisoformat(value["datum"]), ""
    return None, f"De BRP kent de geboortedatum niet volledig ({value.get('langFormaat', 'onbekend')})."


def parse_person(data: dict[str, Any]) -> BrpPerson:
    name = data.get("naam") or {}
    birth = data.get("geboorte") or {}
    birth_on, note = _date(birth.get("datum"))
    address = (data.get("verblijfplaats") or {}).get("verblijfadres") or {}
    nationalities = [n for n in data.get("nationaliteiten") or [] if n.get("type") == "Nationaliteit"]
    house = "".join(str(address.get(part) or "") for part in ("huisnummer", "huisletter"))
    if address.get("huisnummertoevoeging"):
        house += f"-{address['huisnummertoevoeging']}"
    sex = _code(data.get("geslacht"))
    return BrpPerson(
        bsn=str(data.get("burgerservicenummer") or ""),
        given_names=str(name.get("voornamen") or "").strip(),
        surname_prefix=str(name.get("voorvoegsel") or ""),
        surname=str(name.get("geslachtsnaam") or ""),
        birth_on=birth_on,
        birth_date_note=note,
        sex=sex if sex in ("M", "V", "O") else "",
        nationality=_code(nationalities[0].get("nationaliteit")) if nationalities else "",
        birth_country=_code(birth.get("land")),
        street=str(address.get("officieleStraatnaam") or address.get("korteStraatnaam") or ""),
        house_number=house,
        postcode=str(address.get("postcode") or ""),
        city=str(address.get("woonplaats") or ""),
        gemeente_code=_code(data.get("gemeenteVanInschrijving")),
        partner_bsns=tuple(
            p["burgerservicenummer"] for p in data.get("partners") or [] if p.get("burgerservicenummer")
        ),
        child_bsns=tuple(k["burgerservicenummer"] for k in data.get("kinderen") or [] if k.get("burgerservicenummer")),
    )


def fetch_persons(
    *, gemeente_id: int, bsns: list[str], fields: tuple[str, ...], verwerking: str = ""
) -> list[dict[str, Any]]:
    """One POST /personen (RaadpleegMetBurgerservicenummer) with the gemeente's purpose headers; raises
    ApplicationError with a Dutch message when the BRP cannot answer. Timeout: the service's (default 10 s).
    ``verwerking`` names the processing when it is not the aanmelding (e.g. the periodic check)."""
    connection = connection_for(gemeente_id, System.BRP)
    if connection is None:
        raise ApplicationError(NOT_CONFIGURED)
    body = {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": bsns, "fields": list(fields)}
    headers = {
        "Content-Type": "application/json; charset=utf-8",  # the media type the spec names for the request body
        "x-doelbinding": connection.option("doelbinding") or DEFAULT_DOELBINDING,
        "x-verwerking": verwerking or connection.option("verwerking") or DEFAULT_VERWERKING,
    }
    try:
        with client_for(connection) as client:
            response = client.post("personen", data=json.dumps(body).encode(), headers=headers)
    except requests.RequestException:
        raise ApplicationError(UNAVAILABLE) from None
    if response.status_code in (401, 403):
        raise ApplicationError(REFUSED)
    if response.status_code != 200:
        raise ApplicationError(UNAVAILABLE)
    try:
        persons = response.json().get("personen") or []
    except ValueError:
        raise ApplicationError(UNAVAILABLE) from None
    return [person for person in persons if isinstance(person, dict)]


def lookup_person(*, actor: Actor, bsn: str, via: str = "ui") -> BrpPerson | None:
    """The person with this BSN in the BRP, or None when the BRP does not know it. Audited as a read (who, when,
    with which doelbinding; not the BSN itself)."""
    bsn = normalise_bsn(bsn)
    if not is_valid_bsn(bsn):
        raise ApplicationError(
            "Vul een geldig BSN in: 9 cijfers die de elfproef doorstaan.", field_errors={"bsn": ["Ongeldig BSN."]}
        )
    persons = fetch_persons(gemeente_id=actor.gemeente.pk, bsns=[bsn], fields=LOOKUP_FIELDS)
    found = next((parse_person(person) for person in persons if person.get("burgerservicenummer") == bsn), None)
    connection = connection_for(actor.gemeente, System.BRP)
    purpose = (connection.option("doelbinding") if connection else "") or DEFAULT_DOELBINDING
    record_event(
        actor=actor, event_type="brp_person_looked_up", purpose=purpose, subject_type="brp_persoon",
        changes={"found": {"old": None, "new": found is not None}, "fields": {"old": None, "new": list(LOOKUP_FIELDS)}},
        via=via,
    )  # fmt: skip
    return found
