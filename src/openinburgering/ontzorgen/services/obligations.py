"""The obligations (vaste lasten) of a file: checked, recorded and changed. A change in a month already paid
reopens that month (``corrections_from``) for the next run."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.clients.models import ClientFile
from openinburgering.clients.validation import FieldErrors
from openinburgering.core.errors import ApplicationError, NotFound

from ..iban import InvalidIban, bic_for, clean_iban
from ..models import (
    MAX_DAY_OF_MONTH,
    Obligation,
    ObligationKind,
    OntzorgenRecord,
)
from ..periods import month_start
from .common import EARLIEST_MONTH, MAX_AMOUNT_CENTS, _audit, _date, _text, parse_euros
from .corrections import correct_paid_months

# ---------------------------------------------------------------------------------------------------------------
# Obligations


MONEY_FIELDS = ("kind", "amount_cents", "start_on", "end_on")


def check_obligation(
    data: Mapping[str, Any], *, record: OntzorgenRecord | None, obligation: Obligation | None = None
) -> dict[str, Any]:
    """Cleans an obligation's fields (all of them, also on a change); raises ApplicationError with every problem."""
    errors = FieldErrors()
    current = obligation
    kind = _text(data.get("kind", current.kind if current else ""))
    creditor = _text(data.get("creditor_name", current.creditor_name if current else ""))
    iban_text = _text(data.get("iban", current.iban if current else ""))
    bic_text = _text(data.get("bic", current.bic if current else ""))
    reference = _text(data.get("creditor_reference", current.creditor_reference if current else ""))
    polis = _text(data.get("polisnummer", current.polisnummer if current else ""))
    description = _text(data.get("description", current.description if current else ""))
    amount = data.get("amount_cents", current.amount_cents if current else None)
    day = data.get("day_of_month", current.day_of_month if current else None)
    start_on = _date(data["start_on"]) if "start_on" in data else (current.start_on if current else None)
    end_on = _date(data["end_on"]) if "end_on" in data else (current.end_on if current else None)

    if kind not in ObligationKind.values:
        errors.add("kind", "Kies de soort vaste last: huur, energie, water, zorgverzekering of een andere.")
    elif record is not None and kind not in record.items:
        errors.add(
            "kind",
            "De gemeente betaalt deze vaste last niet voor deze persoon (maatwerk). Pas eerst het maatwerk aan.",
        )
    if not creditor:
        errors.add("creditor_name", "Vul de naam van de schuldeiser in (bijvoorbeeld de verhuurder).")
    elif len(creditor) > 70:
        errors.add("creditor_name", "Gebruik hoogstens 70 tekens; dat is wat de bank doorgeeft.")
    iban = ""
    bic = ""
    if iban_text:
        try:
            iban = clean_iban(iban_text)
            bic = bic_for(iban, bic_text)
        except InvalidIban as error:
            field_name = "bic" if "BIC" in error.message else "iban"
            errors.add(field_name, error.message)
    if len(reference) > 100:
        errors.add("creditor_reference", "Gebruik hoogstens 100 tekens.")
    if kind == ObligationKind.ZORGVERZEKERING and not polis:
        errors.add("polisnummer", "Vul het polisnummer van de zorgverzekering in.")
    if len(polis) > 40:
        errors.add("polisnummer", "Gebruik hoogstens 40 tekens.")
    if len(description) > 100:
        errors.add("description", "Gebruik hoogstens 100 tekens.")
    if isinstance(amount, str):
        amount = parse_euros(amount)
    if not isinstance(amount, int) or isinstance(amount, bool):
        errors.add("amount_cents", "Vul een bedrag in, bijvoorbeeld 650,00.")
    elif amount <= 0:
        errors.add("amount_cents", "Het bedrag moet meer dan € 0,00 zijn.")
    elif amount > MAX_AMOUNT_CENTS:
        errors.add("amount_cents", "Dit bedrag is te hoog voor een vaste last per maand. Controleer het bedrag.")
    try:
        day_number = int(day) if day not in (None, "") else None
    except (TypeError, ValueError):
        day_number = None
    if day_number is None or not 1 <= day_number <= MAX_DAY_OF_MONTH:
        errors.add("day_of_month", f"Kies een betaaldag van 1 tot en met {MAX_DAY_OF_MONTH}.")
    if start_on is None:
        errors.add("start_on", "Vul in vanaf welke dag de gemeente betaalt.")
    elif start_on < EARLIEST_MONTH:
        errors.add("start_on", "Deze datum ligt voor de Wet inburgering 2021. Controleer het jaar.")
    if "end_on" in data and _text(data.get("end_on")) and end_on is None:
        errors.add("end_on", "Vul een geldige einddatum in, of laat het veld leeg.")
    if start_on is not None and end_on is not None and end_on < start_on:
        errors.add("end_on", "De einddatum ligt voor de begindatum. Controleer de data.")
    errors.raise_if_any()
    return {
        "kind": kind,
        "creditor_name": creditor,
        "iban": iban,
        "bic": bic,
        "creditor_reference": reference,
        "polisnummer": polis,
        "description": description,
        "amount_cents": amount,
        "day_of_month": day_number,
        "start_on": start_on,
        "end_on": end_on,
    }


