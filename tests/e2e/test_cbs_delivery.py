"""The quarterly CBS file in the browser (#16 item 5 and 'Done when'): bram follows the deadline step on his start
page to the CBS page and sees one client missing data (dossier number, no name); tamara follows the link in her
list to the file and fills in the doelgroep; bram makes the file (the job runs), it is validated, he downloads it
and the step leaves the worklist. axe clean at 1280 px and at 320 px; screenshots in /tmp/e2e-cbs-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page

from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.jobs import run_queued_jobs
from openinburgering.demo.cbs import MISSING_SURNAME, ensure_cbs_demo
from openinburgering.demo.monitoring_history import ensure_history
from openinburgering.monitoring.cbs import document
from openinburgering.monitoring.cbs.models import CbsDelivery
from openinburgering.monitoring.cbs.services import Quarter

from .conftest import assert_accessible
from .test_journeys import LogIn, assert_reflows, heading


def test_bram_delivers_the_quarter_after_tamara_fixed_the_missing_client(
    page: Page, small_page: Page, browser: Browser, log_in: LogIn, live_server: Any, staff: Any
) -> None:
    ensure_history(today=today())
    assert ensure_cbs_demo(today=today()) == 2  # the two quarters before the open one, delivered
    quarter = Quarter.last_completed(today())
    missing = ClientFile.objects.get(person__surname=MISSING_SURNAME)

    log_in(page, "bram")
    step = page.locator('[data-worklist="cbs_delivery"]')
    assert step.inner_text().startswith("1\nCBS-bestand")
    assert quarter.title in step.inner_text()
    step.get_by_role("link").click()
    assert heading(page) == "Kwartaalbestand voor het CBS"
    row = page.get_by_test_id("cbs-incomplete").locator(f'tr[data-file="{missing.pk}"]')
    assert "Doelgroep ontbreekt" in row.inner_text()
    assert MISSING_SURNAME not in page.content()  # the beleidsmedewerker sees no names
    assert page.get_by_test_id("cbs-deliveries").locator("tbody tr").count() == 2
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-cbs-bram-1280.png", full_page=True)

    tamara = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    fixer = tamara.new_page()
    log_in(fixer, "tamara")
    fixer.goto(f"{live_server.url}/monitoring/cbs/?kwartaal={quarter.label}")
    fixer.get_by_role("link", name=f"Gegevens van het dossier aanvullen (dossier {missing.pk})").click()
    fixer.get_by_label("Doelgroep").select_option("asielstatushouder")
    fixer.get_by_role("button", name="Opslaan").click()
    fixer.wait_for_load_state()
    fixer.goto(f"{live_server.url}/monitoring/cbs/?kwartaal={quarter.label}")
    assert fixer.locator(f'tr[data-file="{missing.pk}"]').count() == 0
    tamara.close()

    page.reload()
    assert page.locator(f'tr[data-file="{missing.pk}"]').count() == 0
    page.get_by_role("button", name="Bestand maken en controleren").click()
    page.wait_for_load_state()
    assert page.get_by_text("wordt gemaakt en gecontroleerd").first.is_visible()
    run_queued_jobs()  # the worker's batch mode: the same code path as the running worker
    page.reload()
    delivery = CbsDelivery.objects.get(year=quarter.year, quarter=quarter.quarter)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download XML {quarter.label} versie 1").click()
    assert download.value.suggested_filename == f"cbs-swi-GM0392-{quarter.label}-v1.xml"
    content = Path(download.value.path()).read_bytes()
    document.validate(content)
    assert content == bytes(delivery.content)
    assert missing.person.bsn.encode() in content  # fixed first, so he is in the file
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-cbs-made-1280.png", full_page=True)

    page.goto(live_server.url + "/")
    assert page.locator('[data-worklist="cbs_delivery"]').count() == 0

    log_in(small_page, "bram")
    small_page.goto(f"{live_server.url}/monitoring/cbs/?kwartaal={quarter.label}")
    assert_reflows(small_page)
    assert_accessible(small_page)
    small_page.screenshot(path="/tmp/e2e-cbs-bram-320.png", full_page=True)
