"""Settling a reclaim (#13 leftover a): the creditor's refund (on the bank statement) or offset of money paid too
much is booked in the append-only ledger, once, and the terugvordering is closed with its money trail. Service,
page, API and permission tests."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.formats import date_format
from pypdf import PdfReader

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.letters.payment import euro
from openinburgering.ontzorgen import banksim, reclaim_views, reclaims, reconcile, services, statement
from openinburgering.ontzorgen.models import (
    LedgerEntry,
    Payment,
    ReclaimSettlement,
    StatementLine,
    StatementLineResolution,
)
from openinburgering.ontzorgen.periods import month_start, next_month
from openinburgering.ontzorgen.selectors import balances_of, credits_in, reclaims_in, reclaims_of
from openinburgering.rules.dates import add_months

from .conftest import GEMEENTE_IBAN

pytestmark = pytest.mark.django_db

THIS_MONTH = month_start(today())
LAST_MONTH = add_months(THIS_MONTH, -1)


def _run(actor, month):
    run, _ = services.build_run(actor=actor("frank"), month=month)
    services.approve_run(actor=actor("tamara"), run=run)


@pytest.fixture
def paid_too_much(ontzorgen_file, obligation, actor, account):
    """Rent paid for last month and this month; then the bijstand ended at the end of last month: € 650 to reclaim."""
    client_file = ontzorgen_file(start=LAST_MONTH)
    rent = obligation(client_file, start_on=LAST_MONTH)
    _run(actor, LAST_MONTH)
    _run(actor, THIS_MONTH)
    services.record_ontzorgen(
        actor=actor("frank"), client_file=client_file,
        data={"receives_bijstand": True, "bijstand_start_on": LAST_MONTH, "bijstand_end_on": THIS_MONTH - timedelta(1)},
    )  # fmt: skip
    [reclaim] = reclaims_of(client_file.pk)
    assert reclaim.amount_cents == 65000
    return client_file, rent


def _refund_line(actor, amount: str = "650.00", statement_id: str = "REFUND-1") -> StatementLine:
    """The landlord's refund arrives on the ontzorgen account: a credit without our end-to-end id (unmatched)."""
    data = banksim.build_statement(
        account_iban=GEMEENTE_IBAN, statement_id=statement_id, booked_on=today(), payments=[],
        extra_credits=[(Decimal(amount), "Terugbetaling huur Woonstichting Elan")],
    )  # fmt: skip
    result = reconcile.import_statement(actor=actor("frank"), data=data)
    return StatementLine.objects.get(statement=result.statements[0])


def _pdf_text(pdf: bytes) -> str:
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _refund(line, **changes):
    return {"method": "refunded", "amount_cents": line.amount_cents, "statement_line": line.pk, **changes}


# --- Service ----------------------------------------------------------------------------------------------------


def test_a_refund_closes_the_reclaim_with_its_money_trail(paid_too_much, actor):
    client_file, rent = paid_too_much
    line = _refund_line(actor)
    assert line.outcome == "unmatched"
    held_before = balances_of(client_file.pk).held

    settlement, created = reclaims.settle_reclaim(
        actor=actor("frank"), client_file=client_file, obligation=rent, data=_refund(line)
    )

    assert created is True
    entry = settlement.ledger_entry
    correction = LedgerEntry.objects.get(obligation=rent, kind="corrected")
    assert (entry.kind, entry.amount_cents, entry.period, entry.corrects_id, entry.obligation_id) == (
        "refunded", 65000, THIS_MONTH, correction.pk, rent.pk,
    )  # fmt: skip
    assert (settlement.statement_line_id, settlement.settled_on, settlement.method) == (line.pk, today(), "refunded")
    assert reclaims_of(client_file.pk) == []
    assert reclaims_in(client_file.gemeente_id) == []
    assert credits_in(client_file.gemeente_id) == {}
    balances = balances_of(client_file.pk)
    assert (balances.outstanding, balances.refunded) == (0, 65000)
    # The money is back with the gemeente: held for the client's bijstand again.
    assert balances.held == held_before + 65000
    # The bank line leaves the worklist with a resolution that says where it was booked.
    resolution = StatementLineResolution.objects.get(line=line)
    assert f"dossier {client_file.pk}" in resolution.note
    event = AuditEvent.objects.get(event_type="ontzorgen_reclaim_settled", client_file=client_file)
    assert (event.changes["method"], event.changes["amount_cents"], event.changes["still_open_cents"]) == (
        "refunded", 65000, 0,
    )  # fmt: skip
    assert event.changes["statement_line"] == line.pk


