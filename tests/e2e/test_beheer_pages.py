"""The functioneel beheerder's need-to-know pages in the browser (#12 items 1 and 8): 'Toegang tot onderdelen van
het dossier' (narrow a role, see the refusal of a wider one) and the 'Verwerkingsregister', at 1280 and 320 px,
axe clean, no sideways scroll; screenshots in /tmp/e2e-beheer-*.png."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from openinburgering.accounts.models import SectionLimit

from .conftest import assert_accessible
from .test_journeys import LogIn, heading, url


def no_sideways_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def test_fenna_narrows_access_and_reads_the_register(
    page: Page, small_page: Page, log_in: LogIn, live_server: Any
) -> None:
    log_in(page, "fenna")
    page.goto(url(live_server, "accounts:section-matrix"))
    assert heading(page) == "Toegang tot onderdelen van het dossier"
    assert_accessible(page)
    select = page.get_by_label("Toegang voor Klantregisseur bij Notities van de regie")
    select.select_option("1")
    select.locator("xpath=ancestor::form").get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_text("De toegang is aangepast.").is_visible()
    assert list(SectionLimit.objects.values_list("role_code", "section", "access")) == [
        ("klantregisseur", "notities", 1)
    ]
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-beheer-toegang-1280.png", full_page=True)

    page.goto(url(live_server, "accounts:processing-register"))
    assert heading(page).replace("\u00ad", "") == "Verwerkingsregister"
    assert page.get_by_role("heading", name="Brede intake en leerbaarheidstoets").is_visible()
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-beheer-register-1280.png", full_page=True)

    log_in(small_page, "fenna")
    for name in ("accounts:section-matrix", "accounts:processing-register"):
        small_page.goto(url(live_server, name))
        assert_accessible(small_page)
        small_page.screenshot(path=f"/tmp/e2e-beheer-{name.split(':')[1]}-320.png", full_page=True)
        assert no_sideways_scroll(small_page), name
