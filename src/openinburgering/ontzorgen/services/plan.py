"""What a payment run books and pays (see the package docstring for the rules).

Planned as plain values, not model instances: a month of 10,000 files with 5 obligations each is 50,000 rows, and
a Django model instance per obligation, ontzorgen record and ledger entry cost most of a minute (#13 performance).
``runs.build_run`` writes the planned rows with one statement per table (``core.bulk.insert_rows``).

Besides the run's own month, a run looks back at two kinds of earlier months, per obligation:

- **corrections**: months from the obligation's ``corrections_from`` (a change that reaches back, a new
  obligation, a change of the ontzorgen period): what is owed now minus what was booked becomes a correction;
- **catch-up** (#13 gap 3): months that no approved run covered, between the start of ontzorgen and this run: before
  the gemeente's first approved run, or a month skipped between two runs. What is owed and was never booked is
  paid in this run, once: the booked sum is checked every time, so a second run never pays it again.

An earlier credit with a creditor (paid too much, ``selectors.credits_in``) is settled by paying that much less.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.db.models import Max, Q, Sum
from django.utils import translation

from ..iban import is_valid_iban
from ..models import (
    GIVEN_KINDS,
    LedgerEntry,
    LedgerKind,
    Obligation,
    ObligationKind,
    OntzorgenRecord,
    PaymentRun,
    RunStatus,
)
from ..periods import month_end, month_label, month_start, next_month, overlaps
from ..selectors import credits_in, newest_machtiging_kind
from .common import EARLIEST_MONTH

# ---------------------------------------------------------------------------------------------------------------
# Payment runs


class PlanRecord(NamedTuple):
    """What the plan needs of a file's ontzorgen record."""

    applies: bool
    items: tuple[str, ...]
    start_on: date | None
    end_on: date | None


class PlanObligation(NamedTuple):
    """What the plan and the payment need of an obligation (and its file's record and newest machtiging). A tuple:
    made from a database row at C speed (``_make``), 50,000 of them in a large run."""

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
    caught_up: list[int] = field(default_factory=list)  # obligations paid for a month no approved run covered
    credited: dict[int, int] = field(default_factory=dict)  # obligation id -> earlier credit settled (negative)


def expected_cents(obligation: PlanObligation | Obligation, record: PlanRecord | OntzorgenRecord, period: date) -> int:
    """What this obligation owes for ``period`` under the current data (0 when not paid by the gemeente)."""
    if not record.applies or obligation.kind not in record.items:
        return 0
    if not overlaps(period, record.start_on, record.end_on):
        return 0
    if not overlaps(period, obligation.start_on, obligation.end_on):
        return 0
    return int(obligation.amount_cents)


# PlanObligation's fields in their order (``id`` is ``pk``), then the record's.
OBLIGATION_VALUES = (
    "id", "client_file_id", "gemeente_id", "kind", "creditor_name", "iban", "bic", "creditor_reference",
    "polisnummer", "amount_cents", "day_of_month", "start_on", "end_on", "corrections_from", "machtiging_kind",
    "client_file__ontzorgen_record__applies", "client_file__ontzorgen_record__items",
    "client_file__ontzorgen_record__start_on", "client_file__ontzorgen_record__end_on",
)  # fmt: skip


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
        candidates.append(PlanObligation._make((*row[:15], record)))
    return candidates


def _months(first: date, before: date) -> Iterator[date]:
    period = first
    while period < before:
        yield period
        period = next_month(period)


def _catch_up_from(approved_months: list[date]) -> date:
    """The first month a catch-up may cover: after the last approved run, or (no run yet) the law's first month."""
    return next_month(approved_months[-1]) if approved_months else EARLIEST_MONTH


def booked_cents(
    obligation_ids: list[int], *, since: date, before: date
) -> tuple[dict[tuple[int, date], int], dict[tuple[int, date], int]]:
    """Per (obligation, month) what is booked as owed (due and corrected, in approved runs or booked outside a run)
    and the id of the newest ``due`` entry a correction points at. One query."""
    booked: dict[tuple[int, date], int] = defaultdict(int)
    last_due: dict[tuple[int, date], int] = {}
    if not obligation_ids or since >= before:
        return booked, last_due
    rows = (
        LedgerEntry.objects.filter(
            obligation_id__in=obligation_ids,
            kind__in=[LedgerKind.DUE, LedgerKind.CORRECTED],
            period__gte=since,
            period__lt=before,
        )
        .filter(Q(run__isnull=True) | Q(run__status=RunStatus.APPROVED))
        .values("obligation_id", "period", "kind")
        .annotate(total=Sum("amount_cents"), last=Max("id"))
    )
    for row in rows:
        key = (row["obligation_id"], row["period"])
        booked[key] += int(row["total"])
        if row["kind"] == LedgerKind.DUE:
            last_due[key] = int(row["last"])
    return booked, last_due


