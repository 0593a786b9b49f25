"""Browser (#13 gaps 2, 3 and 5): the first run pays the months since ontzorgen started (catch-up); frank marks the
"zelf betalen" step done from a month already paid; the loslaten page says the client pays it from then on, and the
ontzorgen page shows what was paid too much and must be reclaimed. axe reports zero violations on both pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from openinburgering.core.dates import today
from openinburgering.ontzorgen import loslaten, services
from openinburgering.ontzorgen.models import LedgerEntry, Payment
from openinburgering.ontzorgen.periods import month_start
from openinburgering.rules.dates import add_months
from tests.conftest import actor_for

from .conftest import assert_accessible

GEMEENTE_IBAN = "NL91ABNA0417164300"


def test_frank_lets_the_client_pay_water_and_sees_what_to_reclaim(
    page: Page, log_in: Callable[[Page, str], None], live_server: Any, staff: dict[str, Any],
    make_file: Callable[..., Any],
) -> None:  # fmt: skip
    frank, tamara = actor_for(staff["frank"]), actor_for(staff["tamara"])
    this_month = month_start(today())
    start = add_months(this_month, -4)
    services.save_settings(actor=frank, data={"debtor_name": "Gemeente Haarlem", "debtor_iban": GEMEENTE_IBAN})
    client_file = make_file()
    services.record_ontzorgen(
        actor=frank, client_file=client_file, data={"receives_bijstand": True, "bijstand_start_on": start}
    )
    services.record_machtiging(actor=frank, client_file=client_file, data={"kind": "machtiging", "given_on": today()})
    base = {"day_of_month": 1, "start_on": start}
    services.record_obligation(actor=frank, client_file=client_file, data={
        **base, "kind": "huur", "creditor_name": "Woonstichting Elan", "iban": "NL18RABO0123459876",
        "amount_cents": 65_000})  # fmt: skip
    water = services.record_obligation(actor=frank, client_file=client_file, data={
        **base, "kind": "water", "creditor_name": "PWN Waterleidingbedrijf", "iban": "NL20INGB0001234567",
        "amount_cents": 2_550})  # fmt: skip
    run, _ = services.build_run(actor=frank, month=this_month)
    services.approve_run(actor=tamara, run=run)
    # Catch-up: the first run paid the four months since the start as well as this month.
    assert Payment.objects.get(run=run, obligation=water).amount_cents == 5 * 2_550
    loslaten.plan_loslaten(actor=frank, client_file=client_file, data={"obligation": water.pk})

    log_in(page, "frank")
    page.goto(live_server.url + reverse("ontzorgen-nazorg:loslaten", kwargs={"file_id": client_file.pk}))
    assert_accessible(page)
    page.get_by_label("De klant betaalt zelf vanaf").fill(this_month.isoformat())
    page.get_by_role("button", name=re.compile(r"^Stap gedaan.*betaalt zelf één vaste last")).click()
    page.wait_for_load_state()
    expect(page.get_by_text("Daarna betaalt de klant dit zelf.")).to_be_visible()
    assert_accessible(page)
    water.refresh_from_db()
    assert water.end_on == this_month - timedelta(days=1)

    page.goto(live_server.url + reverse("ontzorgen:index", kwargs={"file_id": client_file.pk}))
    expect(page.get_by_role("heading", name="Te veel betaald: terugvorderen")).to_be_visible()
    expect(page.get_by_text(f"Water (PWN Waterleidingbedrijf): € 25,50, voor {this_month:%m-%Y}")).to_be_visible()
    expect(page.get_by_text("Daarna betaalt de klant dit zelf (begeleid loslaten).")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path="/tmp/ontzgaps-reclaim.png", full_page=True)
    assert LedgerEntry.objects.get(obligation=water, kind="corrected").amount_cents == -2_550
