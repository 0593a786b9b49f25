"""What a payment run books and pays (see the package docstring for the rules).

Planned as plain values, not model instances: a month of 10,000 files with 5 obligations each is 50,000 rows, and
a Django model instance per obligation, ontzorgen record and ledger entry cost most of a minute (#13 performance).
``runs.build_run`` writes the planned rows with one statement per table (``core.bulk.insert_rows``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max, Q, Sum
from django.utils import translation

from ..iban import is_valid_iban
from ..models import (
    GIVEN_KINDS,
    LedgerEntry,
    LedgerKind,
    Obligation,
    ObligationKind,
    PaymentRun,
    RunStatus,
)
from ..periods import month_end, month_label, overlaps
from ..selectors import newest_machtiging_kind

# ---------------------------------------------------------------------------------------------------------------
# Payment runs


@dataclass(frozen=True, slots=True)
class PlanRecord:
    """What the plan needs of a file's ontzorgen record."""

    applies: bool
    items: tuple[str, ...]
    start_on: date | None
    end_on: date | None


@dataclass(frozen=True, slots=True)
class PlanObligation:
    """What the plan and the payment need of an obligation (and its file's record and newest machtiging)."""

    pk: int
    client_file_id: int
    gemeente_id: int
    kind: str
    creditor_name: str
    iban: str
    bic: str
    creditor_reference: str
    polisnummer: str
    amount_cents: int
    day_of_month: int
    start_on: date
    end_on: date | None
    corrections_from: date | None
    machtiging_kind: str | None
    record: PlanRecord

    def get_kind_display(self) -> str:
        with translation.override("nl"):  # stored in the payment's remittance: Dutch, whatever the thread speaks
            return str(ObligationKind(self.kind).label)


@dataclass(slots=True)
class PlannedEntry:
    """A ledger entry the run will book (``runs.build_run`` adds the run, payment, date and author)."""

    client_file_id: int
    gemeente_id: int
    obligation_id: int
    kind: str
    amount_cents: int
    period: date
    note: str = ""
    corrects_id: int | None = None


@dataclass
class RunPlan:
    """What a run will book and pay (also the preview on the run page)."""

    entries: list[PlannedEntry] = field(default_factory=list)
    payment_for: dict[int, int] = field(default_factory=dict)  # obligation id -> total cents of this run
    obligations: dict[int, PlanObligation] = field(default_factory=dict)
    skipped_no_iban: list[int] = field(default_factory=list)
    skipped_no_machtiging: list[int] = field(default_factory=list)
    rechecked: list[int] = field(default_factory=list)  # obligations whose earlier months were checked again


def _expected(obligation: PlanObligation, record: PlanRecord, period: date) -> int:
    """What this obligation owes for ``period`` under the current data (0 when not paid by the gemeente)."""
    if not record.applies or obligation.kind not in record.items:
        return 0
    if not overlaps(period, record.start_on, record.end_on):
        return 0
    if not overlaps(period, obligation.start_on, obligation.end_on):
        return 0
    return int(obligation.amount_cents)


OBLIGATION_VALUES = (
    "id", "client_file_id", "gemeente_id", "kind", "creditor_name", "iban", "bic", "creditor_reference",
    "polisnummer", "amount_cents", "day_of_month", "start_on", "end_on", "corrections_from", "machtiging_kind",
    "client_file__ontzorgen_record__applies", "client_file__ontzorgen_record__items",
    "client_file__ontzorgen_record__start_on", "client_file__ontzorgen_record__end_on",
)  # fmt: skip


PLAN_FIELDS = tuple(name for name in PlanObligation.__dataclass_fields__ if name != "record")
"""PlanObligation's fields in the order of the first 15 of OBLIGATION_VALUES (``id`` is ``pk``)."""


def _candidates(query: Q, gemeente_id: int) -> list[PlanObligation]:
    """The obligations matching ``query`` as values (one query), each file's record shared by its obligations."""
    rows = (
        Obligation.objects.filter(gemeente_id=gemeente_id)
        .filter(query)
        .annotate(machtiging_kind=newest_machtiging_kind())
        .order_by("client_file_id", "id")
        .values_list(*OBLIGATION_VALUES)
    )
    records: dict[int, PlanRecord] = {}
    candidates: list[PlanObligation] = []
    for row in rows:
        file_id = row[1]
        record = records.get(file_id)
        if record is None:
            applies, items, start_on, end_on = row[15:]
            record = records[file_id] = PlanRecord(bool(applies), tuple(items or ()), start_on, end_on)
        candidates.append(PlanObligation(**dict(zip(PLAN_FIELDS, row[:15], strict=True)), record=record))
    return candidates


def plan_run(*, gemeente_id: int, month: date) -> RunPlan:
    """What a run for ``month`` books: a constant number of queries whatever the number of obligations."""
    plan = RunPlan()
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
    candidates = _candidates(active | reopened, gemeente_id)
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
    valid_iban: dict[str, bool] = {}  # many obligations pay the same landlord, supplier or insurer
    for obligation in candidates:
        record = obligation.record
        if obligation.machtiging_kind not in GIVEN_KINDS:
            plan.skipped_no_machtiging.append(obligation.pk)
            continue
        if obligation.iban not in valid_iban:
            valid_iban[obligation.iban] = bool(obligation.iban) and is_valid_iban(obligation.iban)
        if not valid_iban[obligation.iban]:
            plan.skipped_no_iban.append(obligation.pk)
            continue
        entries: list[PlannedEntry] = []
        amount = _expected(obligation, record, month)
        if amount:
            entries.append(_entry(obligation, LedgerKind.DUE, amount, month, ""))
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
                    entry = _entry(obligation, LedgerKind.CORRECTED, difference, period, note)
                    entry.corrects_id = last_due[key]
                    entries.append(entry)
                elif difference > 0:
                    entries.append(_entry(obligation, LedgerKind.DUE, difference, period, note))
        if entries:
            plan.entries.extend(entries)
            plan.obligations[obligation.pk] = obligation
            plan.payment_for[obligation.pk] = sum(int(entry.amount_cents) for entry in entries)
    return plan


def _entry(obligation: PlanObligation, kind: str, amount: int, period: date, note: str) -> PlannedEntry:
    return PlannedEntry(
        client_file_id=obligation.client_file_id, gemeente_id=obligation.gemeente_id, obligation_id=obligation.pk,
        kind=kind, amount_cents=amount, period=period, note=note,
    )  # fmt: skip
