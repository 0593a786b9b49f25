"""Reads of ontzorgen: a file's status and balances (sums computed by the database, never stored), the worklists
and the runs. Every list is a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django.db.models import BooleanField, Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from openinburgering.core import sql

from .models import (
    GIVEN_KINDS,
    LedgerEntry,
    LedgerKind,
    Machtiging,
    Obligation,
    OntzorgenRecord,
    Payment,
    PaymentRun,
)
from .periods import month_end, month_start

ENDING_WITHIN_DAYS = 60
"""The worklist horizon for "ending soon" (#13 item 6): a working agreement, not a legal term."""


class Stage(StrEnum):
    NOT_APPLICABLE = "not_applicable"
    STARTING = "starting"
    RUNNING = "running"
    ENDING = "ending"
    ENDED = "ended"


STAGE_LABELS = {
    Stage.NOT_APPLICABLE: "Geen ontzorgen",
    Stage.STARTING: "Start binnenkort of deze maand",
    Stage.RUNNING: "Loopt",
    Stage.ENDING: f"Eindigt binnen {ENDING_WITHIN_DAYS} dagen",
    Stage.ENDED: "Afgelopen",
}


def stage_of(record: OntzorgenRecord | None, *, as_of: date) -> Stage:
    """Where a file is in ontzorgen on ``as_of`` (from the stored period; the period itself comes from the rules)."""
    if record is None or not record.applies or record.start_on is None or record.end_on is None:
        return Stage.NOT_APPLICABLE
    if record.end_on < as_of:
        return Stage.ENDED
    if record.start_on >= month_start(as_of):
        return Stage.STARTING
    if record.end_on <= as_of + timedelta(days=ENDING_WITHIN_DAYS):
        return Stage.ENDING
    return Stage.RUNNING


@dataclass(frozen=True, slots=True)
class Balances:
    """Sums over the ledger in cents. ``outstanding``: owed to creditors and not (yet) paid (a negative figure is a
    credit with a creditor: paid too much, until the creditor refunds or offsets it). ``held``: withheld from the
    bijstand and not paid out (returns, refunds of money paid too much)."""

    withheld: int
    due: int
    sent: int
    returned: int
    corrected: int
    refunded: int
    offset: int

    @property
    def outstanding(self) -> int:
        return self.due + self.corrected - self.sent + self.returned + self.refunded + self.offset

    @property
    def held(self) -> int:
        return self.withheld - self.sent + self.returned + self.refunded


def _sum(kind: str) -> Coalesce:
    return Coalesce(Sum("amount_cents", filter=Q(kind=kind)), Value(0), output_field=IntegerField())


def balances_of(client_file_id: int, *, obligation_id: int | None = None) -> Balances:
    """One query."""
    entries = LedgerEntry.objects.filter(client_file_id=client_file_id)
    if obligation_id is not None:
        entries = entries.filter(obligation_id=obligation_id)
    row = entries.aggregate(**{kind: _sum(kind) for kind in LedgerKind.values})
    return Balances(**{kind: int(row[kind]) for kind in LedgerKind.values})


def record_of(client_file_id: int) -> OntzorgenRecord | None:
    return OntzorgenRecord.objects.filter(client_file_id=client_file_id).first()


def record_with_obligation_count_of(client_file_id: int) -> OntzorgenRecord | None:
    """:func:`record_of` with ``obligation_count``, the number of the file's obligations, read as a subquery in the
    same query (the file page's block, #18)."""
    obligations = Obligation.objects.filter(client_file_id=OuterRef("client_file_id"))
    return (
        OntzorgenRecord.objects.filter(client_file_id=client_file_id)
        .annotate(obligation_count=sql.count_of(obligations))
        .first()
    )


def obligations_of(client_file_id: int) -> QuerySet[Obligation]:
    return Obligation.objects.filter(client_file_id=client_file_id).order_by("kind", "start_on", "id")


def ledger_of(client_file_id: int) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.filter(client_file_id=client_file_id)
        .select_related("obligation", "payment", "run")
        .order_by("period", "id")
    )


def machtigingen_of(client_file_id: int) -> QuerySet[Machtiging]:
    return Machtiging.objects.filter(client_file_id=client_file_id).order_by("-recorded_at", "-id")


def current_machtiging(client_file_id: int) -> Machtiging | None:
    return machtigingen_of(client_file_id).first()


def newest_machtiging_kind() -> Subquery:
    """The kind of the file's newest machtiging row (one correlated subquery), None without any."""
    return Subquery(
        Machtiging.objects.filter(client_file=OuterRef("client_file"))
        .order_by("-recorded_at", "-id")
        .values("kind")[:1]
    )


def starting_this_month(gemeente_id: int, *, as_of: date) -> QuerySet[OntzorgenRecord]:
    """Files whose ontzorgen starts in the month of ``as_of`` (or started before it and has no obligation yet)."""
    return (
        OntzorgenRecord.objects.filter(
            gemeente_id=gemeente_id, applies=True, start_on__gte=month_start(as_of), start_on__lte=month_end(as_of)
        )
        .select_related("client_file__person")
        .annotate(obligation_count=Count("client_file__obligations"))
        .order_by("start_on", "id")
    )


