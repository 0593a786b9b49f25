"""Every change in financieel ontzorgen (#13): the period and maatwerk of a file, a Pw 57 extension, the
machtiging, the obligations (vaste lasten), the gemeente's account, and the monthly payment run with its four-eyes
approval and SEPA file. Keyword-only, atomic, audited in the same transaction. The period comes only from
``rules.ontzorgen``; money is integer cents.

How a run decides what to pay (documented in docs/ontzorgen.md):

- **Regular**: each obligation of a file whose ontzorgen covers the month, whose kind the gemeente pays for this
  person (maatwerk), that covers the month itself, with a standing machtiging or consent and a valid IBAN: one
  ``due`` entry of its monthly amount. A partial month is paid in full (the creditor bills by month).
- **Corrections**: an obligation changed with effect in a month already in an approved run (``corrections_from``)
  is checked again for those months: the difference between what is owed now and what was booked becomes a
  ``corrected`` entry pointing at the booked ``due`` (or, when nothing was booked, a ``due`` for that month).
- **Payment**: per obligation the sum of this run's entries; when it is above zero, one credit transfer with a
  unique end-to-end id. A sum at or below zero is a credit with the creditor: booked, shown, not paid.
- Obligations without a valid IBAN or without a machtiging are left out (nothing booked) and are on the worklist.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.audit.services import EventSubject, record_event, record_events
from openinburgering.clients.models import ClientFile
from openinburgering.clients.validation import FieldErrors
from openinburgering.core import dates as core_dates
from openinburgering.core.errors import ApplicationError, Conflict, NotFound

from . import sepa
from .iban import InvalidIban, bic_for, clean_iban, is_valid_iban
from .models import (
    GIVEN_KINDS,
    MAX_DAY_OF_MONTH,
    STATUTORY_ITEMS,
    LedgerEntry,
    LedgerKind,
    Machtiging,
    MachtigingKind,
    Obligation,
    ObligationKind,
    OntzorgenExtension,
    OntzorgenRecord,
    OntzorgenSettings,
    Payment,
    PaymentFile,
    PaymentRun,
    RunStatus,
)
from .periods import month_end, month_label, month_start, next_month, overlaps, parse_month
from .selectors import newest_machtiging_kind

PURPOSE = "financieel ontzorgen (Participatiewet art. 56a)"
TEXT_LIMIT = 2_000
MAX_AMOUNT_CENTS = 1_000_000  # € 10.000 a month: above that it is a typing error, not a vaste last
EARLIEST_MONTH = date(2022, 1, 1)  # the Wet inburgering 2021 took effect on 1 January 2022


# ---------------------------------------------------------------------------------------------------------------
# Helpers


def _text(value: Any) -> str:
    return str(value or "").strip()


def _json(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _audit(
    actor: Actor, event_type: str, client_file: ClientFile | None, subject: Any, via: str, **changes: Any
) -> None:
    record_event(
        actor=actor, event_type=event_type, purpose=PURPOSE, client_file=client_file, gemeente=actor.gemeente,
        subject=subject, changes={key: _json(value) for key, value in changes.items()}, via=via,
    )  # fmt: skip


def parse_euros(value: Any) -> int | None:
    """Euros as typed by a person (``1.234,56``, ``750``, ``750.5``) in whole cents; None when it is no amount."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value * 100
    text = _text(value).replace("€", "").replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        return None
    return int(amount * 100)


