"""Months between the start of ontzorgen and a run (catch-up, once) and months paid beyond the end of ontzorgen
(a negative correction at once, shown as what must be reclaimed) — #13 gaps 2 and 3."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.ontzorgen import services
from openinburgering.ontzorgen.models import LedgerEntry, Obligation
from openinburgering.ontzorgen.periods import month_label, month_start, next_month
from openinburgering.ontzorgen.selectors import balances_of, reclaims_of
from openinburgering.rules.dates import add_months

pytestmark = pytest.mark.django_db

THIS_MONTH = month_start(today())
LAST_MONTH = add_months(THIS_MONTH, -1)
TWO_AGO = add_months(THIS_MONTH, -2)
NEXT_MONTH = next_month(THIS_MONTH)


def _run(actor, month):
    run, created = services.build_run(actor=actor("frank"), month=month)
    services.approve_run(actor=actor("tamara"), run=run)
    return run, created


# --- Catch-up (gap 3) ------------------------------------------------------------------------------------------


def test_months_before_the_first_run_are_paid_once_in_the_next_run(ontzorgen_file, obligation, actor, account):
    client_file = ontzorgen_file(start=TWO_AGO)
    rent = obligation(client_file, start_on=TWO_AGO)
    run, created = services.build_run(actor=actor("frank"), month=THIS_MONTH)
    assert created
    payment = run.payments.get(obligation=rent)
    assert payment.amount_cents == 3 * 65000
    assert payment.includes_correction
    assert "incl. correctie" in payment.remittance
    dues = LedgerEntry.objects.filter(obligation=rent, kind="due").order_by("period")
    assert [(entry.period, entry.amount_cents, entry.note) for entry in dues] == [
        (TWO_AGO, 65000, f"Inhaalbetaling {month_label(TWO_AGO)}"),
        (LAST_MONTH, 65000, f"Inhaalbetaling {month_label(LAST_MONTH)}"),
        (THIS_MONTH, 65000, ""),
    ]
    created_event = AuditEvent.objects.get(event_type="payment_run_created")
    assert created_event.changes["caught_up"] == 1
    # The same month again: nothing new.
    again, created_again = services.build_run(actor=actor("frank"), month=THIS_MONTH)
    assert (again.pk, created_again) == (run.pk, False)
    assert LedgerEntry.objects.filter(obligation=rent).count() == 3
    # After approval the next run pays the next month only: the caught-up months are never paid twice.
    services.approve_run(actor=actor("tamara"), run=run)
    following, _ = services.build_run(actor=actor("frank"), month=NEXT_MONTH)
    assert following.payments.get(obligation=rent).amount_cents == 65000
    assert not following.payments.get(obligation=rent).includes_correction
    assert LedgerEntry.objects.filter(obligation=rent, kind="due", period__lt=THIS_MONTH).count() == 2


def test_catch_up_also_when_the_obligation_was_settled_before(ontzorgen_file, obligation, actor, account):
    """An obligation no longer marked for a check (data from before this rule) is still caught up, once."""
    client_file = ontzorgen_file(start=LAST_MONTH)
    rent = obligation(client_file, start_on=LAST_MONTH)
    Obligation.objects.filter(pk=rent.pk).update(corrections_from=None)
    run, _ = _run(actor, THIS_MONTH)
    assert run.payments.get(obligation=rent).amount_cents == 2 * 65000
    following, _ = services.build_run(actor=actor("frank"), month=NEXT_MONTH)
    assert following.payments.get(obligation=rent).amount_cents == 65000


def test_a_month_without_a_run_is_caught_up_in_the_next_run_once(ontzorgen_file, obligation, actor, account):
    client_file = ontzorgen_file(start=TWO_AGO)
    rent = obligation(client_file, start_on=TWO_AGO)
    first, _ = _run(actor, TWO_AGO)
    assert first.payments.get(obligation=rent).amount_cents == 65000
    # No run for last month: this month's run pays it as well.
    run, _ = _run(actor, THIS_MONTH)
    assert run.payments.get(obligation=rent).amount_cents == 2 * 65000
    assert LedgerEntry.objects.get(obligation=rent, kind="due", period=LAST_MONTH).run_id == run.pk
    following, _ = services.build_run(actor=actor("frank"), month=NEXT_MONTH)
    assert following.payments.get(obligation=rent).amount_cents == 65000


def test_months_before_the_obligation_starts_are_not_caught_up(ontzorgen_file, obligation, actor, account):
    client_file = ontzorgen_file(start=TWO_AGO)
    rent = obligation(client_file, start_on=THIS_MONTH)
    run, _ = services.build_run(actor=actor("frank"), month=THIS_MONTH)
    assert run.payments.get(obligation=rent).amount_cents == 65000
    assert not run.payments.get(obligation=rent).includes_correction


# --- Bijstand ending early (gap 2) -----------------------------------------------------------------------------


def test_bijstand_ending_early_corrects_paid_months_at_once_and_shows_what_to_reclaim(
    ontzorgen_file, obligation, actor, account, login, api
):
    client_file = ontzorgen_file(start=LAST_MONTH)
    rent = obligation(client_file, start_on=LAST_MONTH)
    _run(actor, LAST_MONTH)
    _run(actor, THIS_MONTH)
    due_this_month = LedgerEntry.objects.get(obligation=rent, kind="due", period=THIS_MONTH)
    assert reclaims_of(client_file.pk) == []
    # The bijstand suite reports: bijstand ended on the last day of last month.
    ended_on = THIS_MONTH - timedelta(days=1)
    services.record_ontzorgen(
        actor=actor("frank"), client_file=client_file,
        data={"receives_bijstand": True, "bijstand_start_on": LAST_MONTH, "bijstand_end_on": ended_on},
    )  # fmt: skip
    correction = LedgerEntry.objects.get(obligation=rent, kind="corrected")
    assert (correction.amount_cents, correction.period, correction.corrects_id, correction.run_id) == (
        -65000, THIS_MONTH, due_this_month.pk, None,
    )  # fmt: skip
    assert f"ontzorgen eindigde op {ended_on:%d-%m-%Y}" in correction.note
    assert balances_of(client_file.pk).outstanding == -65000
    [reclaim] = reclaims_of(client_file.pk)
    assert (reclaim.obligation.pk, reclaim.amount_cents, reclaim.months) == (rent.pk, 65000, (THIS_MONTH,))
    event = AuditEvent.objects.get(event_type="ontzorgen_overpayment_corrected", client_file=client_file)
    assert (event.changes["total_cents"], event.changes["months"]) == (-65000, [THIS_MONTH.isoformat()])
    # Recording the same again corrects nothing twice; the next run pays nothing and corrects nothing more.
    services.record_ontzorgen(
        actor=actor("frank"), client_file=client_file,
        data={"receives_bijstand": True, "bijstand_start_on": LAST_MONTH, "bijstand_end_on": ended_on},
    )  # fmt: skip
    following, _ = services.build_run(actor=actor("frank"), month=NEXT_MONTH)
    assert not following.payments.filter(obligation=rent).exists()
    assert LedgerEntry.objects.filter(obligation=rent, kind="corrected").count() == 1
    assert balances_of(client_file.pk).outstanding == -65000
    # The page and the API show it.
    page = login("frank").get(reverse("ontzorgen:index", kwargs={"file_id": client_file.pk})).content.decode()
    assert "Te veel betaald: terugvorderen" in page
    assert f"Huur (Woonstichting Elan): € 650,00, voor {THIS_MONTH:%m-%Y}" in page
    body = api("frank").get(f"/api/v1/clients/{client_file.pk}/ontzorgen").json()
    assert body["reclaims"] == [{
        "obligation_id": rent.pk, "kind": "huur", "creditor_name": "Woonstichting Elan", "amount_cents": 65000,
        "months": [THIS_MONTH.isoformat()],
    }]  # fmt: skip


def test_a_longer_period_again_pays_the_months_in_the_next_run(ontzorgen_file, obligation, actor, account):
    """A mistake undone: the bijstand end is removed again; the months are owed and paid by the next run."""
    client_file = ontzorgen_file(start=LAST_MONTH)
    rent = obligation(client_file, start_on=LAST_MONTH)
    _run(actor, LAST_MONTH)
    _run(actor, THIS_MONTH)
    data = {"receives_bijstand": True, "bijstand_start_on": LAST_MONTH}
    services.record_ontzorgen(
        actor=actor("frank"), client_file=client_file, data={**data, "bijstand_end_on": THIS_MONTH - timedelta(days=1)}
    )
    services.record_ontzorgen(actor=actor("frank"), client_file=client_file, data=data)
    following, _ = services.build_run(actor=actor("frank"), month=NEXT_MONTH)
    # Next month, plus this month owed again, minus the credit of the correction: one month.
    assert (
        following.payments.get(obligation=rent).amount_cents == 65000
    )  # next month, plus this month owed again, minus the credit
    assert balances_of(client_file.pk).outstanding == 65000  # next month, not yet sent
    # After approval nothing is owed and nothing is paid twice: the credit paid for this month again.
    services.approve_run(actor=actor("tamara"), run=following)
    assert balances_of(client_file.pk).outstanding == 0
    assert reclaims_of(client_file.pk) == []


def test_ending_ontzorgen_before_any_run_corrects_nothing(ontzorgen_file, obligation, actor, account):
    client_file = ontzorgen_file(start=THIS_MONTH)
    obligation(client_file)
    services.record_ontzorgen(
        actor=actor("frank"), client_file=client_file,
        data={"receives_bijstand": True, "bijstand_start_on": THIS_MONTH, "bijstand_end_on": THIS_MONTH},
    )  # fmt: skip
    assert not LedgerEntry.objects.exists()
    assert not AuditEvent.objects.filter(event_type="ontzorgen_overpayment_corrected").exists()


def test_ending_a_vaste_last_back_in_time_shows_the_reclaim_at_once(ontzorgen_file, obligation, actor, account):
    client_file = ontzorgen_file(start=LAST_MONTH)
    rent = obligation(client_file, start_on=LAST_MONTH)
    _run(actor, LAST_MONTH)
    _run(actor, THIS_MONTH)
    services.change_obligation(
        actor=actor("frank"), client_file=client_file, obligation=rent, data={"end_on": THIS_MONTH - timedelta(days=1)}
    )
    [reclaim] = reclaims_of(client_file.pk)
    assert (reclaim.amount_cents, reclaim.months) == (65000, (THIS_MONTH,))


def test_a_credit_is_settled_by_paying_the_creditor_less_in_the_next_run(ontzorgen_file, obligation, actor, account):
    client_file = ontzorgen_file(start=THIS_MONTH)
    rent = obligation(client_file)
    _run(actor, THIS_MONTH)
    services.change_obligation(
        actor=actor("frank"), client_file=client_file, obligation=rent,
        data={"amount_cents": 63000, "changed_from": THIS_MONTH},
    )  # fmt: skip
    assert balances_of(client_file.pk).outstanding == -2000
    following, _ = _run(actor, NEXT_MONTH)
    payment = following.payments.get(obligation=rent)
    assert (payment.amount_cents, payment.includes_correction) == (63000 - 2000, True)
    assert balances_of(client_file.pk).outstanding == 0
    assert reclaims_of(client_file.pk) == []
    third, _ = services.build_run(actor=actor("frank"), month=next_month(NEXT_MONTH))
    assert third.payments.get(obligation=rent).amount_cents == 63000