def ending_soon(gemeente_id: int, *, as_of: date) -> QuerySet[OntzorgenRecord]:
    """Files whose ontzorgen ends within ENDING_WITHIN_DAYS days of ``as_of``."""
    return (
        OntzorgenRecord.objects.filter(
            gemeente_id=gemeente_id,
            applies=True,
            end_on__gte=as_of,
            end_on__lte=as_of + timedelta(days=ENDING_WITHIN_DAYS),
        )
        .select_related("client_file__person")
        .order_by("end_on", "id")
    )


def obligations_missing_iban_or_machtiging(gemeente_id: int, *, as_of: date) -> QuerySet[Obligation]:
    """Current obligations that a run would leave out: no IBAN, or no standing machtiging or consent."""
    return (
        Obligation.objects.filter(gemeente_id=gemeente_id, client_file__ontzorgen_record__applies=True)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=as_of))
        .annotate(machtiging_kind=newest_machtiging_kind())
        .annotate(
            has_machtiging=Case(
                When(machtiging_kind__in=[str(kind) for kind in GIVEN_KINDS], then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .filter(Q(iban="") | Q(has_machtiging=False))
        .select_related("client_file__person")
        .order_by("client_file_id", "kind", "id")
    )


def runs_of(gemeente_id: int) -> QuerySet[PaymentRun]:
    return (
        PaymentRun.objects.filter(gemeente_id=gemeente_id)
        .select_related("built_by", "approved_by")
        .annotate(
            payment_count=Count("payments"),
            total_cents=Coalesce(Sum("payments__amount_cents"), Value(0), output_field=IntegerField()),
        )
        .order_by("-month")
    )


def payments_of(run: PaymentRun) -> QuerySet[Payment]:
    return run.payments.select_related("client_file__person", "obligation").order_by("id")


def run_totals(run: PaymentRun) -> tuple[int, int]:
    row = run.payments.aggregate(count=Count("id"), total=Coalesce(Sum("amount_cents"), Value(0)))
    return int(row["count"]), int(row["total"])


# ---------------------------------------------------------------------------------------------------------------
# Paid too much (#13 gap 2): what must be reclaimed from a creditor or settled with the client


@dataclass(frozen=True, slots=True)
class Reclaim:
    """An obligation whose creditor got more than is owed (its outstanding balance is below zero)."""

    obligation: Obligation
    amount_cents: int
    """Paid too much, as a positive number."""
    months: tuple[date, ...]
    """The months corrected down (a negative correction), oldest first."""


def _outstanding() -> Any:
    return (
        _sum(LedgerKind.DUE) + _sum(LedgerKind.CORRECTED) - _sum(LedgerKind.SENT) + _sum(LedgerKind.RETURNED)
        + _sum(LedgerKind.REFUNDED) + _sum(LedgerKind.OFFSET)
    )  # fmt: skip


def _reclaims(entries: QuerySet[LedgerEntry], limit: int | None = None) -> list[Reclaim]:
    """Three queries: the balances per obligation, the obligations, the corrected months."""
    rows = (
        entries.filter(obligation__isnull=False)
        .values("obligation_id")
        .annotate(outstanding=_outstanding())
        .filter(outstanding__lt=0)
        .order_by("obligation_id")
    )
    amounts = {int(row["obligation_id"]): -int(row["outstanding"]) for row in (rows[:limit] if limit else rows)}
    if not amounts:
        return []
    obligations = Obligation.objects.filter(pk__in=list(amounts)).select_related("client_file__person")
    months: dict[int, set[date]] = {}
    for obligation_id, period in entries.filter(
        obligation_id__in=list(amounts), kind=LedgerKind.CORRECTED, amount_cents__lt=0
    ).values_list("obligation_id", "period"):
        months.setdefault(int(obligation_id), set()).add(period)
    return [
        Reclaim(obligation=o, amount_cents=amounts[o.pk], months=tuple(sorted(months.get(o.pk, ()))))
        for o in sorted(obligations, key=lambda o: (o.client_file_id, o.kind, o.pk))
    ]


def reclaims_of(client_file_id: int) -> list[Reclaim]:
    """The file's obligations paid too much (bijstand or ontzorgen ended early, a vaste last ended back in time)."""
    return _reclaims(LedgerEntry.objects.filter(client_file_id=client_file_id))


def reclaims_in(gemeente_id: int, *, limit: int = 200) -> list[Reclaim]:
    """The gemeente's obligations paid too much, for the worklist (three queries)."""
    return _reclaims(LedgerEntry.objects.filter(gemeente_id=gemeente_id), limit=limit)


def credits_in(gemeente_id: int) -> dict[int, int]:
    """Per obligation of the gemeente with a credit (paid too much, not yet settled): the credit as a negative
    number of cents. A run pays that much less to the creditor. One query, limited to obligations that ever got a
    negative correction (only they can have a credit)."""
    corrected_down = LedgerEntry.objects.filter(
        gemeente_id=gemeente_id, kind=LedgerKind.CORRECTED, amount_cents__lt=0
    ).values("obligation_id")
    rows = (
        LedgerEntry.objects.filter(obligation_id__in=Subquery(corrected_down))
        .values("obligation_id")
        .annotate(outstanding=_outstanding())
        .filter(outstanding__lt=0)
        .order_by()
    )
    return {int(row["obligation_id"]): int(row["outstanding"]) for row in rows}