def test_the_same_bank_line_again_books_nothing_twice(paid_too_much, actor):
    client_file, rent = paid_too_much
    line = _refund_line(actor)
    first, _ = reclaims.settle_reclaim(actor=actor("frank"), client_file=client_file, obligation=rent,
                                       data=_refund(line))  # fmt: skip
    again, created = reclaims.settle_reclaim(
        actor=actor("tamara"), client_file=client_file, obligation=rent, data=_refund(line)
    )
    assert (again.pk, created) == (first.pk, False)
    assert LedgerEntry.objects.filter(kind="refunded").count() == 1
    assert AuditEvent.objects.filter(event_type="ontzorgen_reclaim_settled").count() == 1


def test_a_bank_line_closes_one_reclaim_only_also_in_the_database(paid_too_much, actor):
    client_file, rent = paid_too_much
    line = _refund_line(actor, amount="300.00")
    settlement, _ = reclaims.settle_reclaim(
        actor=actor("frank"), client_file=client_file, obligation=rent, data=_refund(line)
    )
    with pytest.raises(ApplicationError) as refused:
        reclaims.settle_reclaim(
            actor=actor("frank"), client_file=client_file, obligation=rent, data=_refund(line, amount_cents=20000)
        )
    assert refused.value.field_errors["statement_line"] == [
        "Deze regel van het bankafschrift is al geboekt als terugbetaling."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        ReclaimSettlement.objects.create(
            client_file=client_file, gemeente_id=client_file.gemeente_id, obligation=rent, method="refunded",
            amount_cents=100, settled_on=today(), statement_line=line, ledger_entry=settlement.ledger_entry,
            recorded_at=settlement.recorded_at, recorded_by=actor("frank").user,
        )  # fmt: skip


def test_a_partial_refund_leaves_the_rest_open_and_the_next_run_uses_only_the_rest(paid_too_much, actor):
    client_file, rent = paid_too_much
    line = _refund_line(actor, amount="400.00")
    reclaims.settle_reclaim(actor=actor("frank"), client_file=client_file, obligation=rent, data=_refund(line))
    [reclaim] = reclaims_of(client_file.pk)
    assert reclaim.amount_cents == 25000
    assert credits_in(client_file.gemeente_id) == {rent.pk: -25000}
    with pytest.raises(ApplicationError) as refused:
        reclaims.settle_reclaim(
            actor=actor("frank"), client_file=client_file, obligation=rent,
            data={"method": "offset", "amount_cents": "250,01", "note": "Verrekend met de eindafrekening.",
              "settled_on": today()},
        )  # fmt: skip
    assert refused.value.field_errors["amount_cents"][0].startswith("Er staat nog € 250,00 open.")
    reclaims.settle_reclaim(
        actor=actor("frank"), client_file=client_file, obligation=rent,
        data={"method": "offset", "amount_cents": "250,00", "note": "Verrekend met de eindafrekening.",
              "settled_on": today()},
    )  # fmt: skip
    balances = balances_of(client_file.pk)
    assert (balances.outstanding, balances.refunded, balances.offset) == (0, 40000, 25000)
    # Nothing open any more: a further booking is a conflict and writes nothing.
    with pytest.raises(Conflict):
        reclaims.settle_reclaim(
            actor=actor("frank"), client_file=client_file, obligation=rent,
            data={"method": "offset", "amount_cents": 100, "note": "Nog eens"},
        )  # fmt: skip
    assert LedgerEntry.objects.filter(kind__in=["refunded", "offset"]).count() == 2


def test_an_offset_brings_no_money_back(paid_too_much, actor):
    client_file, rent = paid_too_much
    held_before = balances_of(client_file.pk).held
    settlement, _ = reclaims.settle_reclaim(
        actor=actor("frank"), client_file=client_file, obligation=rent,
        data={"method": "offset", "amount_cents": "650,00", "settled_on": today(),
              "note": "De verhuurder verrekent het met de huur die de klant nu zelf betaalt."},
    )  # fmt: skip
    assert (settlement.statement_line_id, settlement.ledger_entry.kind) == (None, "offset")
    balances = balances_of(client_file.pk)
    assert (balances.outstanding, balances.held) == (0, held_before)


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"method": ""}, "method", "Kies hoe het geld terugkwam: terugbetaald door de schuldeiser, of verrekend."),
    ({"method": "refunded", "amount_cents": 65000}, "statement_line",
     "Kies de regel van het bankafschrift waarop de terugbetaling binnenkwam."),
    ({"method": "refunded", "amount_cents": 65000, "statement_line": 999999}, "statement_line",
     "Deze regel van het bankafschrift bestaat niet. Kies een regel uit de lijst."),
    ({"method": "offset", "amount_cents": 65000, "settled_on": today()}, "note",
     "Schrijf op hoe de schuldeiser het bedrag heeft verrekend."),
    ({"method": "offset", "amount_cents": "veel", "settled_on": today(), "note": "x"}, "amount_cents",
     "Vul het bedrag in, bijvoorbeeld 650,00."),
    ({"method": "offset", "amount_cents": 0, "settled_on": today(), "note": "x"}, "amount_cents",
     "Het bedrag moet meer dan € 0,00 zijn."),
    ({"method": "offset", "amount_cents": 100, "note": "x"}, "settled_on", "Vul de datum in, bijvoorbeeld 2026-12-01."),
    ({"method": "offset", "amount_cents": 100, "settled_on": today() + timedelta(1), "note": "x"}, "settled_on",
     "De datum mag niet in de toekomst liggen."),
])  # fmt: skip
def test_bad_input_is_a_dutch_error_and_nothing_is_written(paid_too_much, actor, data, field, message):
    client_file, rent = paid_too_much
    with pytest.raises(ApplicationError) as refused:
        reclaims.settle_reclaim(actor=actor("frank"), client_file=client_file, obligation=rent, data=data)
    assert message in refused.value.field_errors[field]
    assert not ReclaimSettlement.objects.exists()
    assert not LedgerEntry.objects.filter(kind__in=["refunded", "offset"]).exists()


