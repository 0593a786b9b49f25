"""What a payment run books and pays (see the package docstring for the rules)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Max, Q, Sum
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.core import dates as core_dates

from ..iban import is_valid_iban
from ..models import (
    GIVEN_KINDS,
    LedgerEntry,
    LedgerKind,
    Obligation,
    OntzorgenRecord,
    PaymentRun,
    RunStatus,
)
from ..periods import month_end, month_label, overlaps
from ..selectors import newest_machtiging_kind

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
