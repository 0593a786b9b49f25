"""Batch bookings on the camt.053 (#13 gap 4): one debit for a payment block of our file, or one entry with
several transactions without their own amounts, is matched to the run's payments instead of landing unmatched."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from lxml import etree

from openinburgering.core.dates import today
from openinburgering.ontzorgen import banksim, camt, reconcile, sepa
from openinburgering.ontzorgen.models import BankStatement, LedgerEntry, Payment, PaymentFile, StatementLine

from .conftest import GEMEENTE_IBAN
from .test_reconcile import _booked

pytestmark = pytest.mark.django_db


def _total(run: Any) -> Decimal:
    return Decimal(sum(p.amount_cents for p in Payment.objects.filter(run=run))) / 100


def _batch_statement(statement_id: str, batch: banksim.BatchBooking, version: str = "camt.053.001.02") -> bytes:
    data = banksim.build_statement(
        account_iban=GEMEENTE_IBAN, statement_id=statement_id, booked_on=today(), payments=[], batches=[batch],
        version=version,
    )  # fmt: skip
    camt.read_statement(data)  # valid against the official XSD
    return data


def _lines(statement: BankStatement) -> list[tuple[int, str, int, str]]:
    return [
        (line.entry_index, line.end_to_end_id, line.amount_cents, line.outcome)
        for line in StatementLine.objects.filter(statement=statement).order_by("id")
    ]


@pytest.mark.parametrize("version", ["camt.053.001.02", "camt.053.001.08"])
def test_a_batch_booking_of_a_payment_block_marks_every_payment_paid(approved_run: Any, actor: Any, version: str):
    _message_id, blocks = sepa.payment_blocks(bytes(PaymentFile.objects.get(run=approved_run).content))
    [(block_id, ids)] = blocks.items()
    payments = list(Payment.objects.filter(run=approved_run).order_by("id"))
    assert list(ids) == [p.end_to_end_id for p in payments]
    batch = banksim.BatchBooking(amount=_total(approved_run), payment_information_id=block_id, count=3)

    result = reconcile.import_statement(actor=actor("frank"), data=_batch_statement("B-1", batch, version))

    [statement] = result.statements
    assert (statement.paid_count, statement.unmatched_count, statement.line_count) == (3, 0, 3)
    assert _lines(statement) == [(0, p.end_to_end_id, p.amount_cents, "paid") for p in payments]
    # The same batch on a later statement changes nothing: already processed.
    again = reconcile.import_statement(actor=actor("frank"), data=_batch_statement("B-2", batch, version))
    assert [line[3] for line in _lines(again.statements[0])] == ["already"] * 3


def test_a_batch_booking_that_names_the_file_is_matched_too(approved_run: Any, actor: Any):
    message_id = PaymentFile.objects.get(run=approved_run).message_id
    batch = banksim.BatchBooking(amount=_total(approved_run), message_id=message_id)
    result = reconcile.import_statement(actor=actor("frank"), data=_batch_statement("B-1", batch))
    assert result.paid == 3


@pytest.mark.parametrize(("changes", "note"), [
    ({"amount": Decimal("1.00")}, "het bedrag (1.00) is anders dan de betalingen samen"),
    ({"payment_information_id": "ONBEKEND-1"}, "wij vinden geen betaalbestand met dit kenmerk"),
    ({"count": 2}, "de bank noemt 2 betalingen, het betaalbestand 3"),
])  # fmt: skip
def test_a_batch_that_does_not_add_up_is_one_unmatched_line_saying_why(
    approved_run: Any, actor: Any, changes: dict[str, Any], note: str
):
    _message_id, blocks = sepa.payment_blocks(bytes(PaymentFile.objects.get(run=approved_run).content))
    [block_id] = blocks
    batch = banksim.BatchBooking(**{"amount": _total(approved_run), "payment_information_id": block_id, **changes})
    result = reconcile.import_statement(actor=actor("frank"), data=_batch_statement("B-1", batch))
    [line] = StatementLine.objects.filter(statement=result.statements[0])
    assert (line.outcome, line.payment_id) == ("unmatched", None)
    assert note in line.description


def test_one_entry_with_several_transactions_without_amounts_is_matched(approved_run: Any, actor: Any):
    """The bank lists our end-to-end ids under one entry for the total, without an amount per transaction."""
    data = banksim.build_statement(
        account_iban=GEMEENTE_IBAN, statement_id="M-1", booked_on=today(), payments=_booked(approved_run)
    )
    root = etree.fromstring(data)
    ns = {"c": root.nsmap[None]}
    entries = root.findall("c:BkToCstmrStmt/c:Stmt/c:Ntry", ns)
    first_details = entries[0].find("c:NtryDtls", ns)
    for entry in entries[1:]:
        first_details.append(entry.find("c:NtryDtls/c:TxDtls", ns))
        entry.getparent().remove(entry)
    for amount_details in root.iterfind(".//c:TxDtls/c:AmtDtls", ns):
        amount_details.getparent().remove(amount_details)
    entries[0].find("c:Amt", ns).text = f"{_total(approved_run):.2f}"
    merged = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    assert len(camt.read_statement(merged).statements[0].entries) == 1

    result = reconcile.import_statement(actor=actor("frank"), data=merged)

    payments = list(Payment.objects.filter(run=approved_run).order_by("id"))
    assert _lines(result.statements[0]) == [(0, p.end_to_end_id, p.amount_cents, "paid") for p in payments]


@pytest.mark.parametrize("version", ["camt.053.001.02", "camt.053.001.08"])
def test_a_batch_credit_returning_a_whole_block_marks_every_payment_returned(
    approved_run: Any, actor: Any, version: str
):
    """#13 leftover b: the bank books the whole block back as ONE credit; each payment comes back in the ledger."""
    _message_id, blocks = sepa.payment_blocks(bytes(PaymentFile.objects.get(run=approved_run).content))
    [block_id] = blocks
    payments = list(Payment.objects.filter(run=approved_run).order_by("id"))
    paid = banksim.BatchBooking(amount=_total(approved_run), payment_information_id=block_id, count=3)
    returned = banksim.BatchBooking(amount=_total(approved_run), payment_information_id=block_id, count=3, credit=True)
    data = banksim.build_statement(
        account_iban=GEMEENTE_IBAN, statement_id="R-1", booked_on=today(), payments=[], batches=[paid, returned],
        version=version,
    )  # fmt: skip
    camt.read_statement(data)  # valid against the official XSD

    result = reconcile.import_statement(actor=actor("frank"), data=data)

    [statement] = result.statements
    assert (statement.paid_count, statement.returned_count, statement.unmatched_count) == (3, 3, 0)
    assert _lines(statement) == [
        *[(0, p.end_to_end_id, p.amount_cents, "paid") for p in payments],
        *[(1, p.end_to_end_id, p.amount_cents, "returned") for p in payments],
    ]
    returned_lines = StatementLine.objects.filter(statement=statement, outcome="returned")
    assert {line.description for line in returned_lines} == {
        f"De bank heeft het hele betaalblok {block_id} teruggeboekt. De bank gaf geen reden per betaling."
    }
    assert {line.is_credit for line in returned_lines} == {True}
    entries = LedgerEntry.objects.filter(kind="returned").order_by("payment_id")
    assert [(e.payment_id, e.amount_cents, e.corrects.kind, e.corrects.payment_id) for e in entries] == [
        (p.pk, p.amount_cents, "sent", p.pk) for p in payments
    ]
    # The same return on a later statement changes nothing: already returned.
    again = banksim.build_statement(
        account_iban=GEMEENTE_IBAN, statement_id="R-2", booked_on=today(), payments=[], batches=[returned],
        version=version,
    )  # fmt: skip
    repeat = reconcile.import_statement(actor=actor("frank"), data=again)
    assert [line[3] for line in _lines(repeat.statements[0])] == ["already"] * 3
    assert LedgerEntry.objects.filter(kind="returned").count() == 3


def test_a_batch_credit_that_does_not_add_up_stays_unmatched_and_books_nothing(approved_run: Any, actor: Any):
    _message_id, blocks = sepa.payment_blocks(bytes(PaymentFile.objects.get(run=approved_run).content))
    [block_id] = blocks
    batch = banksim.BatchBooking(amount=Decimal("10.00"), payment_information_id=block_id, credit=True)
    result = reconcile.import_statement(actor=actor("frank"), data=_batch_statement("R-1", batch))
    [line] = StatementLine.objects.filter(statement=result.statements[0])
    assert (line.outcome, line.payment_id, line.is_credit) == ("unmatched", None, True)
    assert "het bedrag (10.00) is anders dan de betalingen samen" in line.description
    assert LedgerEntry.objects.filter(kind="returned").count() == 0
