"""Browser: the functioneel beheerder finds 'Gegevens op brieven' on the start page, gets a Dutch error for an
IBAN whose checksum fails, saves valid details (issue #11 item 7). axe reports zero violations on each step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page

from openinburgering.letters.models import LetterSettings

from .conftest import assert_accessible


def test_functioneel_beheerder_sets_the_letter_details(page: Page, log_in: Callable[[Page, str], None],
                                                       live_server: Any) -> None:  # fmt: skip
    log_in(page, "fenna")
    page.get_by_role("link", name="Gegevens op brieven").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Gegevens op brieven"
    assert_accessible(page)

    page.get_by_label("Telefoonnummer").fill("14 023")
    page.get_by_label("Adres voor bezwaar").fill("College van burgemeester en wethouders\nPostbus 511\n2003 PB Haarlem")
    page.get_by_label("IBAN voor boetes").fill("NL91 ABNA 0417 1643 01")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert page.title().startswith("Fout: ")
    assert "Dit IBAN klopt niet: het controlegetal past niet bij het nummer." in page.locator("main").inner_text()
    assert_accessible(page)
    assert not LetterSettings.objects.exists()

    page.get_by_label("IBAN voor boetes").fill("NL91 ABNA 0417 1643 00")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert "De gegevens op de brieven zijn opgeslagen." in page.locator("main").inner_text()
    assert_accessible(page)
    saved = LetterSettings.objects.get()
    assert (saved.phone, saved.iban) == ("14 023", "NL91ABNA0417164300")
