"""Contact details from Open Klant in the browser (#17 item 5): kim follows the link on the file page, sees the
e-mail address the KCC registered in the (loopback) Open Klant, takes it over into the file; the page is axe clean
at 1280 px and reflows at 320 px. And fenna's connection page for digital post says the contract is simulated
(#17 item 6). Screenshots in /tmp/e2e-contactgegevens-*.png and /tmp/e2e-digitale-post.png."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page

from openinburgering.clients.models import Person
from tests.interop.conftest import haarlem, openklant_connection, openklant_server  # noqa: F401 -- fixtures

from .conftest import assert_accessible
from .test_beheer_pages import no_sideways_scroll
from .test_journeys import LogIn, heading, url


def test_kim_takes_the_e_mail_address_from_open_klant_over_into_the_file(
    page: Page,
    small_page: Page,
    log_in: LogIn,
    live_server: Any,
    make_file: Any,
    openklant_server: Any,  # noqa: F811 -- the fixture imported by name
    openklant_connection: Any,  # noqa: F811 -- the fixture imported by name
) -> None:
    client_file = make_file(assigned_to="kim", person={"email": "oud@example.org"})
    partij = openklant_server.add_persoon(client_file.person.bsn)
    openklant_server.add_digitaal_adres(partij, "email", "amal.nieuw@example.org", "Opgegeven bij het KCC")
    log_in(page, "kim")
    page.goto(url(live_server, "clients:detail", file_id=client_file.pk))
    page.get_by_role("link", name="Contactgegevens in het klantcontactsysteem bekijken").click()
    page.wait_for_load_state()

    assert heading(page).replace("\u00ad", "") == "Contactgegevens in het klantcontactsysteem"
    assert page.get_by_role("cell", name="amal.nieuw@example.org", exact=True).is_visible()
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-contactgegevens-1280.png", full_page=True)
    page.get_by_role("button", name=re.compile(r"^Overnemen in het dossier\s*: amal\.nieuw@example\.org$")).click()
    page.wait_for_load_state()

    assert page.get_by_text("Het e-mailadres uit het klantcontactsysteem staat nu in het dossier.").is_visible()
    assert Person.objects.get(pk=client_file.person_id).email == "amal.nieuw@example.org"
    assert_accessible(page)

    log_in(small_page, "kim")
    small_page.goto(url(live_server, "contactgegevens:details", file_id=client_file.pk))
    assert small_page.get_by_role("cell", name="Staat in het dossier").is_visible()
    small_page.screenshot(path="/tmp/e2e-contactgegevens-320.png", full_page=True)
    assert no_sideways_scroll(small_page)  # the long compound words of the heading break at soft hyphens
    assert openklant_server.spec_errors == []


def test_the_digital_post_connection_says_it_is_a_simulated_contract(page: Page, log_in: LogIn, live_server: Any):
    log_in(page, "fenna")
    page.goto(url(live_server, "interop:connection", system="digitale_post"))
    assert page.get_by_text("er is geen landelijke open koppeling met de Berichtenbox voor gemeenten").is_visible()
    assert page.get_by_text("Dit is nog niet getest met een echte Berichtenbox-koppeling.").is_visible()
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-digitale-post.png", full_page=True)