def _first_month_to_check(obligation: PlanObligation, *, month: date, catch_up_from: date) -> date | None:
    """The first earlier month this run looks at for ``obligation`` (None: only the run's own month)."""
    firsts: list[date] = []
    if obligation.corrections_from is not None and obligation.corrections_from < month:
        firsts.append(obligation.corrections_from)
    record = obligation.record
    if catch_up_from < month and record.applies and record.start_on is not None:
        first = max(catch_up_from, month_start(record.start_on), month_start(obligation.start_on))
        if first < month:
            firsts.append(first)
    return min(firsts) if firsts else None


def plan_run(*, gemeente_id: int, month: date) -> RunPlan:
    """What a run for ``month`` books: a constant number of queries whatever the number of obligations."""
    plan = RunPlan()
    approved_months = list(
        PaymentRun.objects.filter(gemeente_id=gemeente_id, status=RunStatus.APPROVED, month__lt=month)
        .order_by("month")
        .values_list("month", flat=True)
    )
    approved = set(approved_months)
    catch_up_from = _catch_up_from(approved_months)
    active = Q(
        client_file__ontzorgen_record__applies=True,
        client_file__ontzorgen_record__start_on__lte=month_end(month),
        client_file__ontzorgen_record__end_on__gte=month,
        start_on__lte=month_end(month),
    ) & (Q(end_on__isnull=True) | Q(end_on__gte=month))
    reopened = Q(corrections_from__lt=month, client_file__ontzorgen_record__isnull=False)
    uncovered = Q(pk__in=[])
    if catch_up_from < month:
        uncovered = Q(
            client_file__ontzorgen_record__applies=True,
            client_file__ontzorgen_record__start_on__lt=month,
            client_file__ontzorgen_record__end_on__gte=catch_up_from,
            start_on__lt=month,
        ) & (Q(end_on__isnull=True) | Q(end_on__gte=catch_up_from))
    candidates = _candidates(active | reopened | uncovered, gemeente_id)
    firsts = {
        o.pk: first
        for o in candidates
        if (first := _first_month_to_check(o, month=month, catch_up_from=catch_up_from)) is not None
    }
    booked, last_due = booked_cents(list(firsts), since=min(firsts.values(), default=month), before=month)
    credits = credits_in(gemeente_id)
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
        amount = expected_cents(obligation, record, month)
        if amount:
            entries.append(_entry(obligation, LedgerKind.DUE, amount, month, ""))
        reopened_from = obligation.corrections_from
        if reopened_from is not None and reopened_from < month:
            plan.rechecked.append(obligation.pk)
        first = firsts.get(obligation.pk)
        caught_up = False
        for period in _months(first, month) if first is not None else ():
            is_correction = reopened_from is not None and period >= reopened_from
            is_catch_up = period not in approved and period >= catch_up_from
            if not is_correction and not is_catch_up:
                continue
            key = (obligation.pk, period)
            difference = expected_cents(obligation, record, period) - booked[key]
            if difference == 0:
                continue
            if key in last_due:
                entry = _entry(obligation, LedgerKind.CORRECTED, difference, period, f"Correctie {month_label(period)}")
                entry.corrects_id = last_due[key]
                entries.append(entry)
            elif difference > 0:
                note = f"{'Inhaalbetaling' if period not in approved else 'Correctie'} {month_label(period)}"
                entries.append(_entry(obligation, LedgerKind.DUE, difference, period, note))
                caught_up = caught_up or period not in approved
        if caught_up:
            plan.caught_up.append(obligation.pk)
        if entries:
            plan.entries.extend(entries)
            plan.obligations[obligation.pk] = obligation
            # A credit with this creditor (paid too much before) is settled by paying that much less.
            credit = credits.get(obligation.pk, 0)
            if credit:
                plan.credited[obligation.pk] = credit
            plan.payment_for[obligation.pk] = sum(int(entry.amount_cents) for entry in entries) + credit
    return plan


def _entry(obligation: PlanObligation, kind: str, amount: int, period: date, note: str) -> PlannedEntry:
    return PlannedEntry(
        client_file_id=obligation.client_file_id, gemeente_id=obligation.gemeente_id, obligation_id=obligation.pk,
        kind=kind, amount_cents=amount, period=period, note=note,
    )  # fmt: skip
