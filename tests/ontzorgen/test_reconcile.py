"""Bank reconciliation: a real run's SEPA file, the (simulated) bank's camt.053, and what importing it changes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.ontzorgen import banksim, camt, reconcile
from openinburgering.ontzorgen.models import (
    BankStatement,
    LedgerEntry,
    Payment,
    StatementLine,
    StatementLineResolution,
)
from openinburgering.ontzorgen.periods import month_start
from openinburgering.ontzorgen.selectors import balances_of

from .conftest import GEMEENTE_IBAN

pytestmark = pytest.mark.django_db
THIS_MONTH = month_start(today())


def _booked(run: Any, *, returns: dict[str, str] | None = None) -> list[banksim.BookedPayment]:
    returns = returns or {}
    return [
        banksim.BookedPayment(
            end_to_end_id=p.end_to_end_id,
            amount=Decimal(p.amount_cents) / 100,
            creditor_name=p.creditor_name,
            creditor_iban=p.iban,
            remittance=p.remittance,
            return_reason=returns.get(p.end_to_end_id, ""),
        )
        for p in Payment.objects.filter(run=run).order_by("id")
    ]


def _statement(run: Any, statement_id: str = "STMT-1", **kwargs: Any) -> bytes:
    return banksim.build_statement(
        account_iban=GEMEENTE_IBAN, statement_id=statement_id, booked_on=today(), payments=_booked(run, **kwargs),
        extra_credits=[(Decimal("5000.00"), "Overboeking bijstand")],
    )  # fmt: skip


def test_the_run_payments_are_paid_a_return_goes_back_in_the_ledger_and_the_deposit_is_unmatched(
    approved_run: Any, actor: Any
) -> None:
    payments = list(Payment.objects.filter(run=approved_run).order_by("id"))
    assert len(payments) == 3
    returned = payments[1]
    before = balances_of(returned.client_file_id)

    result = reconcile.import_statement(
        actor=actor("frank"), data=_statement(approved_run, returns={returned.end_to_end_id: "AC04"})
    )

    assert result.created is True
    (statement,) = result.statements
    assert (statement.paid_count, statement.returned_count, statement.unmatched_count) == (3, 1, 1)
    assert statement.line_count == 5
    outcomes = {
        (line.end_to_end_id, line.outcome, line.is_credit) for line in StatementLine.objects.filter(statement=statement)
    }
    assert outcomes == {
        (payments[0].end_to_end_id, "paid", False),
        (payments[1].end_to_end_id, "paid", False),
        (payments[1].end_to_end_id, "returned", True),
        (payments[2].end_to_end_id, "paid", False),
        ("", "unmatched", True),
    }
    line = StatementLine.objects.get(statement=statement, outcome="returned")
    assert line.return_reason == "AC04"
    assert line.description == "De rekening is opgeheven."
    assert line.client_file_id == returned.client_file_id
    entry = LedgerEntry.objects.get(payment=returned, kind="returned")
    assert entry.corrects == LedgerEntry.objects.get(payment=returned, kind="sent")
    assert entry.amount_cents == returned.amount_cents
    after = balances_of(returned.client_file_id)
    assert after.returned - before.returned == returned.amount_cents
    events = AuditEvent.objects.filter(event_type="ontzorgen_payments_reconciled").order_by("client_file_id")
    assert [(e.client_file_id, e.changes) for e in events] == sorted(
        [
            (payments[0].client_file_id, {"paid": 2, "returned": 1, "unmatched": 0}),
            (payments[2].client_file_id, {"paid": 1, "returned": 0, "unmatched": 0}),
        ]
    )
    assert AuditEvent.objects.filter(event_type="bank_statement_imported").count() == 1


def test_the_same_statement_twice_changes_nothing(approved_run: Any, actor: Any) -> None:
    data = _statement(approved_run, returns={Payment.objects.filter(run=approved_run).first().end_to_end_id: "MS03"})
    reconcile.import_statement(actor=actor("frank"), data=data)
    counts = (BankStatement.objects.count(), StatementLine.objects.count(), LedgerEntry.objects.count())

    again = reconcile.import_statement(actor=actor("tamara"), data=data)

    assert again.created is False
    assert (BankStatement.objects.count(), StatementLine.objects.count(), LedgerEntry.objects.count()) == counts
    assert AuditEvent.objects.filter(event_type="bank_statement_import_repeated").count() == 1


def test_a_later_statement_with_the_same_payment_marks_it_already_processed(approved_run: Any, actor: Any) -> None:
    reconcile.import_statement(actor=actor("frank"), data=_statement(approved_run, "STMT-1"))

    second = reconcile.import_statement(actor=actor("frank"), data=_statement(approved_run, "STMT-2")).statements[0]

    assert (second.paid_count, second.returned_count, second.unmatched_count) == (0, 0, 1)
    assert set(StatementLine.objects.filter(statement=second).values_list("outcome", flat=True)) == {
        "already",
        "unmatched",
    }


def test_a_statement_of_another_account_is_refused_and_nothing_is_written(approved_run: Any, actor: Any) -> None:
    data = banksim.build_statement(
        account_iban="NL02ABNA0123456789", statement_id="X", booked_on=today(), payments=_booked(approved_run)
    )
    with pytest.raises(camt.CamtError) as caught:
        reconcile.import_statement(actor=actor("frank"), data=data)
    assert caught.value.message.startswith("Dit afschrift is van rekening NL02 ABNA 0123 4567 89.")
    assert "NL91 ABNA 0417 1643 00" in caught.value.message
    assert BankStatement.objects.count() == 0
    assert StatementLine.objects.count() == 0


def test_a_malformed_file_is_a_dutch_error_and_nothing_is_written(approved_run: Any, actor: Any) -> None:
    data = _statement(approved_run)[:-40]
    with pytest.raises(camt.CamtError, match=r"Dit is geen geldig XML-bestand"):
        reconcile.import_statement(actor=actor("frank"), data=data)
    assert BankStatement.objects.count() == 0


def test_a_different_amount_is_a_reconciliation_difference_on_the_worklist(approved_run: Any, actor: Any) -> None:
    booked = _booked(approved_run)
    wrong = banksim.BookedPayment(
        booked[0].end_to_end_id, booked[0].amount - Decimal("0.01"), "X", booked[0].creditor_iban
    )
    data = banksim.build_statement(
        account_iban=GEMEENTE_IBAN, statement_id="S", booked_on=today(), payments=[wrong, *booked[1:]]
    )
    statement = reconcile.import_statement(actor=actor("frank"), data=data).statements[0]
    line = StatementLine.objects.get(statement=statement, outcome="unmatched")
    assert line.payment_id == Payment.objects.get(end_to_end_id=booked[0].end_to_end_id).pk
    assert line.description.startswith("Het bedrag op het afschrift (")


def test_only_who_manages_ontzorgen_imports(approved_run: Any, actor: Any) -> None:
    with pytest.raises(NotFound):
        reconcile.import_statement(actor=actor("kim"), data=_statement(approved_run))
    assert BankStatement.objects.count() == 0


def test_a_line_on_the_worklist_is_resolved_once(approved_run: Any, actor: Any) -> None:
    reconcile.import_statement(actor=actor("frank"), data=_statement(approved_run))
    line = StatementLine.objects.get(outcome="unmatched")
    with pytest.raises(ApplicationError, match=r"Schrijf op wat u heeft gedaan\."):
        reconcile.resolve_line(actor=actor("frank"), line=line, note="  ")
    reconcile.resolve_line(actor=actor("frank"), line=line, note="Bijstand-overboeking, geen actie nodig.")
    with pytest.raises(ApplicationError, match="al afgehandeld"):
        reconcile.resolve_line(actor=actor("frank"), line=line, note="Nog eens.")
    assert StatementLineResolution.objects.filter(line=line).count() == 1


def test_statement_lines_are_insert_only_in_the_database(approved_run: Any, actor: Any) -> None:
    reconcile.import_statement(actor=actor("frank"), data=_statement(approved_run))
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL")
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        StatementLine.objects.filter(outcome="paid").update(outcome="unmatched")


def test_version_08_statements_reconcile_the_same(approved_run: Any, actor: Any) -> None:
    data = banksim.build_statement(
        account_iban=GEMEENTE_IBAN, statement_id="S08", booked_on=today(), payments=_booked(approved_run),
        version="camt.053.001.08",
    )  # fmt: skip
    statement = reconcile.import_statement(actor=actor("frank"), data=data).statements[0]
    assert (statement.version, statement.paid_count, statement.unmatched_count) == ("camt.053.001.08", 3, 0)


def test_the_payment_file_and_the_statement_agree_on_every_end_to_end_id(approved_run: Any) -> None:
    """The end-to-end ids in the validated SEPA file are the ones the statement returns (read from the file)."""
    from lxml import etree

    content = bytes(approved_run.payment_file.content)
    tree = etree.fromstring(content)
    ids = sorted(node.text for node in tree.iter("{*}EndToEndId"))
    assert ids == sorted(Payment.objects.filter(run=approved_run).values_list("end_to_end_id", flat=True))
