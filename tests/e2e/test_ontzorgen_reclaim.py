"""Browser (#13 leftover a): the bijstand ended early, so rent was paid once too much; the landlord refunds it and the
refund arrives on the bank statement (SIMULATED bank) as an unmatched credit. Frank opens the reclaim from the
ontzorgen page, first types another amount (a Dutch error on the field), then books the refund with its bank line:
the reclaim is closed, the ontzorgen page lists what came back. axe clean at 1280 and 320 px, no sideways scroll at
320 px; screenshots in /tmp/e2e-reclaim-*.png."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from openinburgering.core.dates import today
from openinburgering.ontzorgen import banksim, reconcile, services
from openinburgering.ontzorgen.models import LedgerEntry, ReclaimSettlement, StatementLine
from openinburgering.ontzorgen.periods import month_start
from openinburgering.ontzorgen.selectors import reclaims_of
from openinburgering.rules.dates import add_months
from tests.conftest import actor_for

from .conftest import assert_accessible
from .test_journeys import LogIn, assert_reflows

GEMEENTE_IBAN = "NL91ABNA0417164300"


def test_frank_books_the_landlords_refund_and_the_reclaim_is_closed(
    page: Page, small_page: Page, log_in: LogIn, live_server: Any, staff: dict[str, Any], make_file: Any
) -> None:
    frank, tamara = actor_for(staff["frank"]), actor_for(staff["tamara"])
    this_month = month_start(today())
    last_month = add_months(this_month, -1)
    services.save_settings(actor=frank, data={"debtor_name": "Gemeente Haarlem", "debtor_iban": GEMEENTE_IBAN})
    client_file = make_file()
    services.record_ontzorgen(
        actor=frank, client_file=client_file, data={"receives_bijstand": True, "bijstand_start_on": last_month}
    )
    services.record_machtiging(actor=frank, client_file=client_file, data={"kind": "machtiging", "given_on": today()})
    rent = services.record_obligation(actor=frank, client_file=client_file, data={
        "kind": "huur", "creditor_name": "Woonstichting Elan", "iban": "NL18RABO0123459876", "amount_cents": 65_000,
        "day_of_month": 1, "start_on": last_month})  # fmt: skip
    for month in (last_month, this_month):
        run, _ = services.build_run(actor=frank, month=month)
        services.approve_run(actor=tamara, run=run)
    services.record_ontzorgen(
        actor=frank, client_file=client_file,
        data={"receives_bijstand": True, "bijstand_start_on": last_month, "bijstand_end_on": this_month - timedelta(1)},
    )  # fmt: skip
    statement = banksim.build_statement(
        account_iban=GEMEENTE_IBAN, statement_id="AFS-2026-REFUND", booked_on=today(), payments=[],
        extra_credits=[(Decimal("650.00"), "Terugbetaling huur Woonstichting Elan")],
    )  # fmt: skip
    reconcile.import_statement(actor=frank, data=statement)

    log_in(page, "frank")
    page.goto(live_server.url + reverse("ontzorgen:index", kwargs={"file_id": client_file.pk}))
    expect(page.get_by_role("heading", name="Te veel betaald: terugvorderen")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Terugbetaling of verrekening boeken")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Terugvordering boeken")
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-reclaim-form-1280.png", full_page=True)

    page.get_by_label("Terugbetaald door de schuldeiser").check()
    refund = StatementLine.objects.get(statement__statement_id="AFS-2026-REFUND")
    lines = page.get_by_label("Regel van het bankafschrift")
    expect(lines.locator(f'option[value="{refund.pk}"]')).to_contain_text("€ 650,00")
    lines.select_option(value=str(refund.pk))
    page.get_by_label("Bedrag in euro").fill("600,00")
    page.get_by_role("button", name="Boeken").click()
    expect(page.get_by_text("Het bedrag is anders dan op het bankafschrift (€ 650,00).").first).to_be_visible()
    assert page.title().startswith("Fout: ")
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-reclaim-error-1280.png", full_page=True)
    assert not ReclaimSettlement.objects.exists()

    # 320 px: the same form reflows, without sideways scrolling.
    settle_url = reverse("ontzorgen:reclaim-settle", kwargs={"file_id": client_file.pk, "obligation_id": rent.pk})
    log_in(small_page, "frank")
    small_page.goto(live_server.url + settle_url)
    expect(small_page.get_by_role("button", name="Boeken")).to_be_visible()
    assert_reflows(small_page)
    assert_accessible(small_page)
    small_page.screenshot(path="/tmp/e2e-reclaim-form-320.png", full_page=True)

    page.get_by_label("Bedrag in euro").fill("650,00")
    page.get_by_role("button", name="Boeken").click()
    expect(page.get_by_text("Terugbetaald door de schuldeiser: € 650,00 is geboekt.")).to_be_visible()
    expect(page.get_by_role("heading", name="Teruggekregen van schuldeisers")).to_be_visible()
    expect(page.get_by_role("heading", name="Te veel betaald: terugvorderen")).to_have_count(0)
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-reclaim-done-1280.png", full_page=True)
    assert reclaims_of(client_file.pk) == []
    assert LedgerEntry.objects.get(obligation=rent, kind="refunded").amount_cents == 65_000

    # Opened again, the page says nothing is open any more (and offers no form).
    small_page.goto(live_server.url + settle_url)
    expect(small_page.get_by_text("Voor deze vaste last staat niets meer open.")).to_be_visible()
    assert_accessible(small_page)
