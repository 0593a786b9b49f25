"""Browser journey of issue #14: kim refers to a GGZ offer with the client's consent and a warme-overdracht package;
the partner user gijs logs in, sees only the package, acknowledges it, accepts and reports back; the referral is on
kim's worklist to follow up; kim withdraws the consent on behalf of the client and gijs's next request is a 404;
mira sees her caseload and the begeleiding part only. axe reports zero violations on every page visited.

Setup through the services (not the browser): a Haarlem file of kim's with the client's health consent in the file
(recorded in the intake's gezondheid step in real use). kim assigns mira as the begeleider in the browser."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from openinburgering.clients.consent import record_consent
from openinburgering.clients.models import ClientFile
from openinburgering.netwerk.models import Referral
from tests.conftest import actor_for
from tests.netwerk.conftest import ggz_offer, partners  # noqa: F401 -- fixtures: the demo kaart, gijs and sanne

from .conftest import assert_accessible
from .test_intake_to_pip_journey import assert_form_error, follow, heading, labelled, press, success_text, url

pytestmark = pytest.mark.e2e

LogIn = Callable[[Page, str], None]
SCREENSHOT = "/tmp/e2e-netwerk-partner.png"


@pytest.fixture
def desk(browser: Browser) -> Iterator[Callable[[], Page]]:
    """A page in a fresh browser context: another person at another desk."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        fresh = context.new_page()
        fresh.set_default_timeout(10_000)
        return fresh

    yield make
    for context in contexts:
        context.close()


def test_referral_with_warme_overdracht_partner_answer_withdrawal_and_begeleiding(
    page: Page, desk: Callable[[], Page], log_in: LogIn, live_server: Any, staff: Any,
    make_file: Callable[..., ClientFile], partners: Any,  # noqa: F811 -- the fixture imported above
) -> None:  # fmt: skip
    client_file = make_file(assigned_to="kim")
    record_consent(actor=actor_for(staff["kim"]), client_file=client_file, purpose="gezondheid",
                   given_on=date(2025, 8, 1), how="Mondeling, in de brede intake")  # fmt: skip
    person = client_file.person.full_name

    # kim: from the file to a new referral; without consent the form says so.
    log_in(page, "kim")
    page.goto(url(live_server, "clients:detail", file_id=client_file.pk))
    follow(page, "Verwijzingen, contactkaart en maatjes")
    assert heading(page) == f"Zorg en netwerk: {person}"
    assert_accessible(page)
    labelled(page, "Maatschappelijk begeleider").select_option(label=staff["mira"].display_name)
    press(page, "Begeleider opslaan")
    assert "begeleider is opgeslagen" in success_text(page)
    follow(page, "Nieuwe verwijzing")
    assert_accessible(page)
    press(page, "Verwijzing opstellen")
    assert_form_error(page, "Zonder toestemming van de inburgeraar kunt u niet verwijzen.", "Schrijf de hulpvraag op.")
    labelled(page, "Aanbod van de sociale kaart").select_option(
        label="Praten met een psycholoog voor nieuwkomers, GGZ Kennemerduin (fictief) (Gezondheid)"
    )
    labelled(page, "Hulpvraag").fill("Slaapt slecht en piekert veel; wil graag met iemand praten.")
    page.get_by_label("Wie is de persoon en hoe bereikt u hem of haar").check()
    page.get_by_label("Gezondheid uit de brede intake").check()
    labelled(page, "Toestemming gegeven door").fill("De inburgeraar zelf")
    labelled(page, "Hoe is de toestemming gegeven?").fill("Mondeling in het gesprek")
    page.get_by_label("De inburgeraar geeft toestemming", exact=False).check()
    press(page, "Verwijzing opstellen")
    assert "concept" in success_text(page)
    referral = Referral.objects.get(client_file=client_file)
    package = page.locator("#pakket").inner_text()
    assert person in package
    assert client_file.person.bsn not in package
    assert_accessible(page)
    press(page, "Verwijzing en warme overdracht versturen")
    assert page.locator("#verwijzing-status").inner_text() == "Verzonden"

    # gijs (GGZ): only the package; he acknowledges, accepts and reports back.
    partner = desk()
    log_in(partner, "gijs")
    follow(partner, "Verwijzingen")
    assert_accessible(partner)
    follow(partner, f"Verwijzing {referral.pk}")
    assert heading(partner) == f"Verwijzing {referral.pk}: {person}"
    text = partner.locator("main").inner_text()
    assert "Slaapt slecht" in text
    assert client_file.person.bsn not in text
    assert_accessible(partner)
    partner.screenshot(path=SCREENSHOT, full_page=True)
    press(partner, "Ontvangst bevestigen")
    press(partner, "Accepteren")
    assert partner.locator("#verwijzing-status").inner_text() == "Geaccepteerd"
    press(partner, "Terugmelden")
    assert_form_error(partner, "Schrijf de terugmelding op.")
    labelled(partner, "Reden of terugmelding").fill("Intakegesprek gehad; start over twee weken.")
    press(partner, "Terugmelden")
    assert partner.locator("#verwijzing-status").inner_text() == "Teruggemeld"
    partner_url = partner.url
    assert partner.goto(url(live_server, "clients:detail", file_id=client_file.pk)).status == 404

    # kim: the referral is on her worklist; she withdraws the consent for the client.
    page.goto(url(live_server, "home"))
    follow(page, "Verwijzingen om op te volgen")
    assert_accessible(page)
    follow(page, person)
    assert "Intakegesprek gehad" in page.locator("#verwijzing-geschiedenis").inner_text()
    page.get_by_text("Toestemming intrekken namens de inburgeraar").click()
    assert_accessible(page)
    press(page, "Toestemming intrekken")
    assert "Ingetrokken op" in page.locator("#toestemming-nu").inner_text()
    response = partner.goto(partner_url)
    assert response is not None
    assert response.status == 404
    assert "Slaapt slecht" not in partner.content()

    # mira: her caseload and the begeleiding part; the intake stays closed.
    begeleider = desk()
    log_in(begeleider, "mira")
    follow(begeleider, "Mijn begeleiding")
    assert_accessible(begeleider)
    follow(begeleider, person)
    assert heading(begeleider) == f"Maatschappelijke begeleiding: {person}"
    begeleider.get_by_label("Signaal aan de klantregisseur").check()
    labelled(begeleider, "Omschrijving").fill("Huurachterstand genoemd; graag schuldhulp bespreken.")
    press(begeleider, "Vastleggen")
    assert "Huurachterstand" in begeleider.locator("#overzicht").inner_text()
    assert_accessible(begeleider)
    response = begeleider.goto(url(live_server, "intakes:overview", file_id=client_file.pk))
    assert response is not None
    assert response.status == 404

    # The sociale kaart, searched by theme and language.
    page.goto(url(live_server, "sociale-kaart:search"))
    labelled(page, "Leefgebied").select_option(label="Gezondheid")
    labelled(page, "Taal").fill("Arabisch")
    press(page, "Zoeken")
    assert "Groep: slapen en piekeren" in page.locator("main").inner_text()
    assert_accessible(page)