def test_a_refund_must_be_the_amount_on_the_bank_line_and_an_unmatched_credit(paid_too_much, actor):
    client_file, rent = paid_too_much
    line = _refund_line(actor)
    with pytest.raises(ApplicationError) as refused:
        reclaims.settle_reclaim(
            actor=actor("frank"), client_file=client_file, obligation=rent, data=_refund(line, amount_cents=60000)
        )
    assert refused.value.field_errors["amount_cents"] == [
        "Het bedrag is anders dan op het bankafschrift (€ 650,00). Boek het bedrag dat binnenkwam."
    ]
    paid = banksim.build_statement(
        account_iban=GEMEENTE_IBAN, statement_id="PAID-1", booked_on=today(),
        payments=[banksim.BookedPayment(end_to_end_id=p.end_to_end_id, amount=Decimal(p.amount_cents) / 100,
                                        creditor_name=p.creditor_name, creditor_iban=p.iban)
                  for p in Payment.objects.filter(obligation=rent)[:1]],
    )  # fmt: skip
    debit = StatementLine.objects.get(
        statement=reconcile.import_statement(actor=actor("frank"), data=paid).statements[0]
    )
    with pytest.raises(ApplicationError) as refused:
        reclaims.settle_reclaim(actor=actor("frank"), client_file=client_file, obligation=rent, data=_refund(debit))
    assert refused.value.field_errors["statement_line"] == ["Deze regel is geen bijschrijving die nog niet herkend is."]