def _record_of(client_file: ClientFile) -> OntzorgenRecord:
    record = OntzorgenRecord.objects.filter(client_file=client_file).first()
    if record is None or not record.applies:
        raise ApplicationError(
            "Ontzorgen geldt (nog) niet voor deze persoon. Leg eerst vast vanaf wanneer de persoon bijstand krijgt."
        )
    return record


@transaction.atomic
def record_obligation(*, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui") -> Obligation:
    """A new vaste last. Started in a month already in an approved run, that month is paid in the next run."""
    if not actor.can(Capability.MANAGE_ONTZORGEN):
        raise NotFound()
    record = _record_of(client_file)
    cleaned = check_obligation(data, record=record)
    obligation = Obligation.objects.create(
        client_file=client_file, gemeente_id=client_file.gemeente_id, created_by=actor.user, updated_by=actor.user,
        corrections_from=month_start(cleaned["start_on"]), **cleaned,
    )  # fmt: skip
    _audit(
        actor, "obligation_recorded", client_file, obligation, via,
        kind=obligation.kind, amount_cents=obligation.amount_cents, start_on=obligation.start_on,
        end_on=obligation.end_on, has_iban=bool(obligation.iban),
    )  # fmt: skip
    return obligation


@transaction.atomic
def change_obligation(
    *,
    actor: Actor,
    client_file: ClientFile,
    obligation: Obligation,
    data: Mapping[str, Any],
    via: str = "ui",
    correction_reason: str = "de vaste last is gewijzigd",
) -> Obligation:
    """Change a vaste last. A change of the amount needs ``changed_from`` (the first day it applies); months
    already paid from then on are corrected (never by editing a sent file): what was paid too much at once, as a
    negative correction to reclaim; what is owed more in the next run."""
    if not actor.can(Capability.MANAGE_ONTZORGEN):
        raise NotFound()
    record = _record_of(client_file)
    locked = Obligation.objects.select_for_update().get(pk=obligation.pk, client_file=client_file)
    cleaned = check_obligation(data, record=record, obligation=locked)
    before = {key: getattr(locked, key) for key in cleaned}
    changed = {key: value for key, value in cleaned.items() if before[key] != value}
    if not changed:
        return locked
    reopen: list[date] = []
    if "amount_cents" in changed or "kind" in changed:
        changed_from = _date(data.get("changed_from"))
        if changed_from is None:
            raise ApplicationError(
                "Vul in vanaf welke dag het nieuwe bedrag geldt.",
                field_errors={"changed_from": ["Vul in vanaf welke dag het nieuwe bedrag geldt."]},
            )
        reopen.append(month_start(changed_from))
    for key in ("start_on", "end_on"):
        if key in changed:
            dates = [day for day in (before[key], changed[key]) if day is not None]
            reopen.append(month_start(min(dates)) if dates else month_start(cleaned["start_on"]))
    if reopen:
        earliest = min(reopen)
        if locked.corrections_from is None or earliest < locked.corrections_from:
            locked.corrections_from = earliest
    for key, value in cleaned.items():
        setattr(locked, key, value)
    locked.updated_by = actor.user
    locked.save()
    locked.client_file = client_file
    _audit(actor, "obligation_changed", client_file, locked, via, **{
        key: value for key, value in changed.items() if key not in ("iban", "bic", "creditor_reference", "polisnummer")
    }, changed_fields=sorted(changed))  # fmt: skip
    if reopen:
        correct_paid_months(
            actor=actor, client_file=client_file, record=record, obligations=[locked], first_month=min(reopen),
            reason=correction_reason, via=via,
        )  # fmt: skip
    return locked