def format_cents(cents: int) -> str:
    """``€ 1.234,56`` (Dutch notation)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    return f"{sign}€ {euros:,}".replace(",", ".") + f",{rest:02d}"


# ---------------------------------------------------------------------------------------------------------------
# Ontzorgen of a file: period (rules.ontzorgen), maatwerk and Pw 57 extension


def _residence(client_file: ClientFile) -> rules.Residence:
    try:
        return rules.Residence(client_file.residence)
    except ValueError:
        return rules.Residence.OTHER


def _recompute(record: OntzorgenRecord) -> None:
    """The period from rules.ontzorgen with the newest Pw 57 extension (every file here is plichtig Wi2021)."""
    newest = record.extensions.order_by("-recorded_at", "-id").first() if record.pk else None
    outcome = rules.ontzorgen(
        plichtig_wi2021=True,
        residence=_residence(record.client_file),
        receives_bijstand=record.receives_bijstand,
        bijstand_start_on=record.bijstand_start_on if record.receives_bijstand else None,
        bijstand_end_on=record.bijstand_end_on if record.receives_bijstand else None,
        extended_until_on=newest.extended_until_on if newest is not None else None,
    )
    record.applies = outcome.applies
    record.reason = str(outcome.reason)
    record.start_on = outcome.start_on
    record.end_on = outcome.end_on


def check_ontzorgen(data: Mapping[str, Any]) -> dict[str, Any]:
    errors = FieldErrors()
    receives = bool(data.get("receives_bijstand"))
    start_on = _date(data.get("bijstand_start_on"))
    end_on = _date(data.get("bijstand_end_on"))
    if receives and start_on is None:
        errors.add("bijstand_start_on", "Vul in vanaf welke dag de persoon recht heeft op bijstand.")
    if _text(data.get("bijstand_start_on")) and start_on is None:
        errors.add("bijstand_start_on", "Vul een geldige datum in.")
    if _text(data.get("bijstand_end_on")) and end_on is None:
        errors.add("bijstand_end_on", "Vul een geldige datum in.")
    if start_on is not None and end_on is not None and end_on < start_on:
        errors.add("bijstand_end_on", "De einddatum van de bijstand ligt voor de begindatum. Controleer de data.")
    raw_items = data.get("items")
    items = list(STATUTORY_ITEMS) if raw_items is None else [_text(item) for item in raw_items]
    unknown = [item for item in items if item not in ObligationKind.values]
    if unknown:
        errors.add("items", "Kies alleen vaste lasten uit de lijst.")
    items = [kind for kind in ObligationKind.values if kind in items]  # fixed order, no duplicates
    reason = _text(data.get("maatwerk_reason"))
    if set(items) != set(STATUTORY_ITEMS) and not reason:
        errors.add(
            "maatwerk_reason",
            "U kiest andere vaste lasten dan de wet noemt (huur, energie, water, zorgverzekering). "
            "Schrijf op waarom (maatwerk).",
        )
    if len(reason) > TEXT_LIMIT:
        errors.add("maatwerk_reason", "Gebruik hoogstens 2.000 tekens.")
    errors.raise_if_any()
    return {
        "receives_bijstand": receives,
        "bijstand_start_on": start_on if receives else None,
        "bijstand_end_on": end_on if receives else None,
        "items": items,
        "maatwerk_reason": reason,
    }


@transaction.atomic
def record_ontzorgen(
    *, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui"
) -> OntzorgenRecord:
    """Record or change the bijstand dates and the maatwerk of a file; the period follows from the rules."""
    if not actor.can(Capability.MANAGE_ONTZORGEN):
        raise NotFound()
    cleaned = check_ontzorgen(data)
    record = OntzorgenRecord.objects.select_for_update().filter(client_file=client_file).first()
    created = record is None
    if record is None:
        record = OntzorgenRecord(client_file=client_file, gemeente_id=client_file.gemeente_id)
    before = {key: getattr(record, key) for key in (*cleaned, "start_on", "end_on", "applies")} if not created else {}
    for key, value in cleaned.items():
        setattr(record, key, value)
    record.client_file = client_file
    _recompute(record)
    record.updated_by = actor.user
    record.save()
    after = {key: getattr(record, key) for key in (*cleaned, "start_on", "end_on", "applies")}
    changes = {key: value for key, value in after.items() if created or before.get(key) != value}
    _audit(actor, "ontzorgen_recorded", client_file, record, via, **changes)
    return record


@transaction.atomic
def extend_ontzorgen(
    *, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui"
) -> OntzorgenExtension:
    """A Pw 57 decision to continue ontzorgen until a date, with its reason (insert-only)."""
    if not actor.can(Capability.MANAGE_ONTZORGEN):
        raise NotFound()
    record = OntzorgenRecord.objects.select_for_update().filter(client_file=client_file).first()
    if record is None or not record.applies:
        raise ApplicationError("Ontzorgen geldt niet voor deze persoon. Leg eerst de bijstand vast.")
    errors = FieldErrors()
    until = _date(data.get("extended_until_on"))
    decided_on = _date(data.get("decided_on"))
    reason = _text(data.get("reason"))
    if until is None:
        errors.add("extended_until_on", "Vul in tot en met welke dag ontzorgen doorloopt.")
    elif record.end_on is not None and until <= record.end_on:
        errors.add("extended_until_on", "Een verlenging moet na het huidige einde van ontzorgen liggen.")
    if decided_on is None:
        errors.add("decided_on", "Vul de datum van het besluit in.")
    elif decided_on > core_dates.today():
        errors.add("decided_on", "De datum van het besluit kan niet in de toekomst liggen.")
    if not reason:
        errors.add("reason", "Schrijf de reden van de verlenging op (Participatiewet art. 57).")
    elif len(reason) > TEXT_LIMIT:
        errors.add("reason", "Gebruik hoogstens 2.000 tekens.")
    errors.raise_if_any()
    assert until is not None
    assert decided_on is not None
    extension = OntzorgenExtension.objects.create(
        record=record, extended_until_on=until, decided_on=decided_on, reason=reason,
        recorded_at=timezone.now(), recorded_by=actor.user,
    )  # fmt: skip
    record.client_file = client_file
    _recompute(record)
    record.updated_by = actor.user
    record.save()
    _audit(actor, "ontzorgen_extended", client_file, extension, via, extended_until_on=until, end_on=record.end_on)
    return extension


# ---------------------------------------------------------------------------------------------------------------
# Machtiging


@transaction.atomic
def record_machtiging(*, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui") -> Machtiging:
    """The client's machtiging or signed consent, or a refusal or withdrawal with its consequence (insert-only;
    the newest row counts). A Pw 18 maatregel is decided in the bijstand suite; the note says what was done."""
    if not actor.can(Capability.MANAGE_ONTZORGEN):
        raise NotFound()
    errors = FieldErrors()
    kind = _text(data.get("kind"))
    given_on = _date(data.get("given_on"))
    reference = _text(data.get("document_reference"))
    note = _text(data.get("consequence_note"))
    if kind not in MachtigingKind.values:
        errors.add("kind", "Kies wat de persoon heeft gedaan: machtiging, toestemming, geweigerd of ingetrokken.")
    if given_on is None:
        errors.add("given_on", "Vul de datum in.")
    elif given_on > core_dates.today():
        errors.add("given_on", "De datum kan niet in de toekomst liggen.")
    if kind and kind not in GIVEN_KINDS and not note:
        errors.add(
            "consequence_note",
            "Schrijf op wat het gevolg is. Een maatregel (Participatiewet art. 18) besluit de bijstand; "
            "noteer hier wat is besloten of doorgegeven.",
        )
    if len(reference) > 100:
        errors.add("document_reference", "Gebruik hoogstens 100 tekens.")
    if len(note) > TEXT_LIMIT:
        errors.add("consequence_note", "Gebruik hoogstens 2.000 tekens.")
    errors.raise_if_any()
    assert given_on is not None  # checked above
    machtiging = Machtiging.objects.create(
        client_file=client_file, kind=kind, given_on=given_on, document_reference=reference,
        consequence_note=note, recorded_at=timezone.now(), recorded_by=actor.user,
    )  # fmt: skip
    _audit(actor, "machtiging_recorded", client_file, machtiging, via, kind=kind, given_on=given_on)
    return machtiging


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
    *, actor: Actor, client_file: ClientFile, obligation: Obligation, data: Mapping[str, Any], via: str = "ui"
) -> Obligation:
    """Change a vaste last. A change of the amount needs ``changed_from`` (the first day it applies); months
    already paid from then on are corrected in the next run (never by editing a sent file)."""
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
    return locked


# ---------------------------------------------------------------------------------------------------------------
# The gemeente's account


@transaction.atomic
def save_settings(*, actor: Actor, data: Mapping[str, Any], via: str = "ui") -> OntzorgenSettings:
    """The account the gemeente pays from (the debtor of the SEPA file)."""
    if not actor.can(Capability.MANAGE_ONTZORGEN):
        raise NotFound()
    errors = FieldErrors()
    name = _text(data.get("debtor_name"))
    iban = ""
    bic = ""
    if not name:
        errors.add("debtor_name", "Vul de naam van de rekeninghouder in.")
    elif len(name) > 70:
        errors.add("debtor_name", "Gebruik hoogstens 70 tekens.")
    try:
        iban = clean_iban(_text(data.get("debtor_iban")))
        bic = bic_for(iban, _text(data.get("debtor_bic")))
    except InvalidIban as error:
        errors.add("debtor_bic" if "BIC" in error.message else "debtor_iban", error.message)
    errors.raise_if_any()
    settings, _created = OntzorgenSettings.objects.update_or_create(
        gemeente_id=actor.gemeente_id, defaults={"debtor_name": name, "debtor_iban": iban, "debtor_bic": bic}
    )
    _audit(actor, "ontzorgen_settings_changed", None, settings, via, debtor_name=name, debtor_iban=iban)
    return settings


# ---------------------------------------------------------------------------------------------------------------
# Ledger


def append_ledger_entry(
    *,
    client_file_id: int,
    gemeente_id: int,
    kind: LedgerKind | str,
    amount_cents: int,
    period: date,
    actor: Actor | None = None,
    obligation_id: int | None = None,
    run_id: int | None = None,
    payment_id: int | None = None,
    corrects: LedgerEntry | None = None,
    note: str = "",
    booked_on: date | None = None,
) -> LedgerEntry:
    """One new ledger row (for the bank reconciliation: a ``returned`` entry ``corrects`` the payment's ``sent``
    entry). Callers hold the transaction and write the audit event."""
    return LedgerEntry.objects.create(
        client_file_id=client_file_id, gemeente_id=gemeente_id, kind=kind, amount_cents=amount_cents,
        period=month_start(period), obligation_id=obligation_id, run_id=run_id, payment_id=payment_id,
        corrects=corrects, note=note[:200], booked_on=booked_on or core_dates.today(), created_at=timezone.now(),
        created_by=actor.user if actor is not None else None,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Payment runs


@dataclass
class RunPlan:
    """What a run will book and pay (also the preview on the run page)."""

    entries: list[LedgerEntry] = field(default_factory=list)
    payment_for: dict[int, int] = field(default_factory=dict)  # obligation id -> total cents of this run
    obligations: dict[int, Obligation] = field(default_factory=dict)
    skipped_no_iban: list[int] = field(default_factory=list)
    skipped_no_machtiging: list[int] = field(default_factory=list)
    rechecked: list[int] = field(default_factory=list)  # obligations whose earlier months were checked again


def _expected(obligation: Obligation, record: OntzorgenRecord, period: date) -> int:
    """What this obligation owes for ``period`` under the current data (0 when not paid by the gemeente)."""
    if not record.applies or obligation.kind not in record.items:
        return 0
    if not overlaps(period, record.start_on, record.end_on):
        return 0
    if not overlaps(period, obligation.start_on, obligation.end_on):
        return 0
    return int(obligation.amount_cents)


def plan_run(*, gemeente_id: int, month: date, actor: Actor | None = None) -> RunPlan:
    """What a run for ``month`` books: a constant number of queries whatever the number of obligations."""
    plan = RunPlan()
    now = timezone.now()
    today = core_dates.today()
    approved_months = list(
        PaymentRun.objects.filter(gemeente_id=gemeente_id, status=RunStatus.APPROVED, month__lt=month)
        .order_by("month")
        .values_list("month", flat=True)
    )
    active = Q(
        client_file__ontzorgen_record__applies=True,
        client_file__ontzorgen_record__start_on__lte=month_end(month),
        client_file__ontzorgen_record__end_on__gte=month,
        start_on__lte=month_end(month),
    ) & (Q(end_on__isnull=True) | Q(end_on__gte=month))
    reopened = Q(corrections_from__lt=month, client_file__ontzorgen_record__isnull=False)
    candidates = list(
        Obligation.objects.filter(gemeente_id=gemeente_id)
        .filter(active | reopened)
        .select_related("client_file__ontzorgen_record")
        .annotate(machtiging_kind=newest_machtiging_kind())
        .order_by("client_file_id", "id")
    )
    reopened_ids = [o.pk for o in candidates if o.corrections_from is not None and o.corrections_from < month]
    booked: dict[tuple[int, date], int] = defaultdict(int)
    last_due: dict[tuple[int, date], int] = {}
    if reopened_ids and approved_months:
        rows = (
            LedgerEntry.objects.filter(
                obligation_id__in=reopened_ids,
                kind__in=[LedgerKind.DUE, LedgerKind.CORRECTED],
                period__in=approved_months,
            )
            .values("obligation_id", "period", "kind")
            .annotate(total=Sum("amount_cents"), last=Max("id"))
        )
        for row in rows:
            key = (row["obligation_id"], row["period"])
            booked[key] += int(row["total"])
            if row["kind"] == LedgerKind.DUE:
                last_due[key] = int(row["last"])
    for obligation in candidates:
        record = obligation.client_file.ontzorgen_record
        if obligation.machtiging_kind not in GIVEN_KINDS:
            plan.skipped_no_machtiging.append(obligation.pk)
            continue
        if not obligation.iban or not is_valid_iban(obligation.iban):
            plan.skipped_no_iban.append(obligation.pk)
            continue
        entries: list[LedgerEntry] = []
        amount = _expected(obligation, record, month)
        if amount:
            entries.append(_entry(obligation, LedgerKind.DUE, amount, month, now, today, actor, ""))
        if obligation.corrections_from is not None and obligation.corrections_from < month:
            plan.rechecked.append(obligation.pk)
            for period in approved_months:
                if period < obligation.corrections_from:
                    continue
                key = (obligation.pk, period)
                difference = _expected(obligation, record, period) - booked[key]
                if difference == 0:
                    continue
                note = f"Correctie {month_label(period)}"
                if key in last_due:
                    entry = _entry(obligation, LedgerKind.CORRECTED, difference, period, now, today, actor, note)
                    entry.corrects_id = last_due[key]
                    entries.append(entry)
                elif difference > 0:
                    entries.append(_entry(obligation, LedgerKind.DUE, difference, period, now, today, actor, note))
        if entries:
            plan.entries.extend(entries)
            plan.obligations[obligation.pk] = obligation
            plan.payment_for[obligation.pk] = sum(int(entry.amount_cents) for entry in entries)
    return plan


def _entry(
    obligation: Obligation, kind: str, amount: int, period: date, now: datetime, today: date,
    actor: Actor | None, note: str,
) -> LedgerEntry:  # fmt: skip
    return LedgerEntry(
        client_file_id=obligation.client_file_id, gemeente_id=obligation.gemeente_id, kind=kind, amount_cents=amount,
        period=period, obligation_id=obligation.pk, note=note, booked_on=today, created_at=now,
        created_by=actor.user if actor is not None else None,
    )  # fmt: skip


def end_to_end_id(run: PaymentRun, sequence: int) -> str:
    """Unique over all runs (the run's id is): ``OI`` + run id + sequence, at most 35 characters."""
    return f"OI{run.pk:08d}P{sequence:07d}"


def remittance_for(obligation: Obligation, month: date, *, includes_correction: bool) -> str:
    parts = [obligation.creditor_reference or obligation.get_kind_display()]
    if obligation.polisnummer:
        parts.append(f"polis {obligation.polisnummer}")
    parts.append(month_label(month))
    if includes_correction:
        parts.append("incl. correctie")
    return " ".join(parts)[:140]


def _parse_run_month(value: Any) -> date:
    month = parse_month(value)
    today = core_dates.today()
    if month is None:
        raise ApplicationError(
            "Kies de maand van de betaalrun, bijvoorbeeld 2026-12.",
            field_errors={"month": ["Kies de maand van de betaalrun, bijvoorbeeld 2026-12."]},
        )
    if month < EARLIEST_MONTH or month > next_month(next_month(month_start(today))):
        raise ApplicationError(
            "Een betaalrun kan voor deze maand, een eerdere maand of de twee maanden hierna.",
            field_errors={"month": ["Kies een maand van 2022 tot en met twee maanden na nu."]},
        )
    return month


def build_run(*, actor: Actor, month: Any, via: str = "ui") -> tuple[PaymentRun, bool]:
    """Build the run of a month in one transaction: payments and ledger entries all or nothing. Idempotent: the
    run of a month that is still waiting for approval is returned as it is (``False``); the run of a month that is
    already approved is a Dutch error (its file is made; a change is a correction in the next month's run)."""
    if not actor.can(Capability.MANAGE_ONTZORGEN):
        raise NotFound()
    month_date = _parse_run_month(month)
    try:
        with transaction.atomic():
            return _build_run(actor=actor, month=month_date, via=via)
    except IntegrityError:
        # Someone else built the same month at the same moment: theirs stands.
        existing = PaymentRun.objects.filter(gemeente_id=actor.gemeente_id, month=month_date).first()
        if existing is None:
            raise
        return existing, False


def _build_run(*, actor: Actor, month: date, via: str) -> tuple[PaymentRun, bool]:
    settings = OntzorgenSettings.objects.select_for_update().filter(gemeente_id=actor.gemeente_id).first()
    if settings is None:
        raise ApplicationError(
            "Vul eerst de rekening van de gemeente in (naam en IBAN) bij Betaalruns > Rekening van de gemeente."
        )
    existing = PaymentRun.objects.filter(gemeente_id=actor.gemeente_id, month=month).first()
    if existing is not None:
        if existing.is_approved:
            raise Conflict(
                f"De betaalrun van {month_label(month)} is al goedgekeurd en het bestand is gemaakt. "
                "Een wijziging komt als correctie in de betaalrun van de volgende maand."
            )
        return existing, False
    waiting = PaymentRun.objects.filter(gemeente_id=actor.gemeente_id, status=RunStatus.BUILT).first()
    if waiting is not None:
        raise Conflict(
            f"De betaalrun van {month_label(waiting.month)} wacht nog op goedkeuring. Laat die eerst goedkeuren."
        )
    later = PaymentRun.objects.filter(gemeente_id=actor.gemeente_id, month__gt=month).order_by("month").first()
    if later is not None:
        raise Conflict(
            f"Er is al een betaalrun voor {month_label(later.month)}. Een eerdere maand kan niet meer; "
            "een verschil komt als correctie in de volgende betaalrun."
        )
    now = timezone.now()
    run = PaymentRun.objects.create(
        gemeente_id=actor.gemeente_id, month=month, debtor_name=settings.debtor_name, debtor_iban=settings.debtor_iban,
        debtor_bic=settings.debtor_bic, built_at=now, built_by=actor.user,
    )  # fmt: skip
    plan = plan_run(gemeente_id=actor.gemeente_id, month=month, actor=actor)
    payments: list[Payment] = []
    corrected_obligations = {
        entry.obligation_id for entry in plan.entries if entry.kind == LedgerKind.CORRECTED or entry.period != month
    }
    for obligation_id, total in plan.payment_for.items():
        if total <= 0:
            continue
        obligation = plan.obligations[obligation_id]
        includes_correction = obligation_id in corrected_obligations
        payments.append(
            Payment(
                run=run,
                client_file_id=obligation.client_file_id,
                obligation_id=obligation_id,
                end_to_end_id=end_to_end_id(run, len(payments) + 1),
                amount_cents=total,
                creditor_name=obligation.creditor_name,
                iban=obligation.iban,
                bic=obligation.bic,
                remittance=remittance_for(obligation, month, includes_correction=includes_correction),
                due_on=month.replace(day=obligation.day_of_month),
                includes_correction=includes_correction,
            )
        )
    Payment.objects.bulk_create(payments, batch_size=2000)
    payment_of = {payment.obligation_id: payment for payment in payments}
    for entry in plan.entries:
        entry.run_id = run.pk
        payment = payment_of.get(entry.obligation_id) if entry.obligation_id is not None else None
        entry.payment_id = payment.pk if payment is not None else None
    LedgerEntry.objects.bulk_create(plan.entries, batch_size=2000)
    # The earlier months of these obligations are settled by this run; a change after ``now`` reopens them.
    Obligation.objects.filter(pk__in=plan.rechecked, updated_at__lt=now).update(corrections_from=None)
    total_cents = sum(payment.amount_cents for payment in payments)
    _audit(
        actor, "payment_run_created", None, run, via, month=month, payment_count=len(payments), total_cents=total_cents,
        skipped_no_iban=len(plan.skipped_no_iban), skipped_no_machtiging=len(plan.skipped_no_machtiging),
    )  # fmt: skip
    files = sorted({entry.client_file_id for entry in plan.entries})
    record_events(
        event_type="ontzorgen_payments_prepared", purpose=PURPOSE, actor=actor, via=via,
        subjects=[EventSubject(actor.gemeente_id, file_id, "paymentrun", str(run.pk)) for file_id in files],
    )  # fmt: skip
    return run, True


def message_id_for(run: PaymentRun) -> str:
    return f"OI-{run.gemeente.code}-{run.month:%Y%m}-{run.pk}"[:35]


@transaction.atomic
def approve_run(*, actor: Actor, run: PaymentRun, via: str = "ui") -> tuple[PaymentRun, bool]:
    """Four eyes: a second financieel consulent or the teamleider (never the builder) approves; then the SEPA file
    is written, validated against the XSD and stored, and the ledger books every payment as withheld from the
    bijstand and sent. Approving an approved run changes nothing (``False``)."""
    if not actor.can(Capability.APPROVE_PAYMENT_RUNS):
        raise NotFound()
    locked = PaymentRun.objects.select_for_update().select_related("gemeente").get(pk=run.pk)
    if locked.gemeente_id != actor.gemeente_id:
        raise NotFound()
    if locked.is_approved:
        return locked, False
    if locked.built_by_id == actor.user.pk:
        raise ApplicationError(
            "U heeft deze betaalrun zelf gemaakt. Een collega (financieel consulent of teamleider) keurt hem goed: "
            "zo kijken altijd twee mensen naar de betalingen."
        )
    payments = list(locked.payments.order_by("id"))
    invalid = [payment.end_to_end_id for payment in payments if not is_valid_iban(payment.iban)]
    if invalid:
        raise ApplicationError(
            f"{len(invalid)} betaling(en) hebben een IBAN dat niet klopt. Er is geen bestand gemaakt. "
            "Pas het IBAN aan; de betaling komt dan in de volgende betaalrun."
        )
    today = core_dates.today()
    now = timezone.now()
    message_id = message_id_for(locked)
    total = sum(payment.amount_cents for payment in payments)
    if payments:
        content = sepa.build_file(
            message_id=message_id, debtor_name=locked.debtor_name, debtor_iban=locked.debtor_iban,
            debtor_bic=locked.debtor_bic,
            transfers=(
                sepa.Transfer(
                    end_to_end_id=payment.end_to_end_id, amount_cents=payment.amount_cents,
                    creditor_name=payment.creditor_name, iban=payment.iban, bic=payment.bic,
                    remittance=payment.remittance, execution_on=max(payment.due_on, today),
                )
                for payment in payments
            ),
        )  # fmt: skip
        PaymentFile.objects.create(
            run=locked, message_id=message_id, validated_against=sepa.SCHEMA, content=content,
            sha256=hashlib.sha256(content).hexdigest(), payment_count=len(payments), total_cents=total,
            created_at=now, created_by=actor.user,
        )  # fmt: skip
    entries: list[LedgerEntry] = []
    for payment in payments:
        for kind, note in ((LedgerKind.WITHHELD, "In te houden op de bijstand"), (LedgerKind.SENT, "In bankbestand")):
            entries.append(
                LedgerEntry(
                    client_file_id=payment.client_file_id,
                    gemeente_id=locked.gemeente_id,
                    kind=kind,
                    amount_cents=payment.amount_cents,
                    period=locked.month,
                    obligation_id=payment.obligation_id,
                    run_id=locked.pk,
                    payment_id=payment.pk,
                    note=note,
                    booked_on=today,
                    created_at=now,
                    created_by=actor.user,
                )
            )
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    locked.status = RunStatus.APPROVED
    locked.approved_by = actor.user
    locked.approved_at = now
    locked.save(update_fields=["status", "approved_by", "approved_at"])
    _audit(actor, "payment_run_approved", None, locked, via, month=locked.month, payment_count=len(payments),
           total_cents=total, message_id=message_id if payments else "")  # fmt: skip
    files = sorted({payment.client_file_id for payment in payments})
    record_events(
        event_type="ontzorgen_payments_approved", purpose=PURPOSE, actor=actor, via=via,
        subjects=[
            EventSubject(locked.gemeente_id, file_id, "paymentrun", str(locked.pk)) for file_id in files
        ],
    )  # fmt: skip
    return locked, True


@transaction.atomic
def record_file_download(*, actor: Actor, run: PaymentRun, via: str = "ui") -> PaymentFile:
    """The stored, validated file of an approved run (audited as an export of the payments' personal data)."""
    payment_file = PaymentFile.objects.filter(run=run).first()
    if payment_file is None:
        raise NotFound("Er is (nog) geen bestand voor deze betaalrun.")
    _audit(actor, "payment_file_downloaded", None, payment_file, via, run=run.pk, sha256=payment_file.sha256)
    file_ids = list(run.payments.values_list("client_file_id", flat=True).distinct().order_by("client_file_id"))
    record_events(
        event_type="ontzorgen_payments_exported", purpose=PURPOSE, actor=actor, via=via,
        subjects=[EventSubject(run.gemeente_id, file_id, "paymentfile", str(payment_file.pk))
                  for file_id in file_ids],
    )  # fmt: skip
    return payment_file