def test_only_who_changes_money_settles_and_another_gemeentes_line_is_not_found(paid_too_much, actor):
    client_file, rent = paid_too_much
    line = _refund_line(actor)
    with pytest.raises(NotFound):
        reclaims.settle_reclaim(actor=actor("kim"), client_file=client_file, obligation=rent, data=_refund(line))
    assert not ReclaimSettlement.objects.exists()


def test_a_refund_also_stops_the_next_run_from_paying_less(paid_too_much, actor, obligation):
    """A vaste last that goes on: the credit would be used by the next run; refunded, the next run pays in full."""
    client_file, rent = paid_too_much
    line = _refund_line(actor)
    reclaims.settle_reclaim(actor=actor("frank"), client_file=client_file, obligation=rent, data=_refund(line))
    assert credits_in(client_file.gemeente_id) == {}
    following, _ = services.build_run(actor=actor("frank"), month=next_month(THIS_MONTH))
    assert not following.payments.filter(obligation=rent).exists()  # ontzorgen ended: nothing owed, nothing less


# --- Pages ------------------------------------------------------------------------------------------------------


def settle_url(client_file, obligation) -> str:
    return reverse("ontzorgen:reclaim-settle", kwargs={"file_id": client_file.pk, "obligation_id": obligation.pk})


@pytest.mark.parametrize(("username", "gemeente", "status"), [
    ("frank", HAARLEM, 200), ("tamara", HAARLEM, 200), ("kim", HAARLEM, 404), ("zeynep", ZANDVOORT, 404),
    ("anouk", HAARLEM, 404), ("fenna", HAARLEM, 404), ("mira", HAARLEM, 404), ("bram", HAARLEM, 404),
])  # fmt: skip
def test_settle_page_permission_matrix(paid_too_much, actor, login, username, gemeente, status):
    client_file, rent = paid_too_much
    line = _refund_line(actor)
    viewed = AuditEvent.objects.filter(event_type="ontzorgen_viewed", client_file=client_file).count()
    client = login(username, gemeente)
    response = client.get(settle_url(client_file, rent))
    assert response.status_code == status
    assert AuditEvent.objects.filter(event_type="ontzorgen_viewed", client_file=client_file).count() == viewed + (
        status == 200
    )
    if status == 200:
        page = response.content.decode()
        assert "Nog terug te krijgen" in page
        assert reclaim_views.line_label(line) in page
    else:
        posted = client.post(settle_url(client_file, rent), {"method": "refunded", "amount_cents": "650,00",
                                                              "statement_line": line.pk})  # fmt: skip
        assert posted.status_code == 404
        assert not ReclaimSettlement.objects.exists()


def test_anonymous_is_sent_to_the_login(paid_too_much, client):
    client_file, rent = paid_too_much
    response = client.get(settle_url(client_file, rent))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("accounts:login"))


