"""A payment run's queries do not grow with its payments (#13 performance): building, approving and reconciling the
run of one household and of four households take exactly the same statements. The rows go in with one COPY (on
PostgreSQL) or one INSERT ... SELECT per table, and those are counted like any other query. No timings here: the
seconds for 50,000 payments are measured by bench/ontzorgen_bench.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from openinburgering.core.dates import today
from openinburgering.ontzorgen import banksim, reconcile, services
from openinburgering.ontzorgen.models import LedgerEntry, Payment, StatementLine
from openinburgering.ontzorgen.periods import month_start

from .conftest import GEMEENTE_IBAN, INSURER_IBAN

THIS_MONTH = month_start(today())


def _run_of(households: int, *, ontzorgen_file: Any, obligation: Any, actor: Any) -> dict[str, Any]:
    """Build, approve and reconcile the run of ``households`` households (rent and insurance each, every second
    payment returned by the bank), count the queries of each step, and roll it all back."""
    savepoint = transaction.savepoint()
    try:
        for _ in range(households):
            client_file = ontzorgen_file()
            obligation(client_file)
            obligation(client_file, kind="zorgverzekering", creditor_name="Zilveren Kruis", iban=INSURER_IBAN,
                       polisnummer="P-12345", amount_cents=14395)  # fmt: skip
        frank, tamara = actor("frank"), actor("tamara")
        with CaptureQueriesContext(connection) as built:
            run, created = services.build_run(actor=frank, month=THIS_MONTH)
        assert created
        with CaptureQueriesContext(connection) as approved:
            run, changed = services.approve_run(actor=tamara, run=run)
        assert changed
        payments = list(Payment.objects.filter(run=run).order_by("id"))
        statement = banksim.build_statement(
            account_iban=GEMEENTE_IBAN, statement_id=f"Q{households}", booked_on=today(),
            payments=[
                banksim.BookedPayment(
                    end_to_end_id=payment.end_to_end_id, amount=Decimal(payment.amount_cents) / 100,
                    creditor_name=payment.creditor_name, creditor_iban=payment.iban,
                    return_reason="AC04" if index % 2 == 0 else "",
                )
                for index, payment in enumerate(payments)
            ],
        )  # fmt: skip
        with CaptureQueriesContext(connection) as reconciled:
            result = reconcile.import_statement(actor=frank, data=statement, via="job")
        return {
            "payments": len(payments),
            "ledger": LedgerEntry.objects.filter(run=run).count(),
            "paid_returned": (result.paid, result.returned),
            "lines": StatementLine.objects.filter(payment__run=run).count(),
            "queries": {
                "build": [query["sql"] for query in built.captured_queries],
                "approve": [query["sql"] for query in approved.captured_queries],
                "reconcile": [query["sql"] for query in reconciled.captured_queries],
            },
        }
    finally:
        transaction.savepoint_rollback(savepoint)


def test_a_run_takes_the_same_queries_for_two_payments_and_for_eight(ontzorgen_file, obligation, actor, account):
    helpers = {"ontzorgen_file": ontzorgen_file, "obligation": obligation, "actor": actor}
    _run_of(1, **helpers)  # warms the session clock and the per-gemeente caches (#18) before anything is counted
    small = _run_of(1, **helpers)
    large = _run_of(4, **helpers)

    # The runs did their work: every payment booked due, withheld and sent and paid by the bank; half of them came
    # back (a credit line and a returned ledger entry each).
    assert (small["payments"], small["ledger"], small["paid_returned"], small["lines"]) == (2, 7, (2, 1), 3)
    assert (large["payments"], large["ledger"], large["paid_returned"], large["lines"]) == (8, 28, (8, 4), 12)
    for step in ("build", "approve", "reconcile"):
        assert len(large["queries"][step]) == len(small["queries"][step]), step
    if connection.vendor == "postgresql":  # the rows went in with COPY, and the COPY was counted
        copied = {step: [sql.split(" (")[0] for sql in large["queries"][step] if sql.startswith("COPY ")]
                  for step in ("build", "approve", "reconcile")}  # fmt: skip
        assert copied == {
            "build": ['COPY "ontzorgen_payment"', 'COPY "ontzorgen_ledgerentry"', 'COPY "audit_auditevent"'],
            "approve": ['COPY "audit_auditevent"'],  # its ledger entries: one INSERT ... SELECT from the payments
            "reconcile": ['COPY "ontzorgen_statementline"', 'COPY "ontzorgen_ledgerentry"', 'COPY "audit_auditevent"'],
        }
        assert sum(sql.startswith('INSERT INTO "ontzorgen_ledgerentry"') for sql in large["queries"]["approve"]) == 1
