"""Financieel ontzorgen in the browser (#13): frank records the bijstand, the machtiging and a vaste last (a wrong
IBAN first: a Dutch error, nothing saved), builds this month's run, cannot approve it himself; tamara approves it
in her own session; frank downloads the file, which validates against the pain.001.001.09 XSD. axe clean on every
page; screenshots in /tmp/e2e-ontzorgen-*.png."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree
from playwright.sync_api import Browser, Page

from openinburgering.accounts.actor import Actor
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.demo.personas import HAARLEM
from openinburgering.ontzorgen import sepa, services
from openinburgering.ontzorgen.models import Obligation, PaymentFile, PaymentRun
from openinburgering.ontzorgen.periods import month_start

from .conftest import assert_accessible
from .test_journeys import LogIn, heading, url


def test_frank_records_obligations_and_a_second_person_approves_the_run(
    page: Page, browser: Browser, log_in: LogIn, live_server: Any, make_file: Callable[..., ClientFile],
    actor: Callable[..., Actor], tmp_path: Path,
) -> None:  # fmt: skip
    client_file = make_file(HAARLEM, person={"given_names": "Yonas", "surname": "Tesfay"})
    services.save_settings(
        actor=actor("frank"), data={"debtor_name": "Gemeente Haarlem", "debtor_iban": "NL91ABNA0417164300"}
    )
    start = month_start(today())

    log_in(page, "frank")
    page.goto(url(live_server, "ontzorgen:index", file_id=client_file.pk))
    assert heading(page) == "Financieel ontzorgen: Yonas Tesfay"
    assert_accessible(page)
    form = page.locator("form[action$='/ontzorgen/periode/']")
    form.get_by_label("Recht op bijstand vanaf").fill(start.isoformat())
    form.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_text("De bijstand en het maatwerk zijn vastgelegd.").is_visible()
    page.get_by_text("Machtiging, toestemming of weigering vastleggen").click()
    machtiging = page.locator("form[action$='/ontzorgen/machtiging/']")
    machtiging.get_by_label("Machtiging getekend").check()
    machtiging.get_by_role("button", name="Vastleggen").click()
    page.wait_for_load_state()
    assert page.get_by_text("De machtiging is vastgelegd.").is_visible()

    page.get_by_role("link", name="Vaste last toevoegen").click()
    page.wait_for_load_state()
    page.get_by_label("Soort vaste last").select_option("huur")
    page.get_by_label("Naam van de schuldeiser").fill("Woonstichting Elan")
    page.get_by_label("IBAN van de schuldeiser").fill("NL18 RABO 0123 4598 77")  # one digit wrong
    page.get_by_label("Bedrag per maand in euro").fill("650,00")
    page.get_by_label("Betaaldag").select_option("1")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert page.title().startswith("Fout:")
    assert page.get_by_text("Dit IBAN klopt niet").first.is_visible()
    assert Obligation.objects.count() == 0
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-ontzorgen-iban-error.png", full_page=True)
    page.get_by_label("IBAN van de schuldeiser").fill("NL18 RABO 0123 4598 76")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_text("De vaste last is vastgelegd.").is_visible()
    assert page.get_by_role("cell", name="€ 650,00").is_visible()
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-ontzorgen-file.png", full_page=True)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Betaalruns").click()
    page.wait_for_load_state()
    assert heading(page) == "Betaalruns"
    assert_accessible(page)
    page.get_by_label("Maand").fill(start.strftime("%Y-%m"))
    page.get_by_role("button", name="Betaalrun maken").click()
    page.wait_for_load_state()
    assert page.get_by_text("U heeft deze betaalrun gemaakt. Een collega").is_visible()
    assert page.get_by_role("button", name="Betaalrun goedkeuren").count() == 0
    assert_accessible(page)
    run = PaymentRun.objects.get()
    run_url = page.url

    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    second = context.new_page()
    try:
        log_in(second, "tamara")
        second.goto(run_url)
        assert second.get_by_role("cell", name="Woonstichting Elan").is_visible()
        second.get_by_role("button", name="Betaalrun goedkeuren").click()
        second.wait_for_load_state()
        assert second.get_by_text("De betaalrun is goedgekeurd.").is_visible()
        assert_accessible(second)
        second.screenshot(path="/tmp/e2e-ontzorgen-run-approved.png", full_page=True)
    finally:
        context.close()

    page.goto(run_url)
    with page.expect_download() as info:
        page.get_by_role("link", name="SEPA-bestand downloaden").click()
    target = tmp_path / "sepa.xml"
    info.value.save_as(target)
    content = target.read_bytes()
    assert content == bytes(PaymentFile.objects.get(run=run).content)
    assert sepa.schema().validate(etree.fromstring(content))
    assert b"NL18RABO0123459876" in content
    assert b"NL18RABO0123459877" not in content
