"""Providers and contracts (contractmanager)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from openinburgering.accounts.actor import Actor
from openinburgering.clients.validation import FieldErrors
from openinburgering.core import dates as core_dates
from openinburgering.core.errors import ApplicationError

from ..choices import ACTIVE_STATUSES, Component, PriceModel, ProviderKind, ReportingFrequency
from ..models import Contract, Provider
from ._common import PURPOSE_CONTRACTS, _audit, _json, _text

SCOPE_GEMEENTE = "gemeente"
SCOPE_REGIO = "regio"


def _owner(actor: Actor, scope: str, errors: FieldErrors) -> dict[str, Any]:
    if scope == SCOPE_REGIO:
        return {"gemeente": None, "region_id": actor.gemeente.region_id}
    if scope == SCOPE_GEMEENTE:
        return {"gemeente_id": actor.gemeente_id, "region": None}
    errors.add("scope", "Kies of dit alleen voor uw gemeente is of voor de hele arbeidsmarktregio.")
    return {}


def _check_provider(actor: Actor, data: dict[str, Any], today: date) -> dict[str, Any]:
    errors = FieldErrors()
    name = _text(data.get("name"))
    if not name:
        errors.add("name", "Vul de naam van de aanbieder in.")
    kinds = [str(kind) for kind in data.get("kinds") or []]
    if not kinds:
        errors.add("kinds", "Kies minstens 1 soort aanbieder.")
    elif any(kind not in ProviderKind.values for kind in kinds):
        errors.add("kinds", "Deze soort aanbieder kennen we niet.")
    keurmerk = bool(data.get("keurmerk"))
    expires_on: date | None = data.get("keurmerk_expires_on")
    if keurmerk and expires_on is None:
        errors.add("keurmerk_expires_on", "Vul in tot wanneer het keurmerk geldig is.")
    elif keurmerk and expires_on is not None and expires_on < today:
        errors.add(
            "keurmerk_expires_on",
            "Het keurmerk is verlopen. Vul de nieuwe einddatum in, of zet het keurmerk op nee.",
        )
    kvk = _text(data.get("kvk_number"), 20).replace(" ", "")
    if kvk and not re.fullmatch(r"\d{8}", kvk):
        errors.add("kvk_number", "Een KvK-nummer heeft 8 cijfers.")
    owner = _owner(actor, str(data.get("scope") or ""), errors)
    errors.raise_if_any()
    return {
        "name": name,
        "kinds": sorted(set(kinds)),
        "keurmerk": keurmerk,
        "keurmerk_expires_on": expires_on if keurmerk else None,
        "kvk_number": kvk,
        "contact_name": _text(data.get("contact_name")),
        "contact_email": _text(data.get("contact_email"), 254),
        "contact_phone": _text(data.get("contact_phone"), 30),
        **owner,
    }


@transaction.atomic
def save_provider(*, actor: Actor, data: dict[str, Any], provider: Provider | None = None, via: str = "ui") -> Provider:
    """Creates a provider, or changes one (the caller reached it with access_provider(..., for_write=True))."""
    cleaned = _check_provider(actor, data, core_dates.today())
    if provider is None:
        provider = Provider.objects.create(**cleaned)
        _audit(actor, "provider_created", subject=provider, via=via, purpose=PURPOSE_CONTRACTS, name=provider.name)
        return provider
    if not cleaned.get("region_id") and provider.region_id and provider.contracts.filter(region__isnull=False).exists():
        raise ApplicationError(
            "Deze aanbieder heeft een contract voor de regio. Hij blijft daarom gedeeld in de regio.",
            field_errors={"scope": ["De aanbieder heeft een contract voor de regio. Kies de regio."]},
        )
    changed = {
        key: {"old": _json(getattr(provider, key)), "new": _json(value)}
        for key, value in cleaned.items()
        if getattr(provider, key) != value
    }
    for key, value in cleaned.items():
        setattr(provider, key, value)
    provider.save()
    _audit(actor, "provider_updated", subject=provider, via=via, purpose=PURPOSE_CONTRACTS, extra=changed)
    return provider


def _amount(data: dict[str, Any], name: str, errors: FieldErrors) -> Decimal | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        errors.add(name, "Vul een bedrag in, bijvoorbeeld 12,50.")
        return None
    if not amount.is_finite() or amount < 0:
        errors.add(name, "Een bedrag kan niet negatief zijn.")
        return None
    if amount > Decimal("99999999.99"):
        errors.add(name, "Dit bedrag is te hoog.")
        return None
    return amount.quantize(Decimal("0.01"))


PRICE_FIELDS = {
    PriceModel.PER_ROUTE: ("price_per_route",),
    PriceModel.PER_HOUR: ("price_per_hour",),
    PriceModel.PER_RESULT: ("price_per_result",),
}
PRICE_LABELS = {
    "price_per_route": "prijs per route",
    "price_per_hour": "prijs per uur",
    "price_per_result": "prijs per resultaat",
}


def _check_contract(actor: Actor, provider: Provider, data: dict[str, Any]) -> dict[str, Any]:
    errors = FieldErrors()
    name = _text(data.get("name"))
    if not name:
        errors.add("name", "Vul een naam of kenmerk van het contract in.")
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on is None:
        errors.add("starts_on", "Vul de begindatum in.")
    if ends_on is None:
        errors.add("ends_on", "Vul de einddatum in.")
    if starts_on and ends_on and ends_on < starts_on:
        errors.add("ends_on", "De einddatum moet na de begindatum liggen.")
    price_model = str(data.get("price_model") or "")
    amounts = {name: _amount(data, name, errors) for name in PRICE_LABELS}
    if price_model not in PriceModel.values:
        errors.add("price_model", "Kies een prijsmodel.")
    elif price_model == PriceModel.MIXED:
        if sum(1 for value in amounts.values() if value is not None) < 2:
            errors.add("price_model", "Bij een gemengd prijsmodel vult u minstens 2 bedragen in.")
    else:
        for needed in PRICE_FIELDS[PriceModel(price_model)]:
            if amounts[needed] is None and needed not in errors.errors:
                errors.add(needed, f"Vul de {PRICE_LABELS[needed]} in. Die hoort bij dit prijsmodel.")
    capacity = data.get("capacity")
    if capacity is None or int(capacity) < 1:
        errors.add("capacity", "Vul het aantal plaatsen in (minstens 1).")
    components = [str(value) for value in data.get("components") or []]
    if not components:
        errors.add("components", "Kies minstens 1 onderdeel dat het contract dekt.")
    elif any(value not in Component.values for value in components):
        errors.add("components", "Dit onderdeel kennen we niet.")
    if str(data.get("reporting_frequency") or "") not in ReportingFrequency.values:
        errors.add("reporting_frequency", "Kies hoe vaak de aanbieder rapporteert.")
    owner = _owner(actor, str(data.get("scope") or ""), errors)
    if owner.get("region_id") and provider.region_id != owner["region_id"]:
        errors.add(
            "scope",
            "Een contract voor de regio kan alleen met een aanbieder die in de regio gedeeld is.",
        )
    errors.raise_if_any()
    return {
        "name": name,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "price_model": price_model,
        **amounts,
        "capacity": int(capacity or 0),
        "components": sorted(set(components)),
        "reporting_frequency": str(data["reporting_frequency"]),
        **owner,
    }


@transaction.atomic
def save_contract(
    *, actor: Actor, provider: Provider, data: dict[str, Any], contract: Contract | None = None, via: str = "ui"
) -> Contract:
    """Creates a contract for a provider, or changes one (locked by access_contract(..., for_write=True))."""
    cleaned = _check_contract(actor, provider, data)
    if contract is None:
        contract = Contract.objects.create(provider=provider, **cleaned)
        _audit(actor, "contract_created", subject=contract, via=via, purpose=PURPOSE_CONTRACTS, name=contract.name)
        return contract
    taken = contract.enrolments.filter(status__in=ACTIVE_STATUSES).count()
    if cleaned["capacity"] < taken:
        raise ApplicationError(
            "Er zijn meer lopende plaatsingen dan plaatsen.",
            field_errors={"capacity": [f"Er zijn nu {taken} lopende plaatsingen. Kies minstens {taken} plaatsen."]},
        )
    changed = {
        key: {"old": _json(getattr(contract, key)), "new": _json(value)}
        for key, value in cleaned.items()
        if getattr(contract, key) != value
    }
    for key, value in cleaned.items():
        setattr(contract, key, value)
    contract.save()
    _audit(actor, "contract_updated", subject=contract, via=via, purpose=PURPOSE_CONTRACTS, extra=changed)
    return contract
