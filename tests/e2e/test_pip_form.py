"""Browser test for issue #11 item 8: the PIP form renders short and scannable, a submission with three errors
shows "Er zijn 3 fouten" with three links that move the focus to the fields, and it reflows at 320 px. axe reports
zero violations; screenshots at 1280 and 320 px (/tmp/e2e-pip-form-*.png) are looked at by a person."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from playwright.sync_api import Page

from openinburgering.plans import services
from tests.plans.conftest import pip_file  # noqa: F401 -- fixture: a file ready for a PIP

from .conftest import assert_accessible
from .test_journeys import LogIn, assert_reflows, heading

SCREENSHOTS = "/tmp/e2e-pip-form-{}.png"


def test_pip_form_error_summary_links_move_focus_to_the_fields(
    page: Page,
    small_page: Page,
    log_in: LogIn,
    live_server: Any,
    pip_file: Any,  # noqa: F811 -- the fixture imported above
    actor: Any,
) -> None:
    client_file = pip_file()
    version = services.create_draft(actor=actor("kim"), client_file=client_file)
    edit = live_server.url + reverse("plans:edit", kwargs={"file_id": client_file.pk, "version_id": version.pk})

    log_in(page, "kim")
    page.goto(edit)
    assert heading(page) == "PIP versie 1 wijzigen"
    legends = [text.strip() for text in page.locator("legend.app-form-group__legend").all_text_contents()]
    assert legends == ["Leerroute en taal", "PVT, MAP en begeleiding", "Bijstand en financieel ontzorgen",
                       "VVE en randvoorwaarden", "Samenvatting voor de persoon", "Voortgangsgesprekken",
                       "Afspraken per leefgebied"]  # fmt: skip
    # The optional groups are folded while empty.
    assert page.get_by_label("Kinderopvang").is_hidden()
    assert page.get_by_label("De persoon krijgt bijstand").is_hidden()
    assert_accessible(page)
    page.screenshot(path=SCREENSHOTS.format(1280), full_page=True)

    # Three errors: a leerroute is missing, and two agreements lack their leefgebied.
    page.get_by_label("Leerroute", exact=True).select_option("")
    page.locator("#id_agreements-0-goal").fill("Doel 1")
    page.locator("#id_agreements-0-responsible").select_option("klant")
    page.get_by_role("button", name="Meer regels voor afspraken").click()  # works without JavaScript
    page.wait_for_load_state()
    assert page.locator("#id_agreements-0-goal").input_value() == "Doel 1"
    page.locator("#id_agreements-1-goal").fill("Doel 2")
    page.locator("#id_agreements-1-responsible").select_option("klant")
    page.get_by_role("button", name="Concept opslaan").click()
    page.wait_for_load_state()

    assert page.title().startswith("Fout: ")
    summary = page.locator(".app-error-summary")
    assert summary.get_by_role("heading").inner_text() == "Er zijn 3 fouten. Verbeter die en probeer het opnieuw."
    links = summary.get_by_role("link")
    assert links.all_inner_texts() == [
        "Leerroute: Kies een leerroute.",
        "Afspraak 1, Leefgebied: Kies een leefgebied.",
        "Afspraak 2, Leefgebied: Kies een leefgebied.",
    ]
    assert_accessible(page)
    for index, target in enumerate(("id_leerroute", "id_agreements-0-leefgebied", "id_agreements-1-leefgebied")):
        links.nth(index).click()
        assert page.evaluate("document.activeElement.id") == target
    page.screenshot(path=SCREENSHOTS.format("1280-errors"), full_page=True)

    log_in(small_page, "kim")
    small_page.goto(edit)
    assert heading(small_page) == "PIP versie 1 wijzigen"
    assert_reflows(small_page)
    assert_accessible(small_page)
    small_page.screenshot(path=SCREENSHOTS.format(320), full_page=True)
