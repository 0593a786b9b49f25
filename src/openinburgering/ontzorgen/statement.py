"""The client statement (#13 item 2): a PDF in plain Dutch of what the gemeente paid for the client, per month.

Read from the ledger only (balances are never stored): per month what was withheld from the bijstand, per payment
to whom, how much and what happened (sent to the bank, paid according to the bank statement, or came back with the
bank's reason), and the money a creditor gave back or settled after being paid too much (ledger kinds ``refunded``
and ``offset``, #13 leftover). The totals and what the gemeente still holds for the client are the ledger's sums
(``selectors.balances_of``), so what the client reads adds up to the balance the staff pages show. Rendered on
demand from ``templates/ontzorgen/statement/overzicht.html`` with the letters' PDF machinery (tagged PDF/UA);
printing it is audited as ``ontzorgen_statement_printed``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from openinburgering.accounts.actor import Actor
from openinburgering.audit.services import record_event
from openinburgering.clients.models import ClientFile
from openinburgering.letters.services import render_letter

from . import selectors
from .camt import return_reason_text
from .models import LedgerEntry, LedgerKind
from .models_aftercare import LoslatenStep, LoslatenStepKind
from .models_bank import LineOutcome, StatementLine
from .services import PURPOSE as ONTZORGEN_PURPOSE

PURPOSE = ONTZORGEN_PURPOSE
TEMPLATE = "ontzorgen/statement/overzicht.html"
TITLE = "Overzicht: wat de gemeente voor u betaalde"


def euros(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


@dataclass
class PaymentLine:
    kind: str
    creditor: str
    amount: Decimal
    status: str
    returned: bool = False


@dataclass
class SettledLine:
    """Money paid too much that the creditor gave back to the gemeente (refunded) or settled another way (offset)."""

    kind: str
    creditor: str
    amount: Decimal
    refunded: bool
    settled_on: date


@dataclass
class MonthBlock:
    period: date
    withheld: Decimal = Decimal("0.00")
    payments: list[PaymentLine] = field(default_factory=list)
    corrections: Decimal = Decimal("0.00")
    settled: list[SettledLine] = field(default_factory=list)

    @property
    def paid(self) -> Decimal:
        return sum((line.amount for line in self.payments if not line.returned), Decimal("0.00"))

    @property
    def overpaid(self) -> Decimal:
        """A negative correction, as the client reads it: paid too much that month."""
        return max(Decimal("0.00"), -self.corrections)


def months_of(client_file: ClientFile) -> list[MonthBlock]:
    """The ledger of the file grouped per month: two queries whatever its length."""
    entries = list(
        LedgerEntry.objects.filter(client_file=client_file)
        .select_related("obligation", "payment", "settlement")
        .order_by("period", "id")
    )
    payment_ids = [entry.payment_id for entry in entries if entry.payment_id is not None]
    bank: dict[int, str] = {}
    reasons: dict[int, str] = {}
    for payment_id, outcome, reason in StatementLine.objects.filter(
        payment_id__in=payment_ids, outcome__in=(LineOutcome.PAID, LineOutcome.RETURNED)
    ).values_list("payment_id", "outcome", "return_reason"):
        if outcome == LineOutcome.RETURNED or payment_id not in bank:
            bank[payment_id] = outcome
            reasons[payment_id] = reason
    months: dict[date, MonthBlock] = {}
    returned_payments: set[int] = {e.payment_id for e in entries if e.kind == "returned" and e.payment_id}
    by_period: dict[date, list[LedgerEntry]] = defaultdict(list)
    for entry in entries:
        by_period[entry.period].append(entry)
    for period in sorted(by_period):
        block = months.setdefault(period, MonthBlock(period=period))
        for entry in by_period[period]:
            if entry.kind == "withheld":
                block.withheld += euros(entry.amount_cents)
            elif entry.kind == "corrected":
                block.corrections += euros(entry.amount_cents)
            elif entry.kind in (LedgerKind.REFUNDED, LedgerKind.OFFSET):
                settlement = getattr(entry, "settlement", None)  # booked with every refund and offset
                block.settled.append(
                    SettledLine(
                        kind=entry.obligation.get_kind_display() if entry.obligation else "Vaste last",
                        creditor=entry.obligation.creditor_name if entry.obligation else "",
                        amount=euros(entry.amount_cents), refunded=entry.kind == LedgerKind.REFUNDED,
                        settled_on=settlement.settled_on if settlement is not None else entry.booked_on,
                    )
                )  # fmt: skip
            elif entry.kind == "sent" and entry.payment is not None:
                payment = entry.payment
                kind = entry.obligation.get_kind_display() if entry.obligation else "Betaling"
                if payment.pk in returned_payments:
                    status = "Teruggekomen. " + return_reason_text(reasons.get(payment.pk, ""))
                elif bank.get(payment.pk) == LineOutcome.PAID:
                    status = "Betaald"
                else:
                    status = "Naar de bank gestuurd"
                block.payments.append(
                    PaymentLine(
                        kind=kind, creditor=payment.creditor_name, amount=euros(entry.amount_cents), status=status,
                        returned=payment.pk in returned_payments,
                    )
                )  # fmt: skip
    return [months[period] for period in sorted(months)]


def self_paid_of(client_file: ClientFile) -> list[dict[str, Any]]:
    """The vaste lasten the client took over in begeleid loslaten (#13 gap 5), with the first day they pay them."""
    steps = (
        LoslatenStep.objects.filter(
            client_file=client_file, kind=LoslatenStepKind.ZELF_BETALEN, done__isnull=False,
            obligation__end_on__isnull=False,
        )
        .select_related("obligation")
        .order_by("obligation__end_on", "id")
    )  # fmt: skip
    return [
        {
            "kind": step.obligation.get_kind_display(),
            "creditor": step.obligation.creditor_name,
            "since": step.obligation.end_on + timedelta(days=1),
        }
        for step in steps
        if step.obligation is not None and step.obligation.end_on is not None
    ]


def statement_context(client_file: ClientFile) -> dict[str, Any]:
    months = months_of(client_file)
    balances = selectors.balances_of(client_file.pk)
    return {
        "title": TITLE,
        "months": months,
        "self_paid": self_paid_of(client_file),
        "total_paid": sum((month.paid for month in months), Decimal("0.00")),
        "total_withheld": sum((month.withheld for month in months), Decimal("0.00")),
        "total_refunded": euros(balances.refunded),
        "total_offset": euros(balances.offset),
        "held": euros(balances.held),  # withheld - paid + came back: what the gemeente still has of the client's
        "reference": "OZ",
    }


def render_statement(*, actor: Actor, client_file: ClientFile, via: str = "ui") -> bytes:
    """The PDF; the caller holds the transaction, in which the read is audited."""
    context = statement_context(client_file)
    pdf = render_letter(actor=actor, client_file=client_file, template_name=TEMPLATE, context=context)
    record_event(
        actor=actor, event_type="ontzorgen_statement_printed", purpose=PURPOSE, client_file=client_file,
        subject=client_file, changes={"months": len(context["months"])}, via=via,
    )  # fmt: skip
    return pdf
