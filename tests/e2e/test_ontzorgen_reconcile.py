"""Browser (#13 part B): frank imports the bank's camt.053 with one returned payment, sees the return on the
worklist with its reason, handles it, and prints the client statement (PDF). The same statement a second time
changes nothing. axe reports zero violations on every page."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.urls import reverse
from playwright.sync_api import Page

from openinburgering.core.dates import today
from openinburgering.ontzorgen import banksim, services
from openinburgering.ontzorgen.models import BankStatement, LedgerEntry, Payment, StatementLine
from openinburgering.ontzorgen.periods import month_start
from tests.conftest import actor_for

from .conftest import assert_accessible

GEMEENTE_IBAN = "NL91ABNA0417164300"


def _approved_run(staff: dict[str, Any], make_file: Callable[..., Any]) -> tuple[Any, list[Payment]]:
    frank, tamara = actor_for(staff["frank"]), actor_for(staff["tamara"])
    services.save_settings(actor=frank, data={"debtor_name": "Gemeente Haarlem", "debtor_iban": GEMEENTE_IBAN})
    client_file = make_file()
    services.record_ontzorgen(
        actor=frank, client_file=client_file,
        data={"receives_bijstand": True, "bijstand_start_on": month_start(today())},
    )  # fmt: skip
    services.record_machtiging(actor=frank, client_file=client_file, data={"kind": "machtiging", "given_on": today()})
    base = {"day_of_month": 1, "start_on": month_start(today())}
    services.record_obligation(actor=frank, client_file=client_file, data={
        **base, "kind": "huur", "creditor_name": "Woonstichting Elan", "iban": "NL18RABO0123459876",
        "creditor_reference": "Huurcontract 4711", "amount_cents": 65_000})  # fmt: skip
    services.record_obligation(actor=frank, client_file=client_file, data={
        **base, "kind": "water", "creditor_name": "PWN Waterleidingbedrijf", "iban": "NL20INGB0001234567",
        "creditor_reference": "Klant 998877", "amount_cents": 2_550})  # fmt: skip
    run, _ = services.build_run(actor=frank, month=month_start(today()))
    services.approve_run(actor=tamara, run=run)
    return client_file, list(Payment.objects.filter(run=run).order_by("id"))


def test_frank_imports_a_statement_with_a_return_handles_it_and_prints_the_statement(
    page: Page, log_in: Callable[[Page, str], None], live_server: Any, staff: dict[str, Any],
    make_file: Callable[..., Any], tmp_path: Path,
) -> None:  # fmt: skip
    client_file, payments = _approved_run(staff, make_file)
    water = next(p for p in payments if p.creditor_name.startswith("PWN"))
    statement = tmp_path / "afschrift-camt053.xml"
    statement.write_bytes(
        banksim.build_statement(
            account_iban=GEMEENTE_IBAN,
            statement_id="E2E-STMT-1",
            booked_on=today(),
            payments=[
                banksim.BookedPayment(
                    p.end_to_end_id,
                    Decimal(p.amount_cents) / 100,
                    p.creditor_name,
                    p.iban,
                    return_reason="AC04" if p.pk == water.pk else "",
                )
                for p in payments
            ],
        )
    )
    log_in(page, "frank")

    page.get_by_role("link", name="Bank en loslaten").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Werklijst bank en loslaten"
    assert_accessible(page)
    page.get_by_role("link", name="Bankafschrift inlezen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Bankafschriften"
    assert_accessible(page)

    page.get_by_label("Bankafschrift (camt.053, XML)").set_input_files(str(statement))
    page.get_by_role("button", name="Afschrift inlezen").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "Het afschrift is ingelezen: 2 betaald, 1 teruggekomen, 0 niet herkend." in main
    assert "De rekening is opgeheven." in main
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "statement.png"), full_page=True)

    page.goto(live_server.url + reverse("ontzorgen-bank:worklist"))
    main = page.locator("main").inner_text()
    assert "Teruggekomen en niet herkende betalingen (1)" in main
    assert "De rekening is opgeheven." in main
    assert client_file.person.full_name in main
    assert_accessible(page)
    assert LedgerEntry.objects.filter(payment=water, kind="returned").count() == 1

    # The same statement again: nothing changes.
    page.goto(live_server.url + reverse("ontzorgen-bank:statements"))
    page.get_by_label("Bankafschrift (camt.053, XML)").set_input_files(str(statement))
    page.get_by_role("button", name="Afschrift inlezen").click()
    page.wait_for_load_state()
    assert "Dit afschrift was al ingelezen. Er is niets veranderd." in page.locator("main").inner_text()
    assert (BankStatement.objects.count(), StatementLine.objects.count()) == (1, 3)
    assert LedgerEntry.objects.filter(payment=water, kind="returned").count() == 1

    page.goto(live_server.url + reverse("ontzorgen-bank:worklist"))
    page.get_by_label("Wat heeft u gedaan?").fill("Nieuw IBAN van PWN gevraagd; betalen in de volgende run.")
    page.get_by_role("button", name="Afgehandeld").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "De regel is afgehandeld." in main
    assert "Teruggekomen en niet herkende betalingen (0)" in main
    assert_accessible(page)

    # Print the client statement from the client's loslaten page.
    page.goto(live_server.url + reverse("ontzorgen-nazorg:loslaten", kwargs={"file_id": client_file.pk}))
    assert_accessible(page)
    link = page.get_by_role("link", name="Overzicht van de betalingen (PDF)")
    pdf = page.request.get(live_server.url + str(link.get_attribute("href")))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    body = pdf.body()
    assert body.startswith(b"%PDF")
    (tmp_path / "overzicht.pdf").write_bytes(body)
