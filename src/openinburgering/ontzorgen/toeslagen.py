"""Toeslagen (#13 item 5): huurtoeslag and zorgtoeslag, applied, granted, and when the first payment comes.

When ontzorgen ends, the client pays rent and health insurance themself; without huurtoeslag and zorgtoeslag on
their own account those costs are often too high. Since 1 January 2025 COA no longer applies for toeslagen, so the
financieel consulent records each step here and the worklist shows the clients whose toeslagen have not started
by the day ontzorgen ends (the gap).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.audit.services import record_event
from openinburgering.clients.models import ClientFile
from openinburgering.clients.validation import FieldErrors

from .models import OntzorgenRecord
from .models_aftercare import ToeslagKind, ToeslagRecord, ToeslagStatus
from .services import PURPOSE as ONTZORGEN_PURPOSE

PURPOSE = ONTZORGEN_PURPOSE
MAX_NOTE = 2_000
MAX_MONTHLY = Decimal("2000.00")
GAP_LOOKAHEAD_DAYS = 60
"""The worklist looks at ontzorgen ending within 60 days (#13 item 6, "ending within 60 days")."""
GAP_LOOKBACK_DAYS = 120
"""...and at ontzorgen that ended in the last four months while a toeslag had still not started."""


def _date(value: Any, name: str, errors: FieldErrors) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.add(name, "Vul een datum in zoals 2026-12-31.")
        return None


def check_toeslag(data: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """The toeslag fields cleaned, or an ApplicationError with Dutch errors per field."""
    errors = FieldErrors()
    kind = str(data.get("kind") or "")
    if kind not in ToeslagKind.values:
        errors.add("kind", "Kies huurtoeslag of zorgtoeslag.")
    status = str(data.get("status") or "")
    if status not in ToeslagStatus.values:
        errors.add("status", "Kies de stand van de aanvraag.")
    applied_on = _date(data.get("applied_on"), "applied_on", errors)
    granted_on = _date(data.get("granted_on"), "granted_on", errors)
    first_payment_on = _date(data.get("first_payment_on"), "first_payment_on", errors)
    amount: Decimal | None = None
    raw_amount = str(data.get("monthly_amount") or "").strip().replace(",", ".")
    if raw_amount:
        try:
            amount = Decimal(raw_amount)
        except InvalidOperation:
            errors.add("monthly_amount", "Vul een bedrag in zoals 123,45.")
        else:
            if amount <= 0:
                errors.add("monthly_amount", "Het bedrag moet meer dan € 0 zijn.")
            elif amount > MAX_MONTHLY or amount != amount.quantize(Decimal("0.01")):
                errors.add("monthly_amount", "Vul een bedrag in met hoogstens twee cijfers na de komma, tot € 2.000.")
    note = str(data.get("note") or "").strip()
    if len(note) > MAX_NOTE:
        errors.add("note", f"Gebruik hoogstens {MAX_NOTE} tekens.")
    if status == ToeslagStatus.AANGEVRAAGD and applied_on is None:
        errors.add("applied_on", "Vul in wanneer de toeslag is aangevraagd.")
    if status == ToeslagStatus.TOEGEKEND and granted_on is None:
        errors.add("granted_on", "Vul in wanneer de toeslag is toegekend.")
    if status != ToeslagStatus.TOEGEKEND and first_payment_on is not None:
        errors.add("first_payment_on", "Een eerste betaling is er alleen als de toeslag is toegekend.")
    if applied_on and applied_on > today:
        errors.add("applied_on", "De aanvraag kan niet in de toekomst liggen.")
    if applied_on and granted_on and granted_on < applied_on:
        errors.add("granted_on", "De toekenning kan niet vóór de aanvraag liggen.")
    if granted_on and first_payment_on and first_payment_on < granted_on - timedelta(days=31):
        errors.add("first_payment_on", "De eerste betaling ligt te ver vóór de toekenning. Controleer de datum.")
    errors.raise_if_any()
    return {
        "kind": kind, "status": status, "applied_on": applied_on, "granted_on": granted_on,
        "first_payment_on": first_payment_on, "monthly_amount": amount, "note": note,
    }  # fmt: skip


@transaction.atomic
def record_toeslag(
    *, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], today: date, via: str = "ui"
) -> ToeslagRecord:
    """A new state of a toeslag (the newest counts). The caller opened the file for writing (financiën)."""
    clean = check_toeslag(data, today=today)
    record = ToeslagRecord.objects.create(
        client_file=client_file, recorded_at=timezone.now(), recorded_by=actor.user, **clean
    )
    record_event(
        actor=actor, event_type="toeslag_recorded", purpose=PURPOSE, client_file=client_file, subject=record,
        changes={
            "kind": clean["kind"], "status": clean["status"],
            "first_payment_on": clean["first_payment_on"].isoformat() if clean["first_payment_on"] else None,
        },
        via=via,
    )  # fmt: skip
    return record


# ---------------------------------------------------------------------------------------------------------------
# Reading


def latest_toeslagen(client_file_ids: list[int]) -> dict[int, dict[str, ToeslagRecord]]:
    """The newest record per file and kind, for many files in ONE query (DISTINCT ON on PostgreSQL, a Python
    pass on SQLite)."""
    latest: dict[int, dict[str, ToeslagRecord]] = {}
    rows = ToeslagRecord.objects.filter(client_file_id__in=client_file_ids).order_by(
        "client_file_id", "kind", "-recorded_at", "-id"
    )
    for row in rows:
        latest.setdefault(row.client_file_id, {}).setdefault(row.kind, row)
    return latest


def toeslag_started(record: ToeslagRecord | None, *, by: date) -> bool:
    """Whether the toeslag is settled by ``by``: paid from that day on, or not needed / refused (nothing to wait
    for). Applied but not granted, granted without a first payment date, or paid only later: not started."""
    if record is None:
        return False
    if record.status in (ToeslagStatus.NIET_NODIG, ToeslagStatus.AFGEWEZEN):
        return True
    return (
        record.status == ToeslagStatus.TOEGEKEND
        and record.first_payment_on is not None
        and record.first_payment_on <= by
    )


@dataclass(frozen=True, slots=True)
class GapRow:
    record: OntzorgenRecord
    ends_on: date
    missing: tuple[str, ...]
    """Dutch descriptions of what has not started, per toeslag."""


def _describe(kind: str, record: ToeslagRecord | None, ends_on: date) -> str:
    label = ToeslagKind(kind).label
    if record is None:
        return f"{label}: niet aangevraagd"
    if record.status == ToeslagStatus.AANGEVRAAGD:
        return f"{label}: aangevraagd op {record.applied_on:%d-%m-%Y}, nog niet toegekend"
    if record.first_payment_on is None:
        return f"{label}: toegekend, datum eerste betaling onbekend"
    return f"{label}: eerste betaling pas op {record.first_payment_on:%d-%m-%Y}, na het einde ({ends_on:%d-%m-%Y})"


def toeslagen_gap(*, gemeente_id: int, as_of: date) -> list[GapRow]:
    """Clients whose ontzorgen ends within 60 days (or ended in the last 120 days) while a toeslag has not started by
    the end. Two queries, whatever the number of clients."""
    records = list(
        OntzorgenRecord.objects.filter(
            gemeente_id=gemeente_id,
            applies=True,
            end_on__gte=as_of - timedelta(days=GAP_LOOKBACK_DAYS),
            end_on__lte=as_of + timedelta(days=GAP_LOOKAHEAD_DAYS),
        )
        .select_related("client_file", "client_file__person")
        .order_by("end_on", "client_file_id")
    )
    latest = latest_toeslagen([record.client_file_id for record in records])
    rows = []
    for record in records:
        assert record.end_on is not None
        of_file = latest.get(record.client_file_id, {})
        missing = tuple(
            _describe(kind, of_file.get(kind), record.end_on)
            for kind in ToeslagKind.values
            if not toeslag_started(of_file.get(kind), by=record.end_on)
        )
        if missing:
            rows.append(GapRow(record=record, ends_on=record.end_on, missing=missing))
    return rows
