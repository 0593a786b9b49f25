"""Corrections of months already paid (#13 gap 2): when the ontzorgen period shrinks (bijstand ended early, the
ontzorgen ended, maatwerk took a vaste last out) or an obligation ends back in time (also when the client takes it
over in begeleid loslaten), months that an approved run paid and that are no longer owed get a negative
``corrected`` ledger entry at once, pointing at the booked ``due``. The ledger stays append-only; the money paid
too much shows as a credit with the creditor (``selectors.reclaims_of``): to be reclaimed from the creditor or
settled with the client. The obligation is also reopened from that month, so the next run checks those months
again (a run still waiting for approval is corrected that way once it is approved)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.clients.models import ClientFile
from openinburgering.core import dates as core_dates

from ..models import LedgerEntry, LedgerKind, Obligation, OntzorgenRecord, PaymentRun, RunStatus
from ..periods import month_label, month_start, next_month
from .common import _audit
from .plan import booked_cents, expected_cents


def reopen_from(obligations: Iterable[Obligation], first_month: date) -> None:
    """The next run checks these obligations again from ``first_month`` (earlier when already reopened)."""
    first = month_start(first_month)
    ids = [obligation.pk for obligation in obligations]
    Obligation.objects.filter(pk__in=ids).filter(
        Q(corrections_from__isnull=True) | Q(corrections_from__gt=first)
    ).update(corrections_from=first)


def correct_paid_months(
    *, actor: Actor, client_file: ClientFile, record: OntzorgenRecord, obligations: list[Obligation],
    first_month: date, reason: str, via: str,
) -> list[LedgerEntry]:  # fmt: skip
    """Book a negative correction for every month from ``first_month`` that an approved run paid and that is no
    longer owed under the current data; reopen the obligations from that month. Callers hold the transaction."""
    first = month_start(first_month)
    reopen_from(obligations, first)
    paid_months = list(
        PaymentRun.objects.filter(gemeente_id=client_file.gemeente_id, status=RunStatus.APPROVED, month__gte=first)
        .order_by("month")
        .values_list("month", flat=True)
    )
    if not paid_months or not obligations:
        return []
    booked, last_due = booked_cents(
        [obligation.pk for obligation in obligations], since=first, before=next_month(paid_months[-1])
    )
    now = timezone.now()
    today = core_dates.today()
    entries: list[LedgerEntry] = []
    for obligation in obligations:
        for period in paid_months:
            key = (obligation.pk, period)
            difference = expected_cents(obligation, record, period) - booked[key]
            if difference >= 0 or key not in last_due:
                continue
            entries.append(
                LedgerEntry(
                    client_file_id=client_file.pk,
                    gemeente_id=client_file.gemeente_id,
                    kind=LedgerKind.CORRECTED,
                    amount_cents=difference,
                    period=period,
                    obligation_id=obligation.pk,
                    corrects_id=last_due[key],
                    note=f"Te veel betaald voor {month_label(period)}: {reason}"[:200],
                    booked_on=today,
                    created_at=now,
                    created_by=actor.user,
                )
            )
    if not entries:
        return []
    created = LedgerEntry.objects.bulk_create(entries)
    _audit(
        actor, "ontzorgen_overpayment_corrected", client_file, client_file, via,
        entries=len(created), total_cents=sum(int(entry.amount_cents) for entry in created),
        months=sorted({entry.period.isoformat() for entry in created}),
        obligations=sorted({int(entry.obligation_id or 0) for entry in created}),
    )  # fmt: skip
    return created
