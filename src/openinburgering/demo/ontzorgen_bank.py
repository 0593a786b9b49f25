"""Demo data of ontzorgen part B (#13): the bank's camt.053 for last month's approved run with one returned payment
(on frank's worklist), toeslagen in every state (the ended household has a toeslagen gap), and a plan for begeleid
loslaten for the household whose ontzorgen ends soon.

The camt.053 comes from ``ontzorgen.banksim``, the SIMULATED bank (no bank is connected to the demo); it is
imported through ``reconcile.import_statement`` as a real statement would be. Everything else goes through the
services. Idempotent: nothing is added when the gemeente already has a bank statement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openinburgering.ontzorgen import banksim, loslaten, reconcile, toeslagen
from openinburgering.ontzorgen.models import (
    BankStatement,
    Obligation,
    OntzorgenRecord,
    OntzorgenSettings,
    Payment,
    PaymentRun,
)
from openinburgering.ontzorgen.periods import month_start
from openinburgering.rules.dates import add_months

from .ontzorgen import _actor


def ensure_demo_ontzorgen_bank(*, today: date) -> int:
    """Adds the statement, toeslagen and loslaten plan; returns the number of statements imported (0 the 2nd time)."""
    frank = _actor("frank")
    if frank is None or BankStatement.objects.filter(gemeente_id=frank.gemeente_id).exists():
        return 0
    settings = OntzorgenSettings.objects.filter(gemeente_id=frank.gemeente_id).first()
    last_month = add_months(month_start(today), -1)
    run = PaymentRun.objects.filter(gemeente_id=frank.gemeente_id, month=last_month, status="approved").first()
    if settings is None or run is None:
        return 0
    payments = list(Payment.objects.filter(run=run).order_by("id"))
    returned = next((p for p in payments if p.obligation.kind == "zorgverzekering"), None)
    data = banksim.build_statement(
        account_iban=settings.debtor_iban, statement_id=f"DEMO-{last_month:%Y%m}", booked_on=last_month,
        payments=[
            banksim.BookedPayment(
                p.end_to_end_id, Decimal(p.amount_cents) / 100, p.creditor_name, p.iban, p.remittance,
                return_reason="AC04" if returned is not None and p.pk == returned.pk else "",
            )
            for p in payments
        ],
        extra_credits=[(Decimal("25000.00"), "Overboeking budget ontzorgen (demo)")],
    )  # fmt: skip
    reconcile.import_statement(actor=frank, data=data, via="command")

    records = list(
        OntzorgenRecord.objects.filter(gemeente_id=frank.gemeente_id, applies=True)
        .select_related("client_file")
        .order_by("end_on")
    )
    for record in records:
        if record.start_on is None or record.end_on is None or record.end_on < today:
            continue  # the ended household: no toeslagen recorded, so it shows the gap
        start = record.start_on
        ending_soon = record.end_on <= add_months(today, 2)
        for kind in ("huurtoeslag", "zorgtoeslag"):
            if ending_soon and kind == "huurtoeslag":
                data_ = {"kind": kind, "status": "aangevraagd", "applied_on": min(today, start)}
            else:
                data_ = {"kind": kind, "status": "toegekend", "applied_on": start, "granted_on": start,
                         "first_payment_on": add_months(start, 1), "monthly_amount": "123,00"}  # fmt: skip
            toeslagen.record_toeslag(actor=frank, client_file=record.client_file, data=data_, today=today,
                                     via="command")  # fmt: skip
        if ending_soon:
            obligation = Obligation.objects.filter(client_file=record.client_file, kind="energie").first()
            if obligation is not None:
                loslaten.plan_loslaten(actor=frank, client_file=record.client_file,
                                       data={"obligation": obligation.pk}, via="command")  # fmt: skip
    return 1