def test_booking_a_refund_through_the_form(paid_too_much, actor, login):
    client_file, rent = paid_too_much
    line = _refund_line(actor)
    frank = login("frank")
    index = frank.get(reverse("ontzorgen:index", kwargs={"file_id": client_file.pk})).content.decode()
    assert settle_url(client_file, rent) in index
    worklist = frank.get(reverse("ontzorgen-team:worklist")).content.decode()
    assert "Huur (Woonstichting Elan), € 650,00" in worklist.split('id="terugvorderen-title"')[1]

    refused = frank.post(settle_url(client_file, rent), {"method": "refunded", "amount_cents": "600,00",
                                                         "statement_line": str(line.pk)})  # fmt: skip
    assert refused.status_code == 400
    assert "Het bedrag is anders dan op het bankafschrift (€ 650,00)." in refused.content.decode()
    assert not ReclaimSettlement.objects.exists()

    done = frank.post(settle_url(client_file, rent), {"method": "refunded", "amount_cents": "650,00",
                                                      "statement_line": str(line.pk)})  # fmt: skip
    assert done.status_code == 302
    assert done.headers["Location"].endswith("#terugvorderen")
    page = frank.get(done.headers["Location"]).content.decode()
    assert "Terugbetaald door de schuldeiser: € 650,00 is geboekt." in page
    assert "Te veel betaald: terugvorderen" not in page
    assert f"Huur (Woonstichting Elan): € 650,00, terugbetaald door de schuldeiser op {today():%d-%m-%Y}" in page
    worklist = frank.get(reverse("ontzorgen-team:worklist")).content.decode()
    assert "Er staat niets open om terug te vorderen." in worklist
    bank = frank.get(reverse("ontzorgen-bank:worklist")).content.decode()
    assert "Terugbetaling huur Woonstichting Elan" not in bank
    # A second post (double click): nothing is open any more, a Dutch error, nothing written.
    again = frank.post(settle_url(client_file, rent), {"method": "offset", "amount_cents": "1,00", "note": "x",
                                                       "settled_on": today().isoformat()})  # fmt: skip
    assert again.status_code == 400
    assert "Voor deze vaste last staat niets meer open om terug te vorderen." in again.content.decode()
    assert ReclaimSettlement.objects.count() == 1


def test_the_klantregisseur_sees_the_reclaim_but_no_link_to_book_it(paid_too_much, login):
    client_file, rent = paid_too_much
    page = login("kim").get(reverse("ontzorgen:index", kwargs={"file_id": client_file.pk})).content.decode()
    assert "Te veel betaald: terugvorderen" in page
    assert settle_url(client_file, rent) not in page


# --- API --------------------------------------------------------------------------------------------------------


def api_url(client_file, obligation) -> str:
    return f"/api/v1/clients/{client_file.pk}/ontzorgen/obligations/{obligation.pk}/settlements"


def test_api_books_a_refund_once_and_lists_it(paid_too_much, actor, api):
    client_file, rent = paid_too_much
    line = _refund_line(actor)
    frank = api("frank")
    body = {"method": "refunded", "amount_cents": 65000, "statement_line": line.pk}
    created = frank.post(api_url(client_file, rent), body, format="json")
    assert created.status_code == 201
    settlement = ReclaimSettlement.objects.get()
    assert created.json() == {
        "id": settlement.pk, "obligation_id": rent.pk, "method": "refunded", "amount_cents": 65000,
        "settled_on": today().isoformat(), "statement_line_id": line.pk, "note": "",
        "ledger_entry_id": settlement.ledger_entry_id, "recorded_at": created.json()["recorded_at"],
    }  # fmt: skip
    repeated = frank.post(api_url(client_file, rent), body, format="json")
    assert (repeated.status_code, repeated.json()["id"]) == (200, settlement.pk)
    conflict = frank.post(api_url(client_file, rent), {"method": "offset", "amount_cents": 1, "note": "x",
                                                       "settled_on": today().isoformat()}, format="json")  # fmt: skip
    assert conflict.status_code == 409
    assert "niets meer open" in conflict.json()["detail"]
    listed = api("kim").get(api_url(client_file, rent))
    assert [row["id"] for row in listed.json()] == [settlement.pk]
    ontzorgen = frank.get(f"/api/v1/clients/{client_file.pk}/ontzorgen").json()
    assert (ontzorgen["reclaims"], ontzorgen["balances"]["refunded_cents"]) == ([], 65000)


def test_api_bad_input_is_400_in_dutch(paid_too_much, api):
    client_file, rent = paid_too_much
    response = api("frank").post(api_url(client_file, rent), {"method": "offset", "amount_cents": 70000},
                                 format="json")  # fmt: skip
    assert response.status_code == 400
    text = str(response.json())
    assert "Schrijf op hoe de schuldeiser het bedrag heeft verrekend." in text
    assert "Er staat nog € 650,00 open." in text
    assert not ReclaimSettlement.objects.exists()


