"""The append-only ledger: one new row per booking; a correction is a new row that points at what it corrects."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.core import dates as core_dates

from ..models import (
    LedgerEntry,
    LedgerKind,
)
from ..periods import month_start

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
