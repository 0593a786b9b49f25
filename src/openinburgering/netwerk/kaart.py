"""The sociale kaart, managed by the functioneel beheerder (#14 item 1): offers of organisations of the gemeente or
shared in its arbeidsmarktregio; CSV import (validated, every error in Dutch with its row, all rows or none) and
export in the same columns, so an export can be edited and imported again."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.audit.services import record_event
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.intakes.choices import Leefgebied

from . import selectors
from .models import Offer, Organisation

PURPOSE = "de sociale kaart bijhouden (zorg en netwerk)"
COLUMNS = (
    "organisatie", "gedeeld_in_regio", "aanbod", "leefgebied", "doelgroep", "talen", "contact", "adres", "plaats",
    "openingstijden", "wachttijd_weken", "toelatingscriteria",
)  # fmt: skip
LIMITS = {"organisatie": 200, "aanbod": 200, "doelgroep": 200, "talen": 200, "contact": 200, "adres": 200,
          "plaats": 100, "openingstijden": 200, "toelatingscriteria": 2_000}  # fmt: skip
MAX_ROWS = 2_000
MAX_BYTES = 1_000_000
YES = {"ja", "j", "yes", "1", "true"}
NO = {"nee", "n", "no", "0", "false", ""}


def _require_manager(actor: Actor) -> None:
    if not actor.can(Capability.MANAGE_SOCIALE_KAART):
        raise NotFound()


def clean_offer_row(row: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """One row (form, API or CSV) checked: the cleaned values and the Dutch problems."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    for column, limit in LIMITS.items():
        text = str(row.get(column) or "").strip()
        if len(text) > limit:
            problems.append(f"'{column}' is te lang (maximaal {limit} tekens).")
        values[column] = text
    if not values["organisatie"]:
        problems.append("Vul de naam van de organisatie in.")
    if not values["aanbod"]:
        problems.append("Vul de naam van het aanbod in.")
    theme = str(row.get("leefgebied") or "").strip()
    if theme not in Leefgebied.values:
        problems.append(f"Leefgebied '{theme}' bestaat niet. Kies uit: {', '.join(Leefgebied.values)}.")
    values["leefgebied"] = theme
    shared = str(row.get("gedeeld_in_regio") or "").strip().lower()
    if shared not in YES | NO:
        problems.append("Vul bij 'gedeeld_in_regio' ja of nee in.")
    values["gedeeld_in_regio"] = shared in YES
    weeks = str(row.get("wachttijd_weken") or "").strip()
    values["wachttijd_weken"] = None
    if weeks:
        if not weeks.isdigit() or int(weeks) > 104:
            problems.append("Vul de wachttijd in als een aantal weken van 0 tot 104.")
        else:
            values["wachttijd_weken"] = int(weeks)
    return values, problems


def _organisation(actor: Actor, name: str, *, shared: bool) -> Organisation:
    scope: dict[str, Any] = {"region_id": actor.gemeente.region_id} if shared else {"gemeente_id": actor.gemeente_id}
    organisation, _ = Organisation.objects.get_or_create(name=name, **scope)
    return organisation


def _save(actor: Actor, values: Mapping[str, Any], offer: Offer | None = None) -> Offer:
    organisation = _organisation(actor, values["organisatie"], shared=values["gedeeld_in_regio"])
    fields = {
        "theme": values["leefgebied"], "target_group": values["doelgroep"], "languages": values["talen"],
        "contact": values["contact"], "address": values["adres"], "place": values["plaats"],
        "opening_hours": values["openingstijden"], "waiting_weeks": values["wachttijd_weken"],
        "intake_criteria": values["toelatingscriteria"],
    }  # fmt: skip
    if offer is None:
        offer, _ = Offer.objects.update_or_create(organisation=organisation, name=values["aanbod"], defaults=fields)
        return offer
    clash = Offer.objects.filter(organisation=organisation, name=values["aanbod"]).exclude(pk=offer.pk).exists()
    if clash:
        message = "Deze organisatie heeft al een aanbod met deze naam."
        raise ApplicationError(message, field_errors={"aanbod": [message]})
    offer.organisation, offer.name = organisation, values["aanbod"]
    for name, value in fields.items():
        setattr(offer, name, value)
    offer.save()
    return offer


@transaction.atomic
def save_offer(*, actor: Actor, data: Mapping[str, Any], offer: Offer | None = None, via: str = "ui") -> Offer:
    """Add an offer (or change ``offer``, one of the actor's sociale kaart)."""
    _require_manager(actor)
    values, problems = clean_offer_row(data)
    if problems:
        raise ApplicationError("Controleer het aanbod. " + " ".join(problems))
    saved = _save(actor, values, offer)
    record_event(actor=actor, event_type="sociale_kaart_changed", purpose=PURPOSE, subject=saved,
                 changes={"offer": saved.pk, "organisation": saved.organisation_id}, via=via)  # fmt: skip
    return saved


def offer_for_manager(actor: Actor, offer_id: int | str) -> Offer:
    _require_manager(actor)
    try:
        pk = int(offer_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    offer = selectors.offers_for(actor.gemeente, active_only=False).filter(pk=pk).first()
    if offer is None:
        raise NotFound()
    return offer


def parse_csv(raw: bytes) -> list[dict[str, str]]:
    """Rows of a CSV file (UTF-8, comma or semicolon); refuses a file that is not one with a clear message."""
    if len(raw) > MAX_BYTES:
        raise ApplicationError("Het bestand is te groot (maximaal 1 MB).")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError("Het bestand is geen UTF-8-tekst. Sla het op als CSV (UTF-8).") from None
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ApplicationError(f"De kolommen {', '.join(missing)} ontbreken. Gebruik de kolommen van de export.")
    try:
        rows = [{(k or "").strip(): v for k, v in row.items()} for row in reader]
    except csv.Error as error:
        raise ApplicationError(f"Het bestand is geen geldige CSV: {error}.") from None
    if not rows:
        raise ApplicationError("Het bestand bevat geen regels met aanbod.")
    if len(rows) > MAX_ROWS:
        raise ApplicationError(f"Het bestand heeft meer dan {MAX_ROWS} regels. Splits het op.")
    return rows


@transaction.atomic
def import_csv(*, actor: Actor, raw: bytes, via: str = "ui") -> int:
    """Every row valid, or nothing is saved: the error names each wrong row (row 2 is the first under the header)."""
    _require_manager(actor)
    rows = parse_csv(raw)
    cleaned: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, row in enumerate(rows, start=2):
        values, row_problems = clean_offer_row(row)
        problems += [f"Regel {number}: {problem}" for problem in row_problems]
        cleaned.append(values)
    if problems:
        raise ApplicationError("Er is niets ingelezen. " + " ".join(problems[:20]),
                               field_errors={"file": problems[:50]})  # fmt: skip
    for values in cleaned:
        _save(actor, values)
    record_event(actor=actor, event_type="sociale_kaart_imported", purpose=PURPOSE,
                 changes={"rows": len(cleaned)}, via=via)  # fmt: skip
    return len(cleaned)


def _cell(value: object) -> str:
    """A cell that a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(actor: Actor) -> str:
    """The gemeente's sociale kaart (own and regional offers) in the import's columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for offer in selectors.offers_for(actor.gemeente, active_only=False):
        writer.writerow(_cell(value) for value in [
            offer.organisation.name, "ja" if offer.organisation.region_id else "nee", offer.name, offer.theme,
            offer.target_group, offer.languages, offer.contact, offer.address, offer.place, offer.opening_hours,
            offer.waiting_weeks, offer.intake_criteria,
        ])  # fmt: skip
    return buffer.getvalue()
