"""Toeslagen, begeleid loslaten with its end letter, and the client statement PDF (#13 items 2 and 5)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict
from openinburgering.letters.models import Letter
from openinburgering.ontzorgen import banksim, loslaten, reconcile, services, statement, toeslagen
from openinburgering.ontzorgen.models import LoslatenStep, LoslatenStepDone, Payment, ToeslagRecord
from openinburgering.ontzorgen.periods import month_start
from openinburgering.rules.dates import add_months

from .conftest import GEMEENTE_IBAN

pytestmark = pytest.mark.django_db


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


# ---------------------------------------------------------------------------------------------------------------
# Toeslagen


def test_a_toeslag_is_recorded_and_the_newest_counts(ontzorgen_file: Any, actor: Any) -> None:
    client_file = ontzorgen_file()
    frank = actor("frank")
    toeslagen.record_toeslag(
        actor=frank, client_file=client_file, today=today(),
        data={"kind": "huurtoeslag", "status": "aangevraagd", "applied_on": today()},
    )  # fmt: skip
    toeslagen.record_toeslag(
        actor=frank, client_file=client_file, today=today(),
        data={"kind": "huurtoeslag", "status": "toegekend", "applied_on": today(), "granted_on": today(),
              "first_payment_on": today() + timedelta(days=20), "monthly_amount": "312,50"},
    )  # fmt: skip
    latest = toeslagen.latest_toeslagen([client_file.pk])[client_file.pk]
    assert latest["huurtoeslag"].status == "toegekend"
    assert latest["huurtoeslag"].monthly_amount == Decimal("312.50")
    assert ToeslagRecord.objects.count() == 2
    assert AuditEvent.objects.filter(event_type="toeslag_recorded", client_file=client_file).count() == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "kinderopvang", "status": "aangevraagd"}, "kind", "Kies huurtoeslag of zorgtoeslag."),
        ({"kind": "zorgtoeslag", "status": "aangevraagd"}, "applied_on", "Vul in wanneer de toeslag is aangevraagd."),
        ({"kind": "zorgtoeslag", "status": "toegekend"}, "granted_on", "Vul in wanneer de toeslag is toegekend."),
        (
            {
                "kind": "zorgtoeslag",
                "status": "aangevraagd",
                "applied_on": "2026-01-01",
                "first_payment_on": "2026-02-01",
            },
            "first_payment_on",
            "Een eerste betaling is er alleen als de toeslag is toegekend.",
        ),
        (
            {"kind": "zorgtoeslag", "status": "toegekend", "applied_on": "2026-03-01", "granted_on": "2026-02-01"},
            "granted_on",
            "De toekenning kan niet vóór de aanvraag liggen.",
        ),
        (
            {"kind": "zorgtoeslag", "status": "niet_nodig", "monthly_amount": "-3"},
            "monthly_amount",
            "Het bedrag moet meer dan € 0 zijn.",
        ),
        ({"kind": "zorgtoeslag", "status": "niet_nodig", "applied_on": "morgen"}, "applied_on", "Vul een datum in"),
    ],
)
def test_wrong_toeslag_input_is_a_dutch_field_error_and_nothing_is_written(
    ontzorgen_file: Any, actor: Any, data: dict[str, Any], field: str, message: str
) -> None:
    client_file = ontzorgen_file()
    with pytest.raises(ApplicationError) as caught:
        toeslagen.record_toeslag(actor=actor("frank"), client_file=client_file, data=data, today=date(2026, 12, 7))
    assert any(text.startswith(message) for text in caught.value.field_errors[field])
    assert ToeslagRecord.objects.count() == 0


def test_the_gap_lists_clients_whose_toeslagen_have_not_started_when_ontzorgen_ends(
    ontzorgen_file: Any, actor: Any
) -> None:
    frank = actor("frank")
    # Ontzorgen started five months ago: it ends within 60 days.
    start = month_start(add_months(today(), -5))
    settled = ontzorgen_file(start=start)
    gap = ontzorgen_file(start=start)
    far = ontzorgen_file()  # ends in six months: not yet on the list
    for kind in ("huurtoeslag", "zorgtoeslag"):
        toeslagen.record_toeslag(
            actor=frank, client_file=settled, today=today(),
            data={"kind": kind, "status": "toegekend", "applied_on": start, "granted_on": start,
                  "first_payment_on": start + timedelta(days=30)},
        )  # fmt: skip
    toeslagen.record_toeslag(
        actor=frank, client_file=gap, today=today(),
        data={"kind": "zorgtoeslag", "status": "aangevraagd", "applied_on": today()},
    )  # fmt: skip

    rows = toeslagen.toeslagen_gap(gemeente_id=frank.gemeente_id, as_of=today())

    assert [row.record.client_file_id for row in rows] == [gap.pk]
    assert rows[0].missing == (
        "Huurtoeslag: niet aangevraagd",
        f"Zorgtoeslag: aangevraagd op {today():%d-%m-%Y}, nog niet toegekend",
    )
    assert far.pk not in [row.record.client_file_id for row in rows]


# ---------------------------------------------------------------------------------------------------------------
# Begeleid loslaten


def test_the_plan_has_four_steps_with_dates_from_the_rules_and_only_once(
    ontzorgen_file: Any, obligation: Any, actor: Any
) -> None:
    client_file = ontzorgen_file(start=date(2026, 7, 1))
    water = obligation(client_file, kind="water", creditor_name="PWN", amount_cents=2_500)
    frank = actor("frank")

    steps = loslaten.plan_loslaten(actor=frank, client_file=client_file, data={"obligation": water.pk})

    assert [(s.kind, s.due_on) for s in steps] == [
        ("budgetcoaching", date(2026, 11, 1)),
        ("toeslagen", date(2026, 11, 1)),
        ("zelf_betalen", date(2026, 12, 1)),
        ("einde", date(2026, 12, 31)),
    ]
    assert steps[2].obligation == water
    with pytest.raises(Conflict):
        loslaten.plan_loslaten(actor=frank, client_file=client_file, data={"obligation": water.pk})
    assert LoslatenStep.objects.filter(client_file=client_file).count() == 4


def test_the_plan_needs_an_obligation_of_this_client(
    make_file: Any, ontzorgen_file: Any, obligation: Any, actor: Any
) -> None:
    client_file = ontzorgen_file()
    other = obligation(ontzorgen_file())
    with pytest.raises(ApplicationError) as caught:
        loslaten.plan_loslaten(actor=actor("frank"), client_file=client_file, data={"obligation": other.pk})
    assert caught.value.field_errors == {"obligation": ["Kies een vaste last van deze klant."]}
    with pytest.raises(ApplicationError, match="geen ontzorgen"):
        loslaten.plan_loslaten(actor=actor("frank"), client_file=make_file(), data={})
    assert LoslatenStep.objects.count() == 0


def test_the_end_step_sends_the_letter_and_open_steps_are_on_the_worklist(
    ontzorgen_file: Any, obligation: Any, actor: Any
) -> None:
    start = month_start(add_months(today(), -5))
    client_file = ontzorgen_file(start=start)
    huur = obligation(client_file, start_on=start)
    frank = actor("frank")
    steps = loslaten.plan_loslaten(actor=frank, client_file=client_file, data={"obligation": huur.pk})
    worklist = loslaten.open_steps(gemeente_id=frank.gemeente_id, as_of=today())
    assert [row.step.pk for row in worklist if row.step.client_file_id == client_file.pk][:1] == [steps[0].pk]

    end = steps[-1]
    done = loslaten.complete_step(actor=frank, client_file=client_file, step=end, data={}, today=today())

    assert done.letter is not None
    letter = Letter.objects.get(pk=done.letter_id)
    assert letter.kind == "ontzorgen_einde"
    text = _pdf_text(bytes(letter.content))
    assert "Het ontzorgen stopt op" in text
    assert "Woonstichting Elan" in text
    assert "nog niet op uw rekening komt: huurtoeslag en zorgtoeslag" in " ".join(text.split())
    with pytest.raises(Conflict):
        loslaten.complete_step(actor=frank, client_file=client_file, step=end, data={}, today=today())
    assert LoslatenStepDone.objects.count() == 1
    assert end.pk not in [row.step.pk for row in loslaten.open_steps(gemeente_id=frank.gemeente_id, as_of=today())]


# ---------------------------------------------------------------------------------------------------------------
# Client statement


def test_the_client_statement_shows_per_month_what_was_paid_and_what_came_back(
    account: Any, ontzorgen_file: Any, obligation: Any, actor: Any
) -> None:
    client_file = ontzorgen_file()
    obligation(client_file)
    obligation(client_file, kind="water", creditor_name="PWN Waterleidingbedrijf", amount_cents=2_550)
    run, _ = services.build_run(actor=actor("frank"), month=month_start(today()))
    services.approve_run(actor=actor("tamara"), run=run)
    payments = list(Payment.objects.filter(run=run).order_by("id"))
    data = banksim.build_statement(
        account_iban=GEMEENTE_IBAN, statement_id="S", booked_on=today(),
        payments=[
            banksim.BookedPayment(p.end_to_end_id, Decimal(p.amount_cents) / 100, p.creditor_name, p.iban,
                                  return_reason="AC04" if p.creditor_name.startswith("PWN") else "")
            for p in payments
        ],
    )  # fmt: skip
    reconcile.import_statement(actor=actor("frank"), data=data)

    pdf = statement.render_statement(actor=actor("frank"), client_file=client_file)

    text = " ".join(_pdf_text(pdf).split())
    assert "Overzicht: wat de gemeente voor u betaalde" in text
    assert "Woonstichting Elan € 650,00 Betaald" in text
    assert "PWN Waterleidingbedrijf € 25,50 Teruggekomen. De rekening is opgeheven." in text
    assert "Totaal betaald € 650,00" in text
    assert AuditEvent.objects.filter(event_type="ontzorgen_statement_printed", client_file=client_file).count() == 1