@pytest.mark.parametrize(("username", "gemeente", "read", "write"), [
    ("frank", HAARLEM, 200, 201), ("tamara", HAARLEM, 200, 201), ("kim", HAARLEM, 200, 404),
    ("zeynep", ZANDVOORT, 404, 404), ("fenna", HAARLEM, 404, 404), ("mira", HAARLEM, 404, 404),
    (None, HAARLEM, 401, 401),
])  # fmt: skip
def test_api_permission_matrix(paid_too_much, api, username, gemeente, read, write):
    client_file, rent = paid_too_much
    client = api(username, gemeente)
    assert client.get(api_url(client_file, rent)).status_code == read
    body = {"method": "offset", "amount_cents": 100, "note": "Verrekend.", "settled_on": today().isoformat()}
    assert client.post(api_url(client_file, rent), body, format="json").status_code == write
    assert ReclaimSettlement.objects.count() == (1 if write == 201 else 0)


# --- The client's statement (#13 leftover: refunds and offsets were missing) --------------------------------------


def test_the_client_statement_lists_refunds_and_offsets_and_the_balance_of_the_ledger(paid_too_much, actor):
    client_file, rent = paid_too_much
    line = _refund_line(actor, amount="400.00")
    reclaims.settle_reclaim(actor=actor("frank"), client_file=client_file, obligation=rent, data=_refund(line))
    reclaims.settle_reclaim(
        actor=actor("frank"), client_file=client_file, obligation=rent,
        data={"method": "offset", "amount_cents": "250,00", "note": "Verrekend met de eindafrekening.",
              "settled_on": today()},
    )  # fmt: skip
    balances = balances_of(client_file.pk)

    context = statement.statement_context(client_file)
    # What the client reads adds up: withheld - paid + paid back to the gemeente = what the gemeente still holds,
    # and that is the ledger's balance (the same sum the staff pages show).
    assert context["total_withheld"] - context["total_paid"] + context["total_refunded"] == context["held"]
    assert context["held"] * 100 == balances.held
    [block] = [month for month in context["months"] if month.settled]
    assert [(s.creditor, s.amount, s.refunded) for s in block.settled] == [
        ("Woonstichting Elan", Decimal("400.00"), True), ("Woonstichting Elan", Decimal("250.00"), False),
    ]  # fmt: skip

    pdf = statement.render_statement(actor=actor("frank"), client_file=client_file)
    text = _pdf_text(pdf)
    day = f"{today().day} {date_format(today(), 'F Y')}"
    assert "Wij betaalden te veel. Dit is met dat geld gebeurd:" in text
    assert f"Woonstichting Elan € 400,00 Terugbetaald aan de gemeente op {day}." in text
    assert f"Woonstichting Elan € 250,00 Verrekend op {day}, bijvoorbeeld met een nieuwe rekening." in text
    assert "Totaal terugbetaald aan de gemeente € 400,00" in text
    assert "Totaal verrekend, zonder geld terug € 250,00" in text
    assert "Te veel betaald: € 650,00." in text  # the negative correction, not "Correctie: -€ 650,00"
    assert f"Uw geld dat de gemeente nog heeft {euro(context['held'])}".replace("\u00a0", " ") in text
    assert "Verrekend met de eindafrekening" not in text  # the staff's note stays with the gemeente


def test_a_statement_without_settlements_names_no_refunds(ontzorgen_file, obligation, actor, account):
    client_file = ontzorgen_file()
    obligation(client_file)
    _run(actor, THIS_MONTH)
    text = _pdf_text(statement.render_statement(actor=actor("frank"), client_file=client_file))
    assert "terugbetaald" not in text.lower()
    assert "verrekend" not in text.lower()
    assert "Uw geld dat de gemeente nog heeft" in text or "Meer betaald dan ingehouden" in text
