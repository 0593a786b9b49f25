"""A destroyed CBS file in the browser: after the retention job has emptied the demo's delivered files (two years
after their quarter), bram's CBS page shows 'Vernietigd' with the checksum instead of the download link, and the old
download address answers 409 with a Dutch page. axe clean at 1280 and 320 px; screenshots in
/tmp/e2e-cbs-destroyed-*.png."""

from __future__ import annotations

from datetime import date
from typing import Any

from playwright.sync_api import Page

from openinburgering.core.dates import today
from openinburgering.demo.cbs import ensure_cbs_demo
from openinburgering.demo.monitoring_history import ensure_history
from openinburgering.monitoring.cbs.models import CbsDelivery
from openinburgering.monitoring.cbs.services import Quarter
from openinburgering.retention.services import apply_retention

from .conftest import assert_accessible
from .test_journeys import LogIn, assert_reflows, heading


def test_bram_sees_a_destroyed_cbs_file_and_cannot_download_it(
    page: Page, small_page: Page, log_in: LogIn, live_server: Any, staff: Any
) -> None:
    ensure_history(today=today())
    assert ensure_cbs_demo(today=today()) == 2
    quarter = Quarter.last_completed(today()).previous()
    delivery = CbsDelivery.objects.get(year=quarter.year, quarter=quarter.quarter)
    report = apply_retention(as_of=date(quarter.year + 3, 1, 1), dry_run=False)
    assert delivery.pk in report.cbs_files["GM0392"]

    log_in(page, "bram")
    page.goto(f"{live_server.url}/monitoring/cbs/?kwartaal={quarter.label}")
    table = page.get_by_test_id("cbs-deliveries")
    assert "Vernietigd: de bewaartermijn van twee jaar na het kwartaal is voorbij." in table.inner_text()
    assert delivery.sha256 in table.inner_text()
    assert table.get_by_role("link", name=f"Download XML {quarter.label} versie 1").count() == 0
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-cbs-destroyed-1280.png", full_page=True)

    response = page.goto(f"{live_server.url}/monitoring/cbs/{delivery.pk}/download/")
    assert response is not None
    assert response.status == 409
    assert heading(page) == "Dit CBS-bestand is vernietigd"
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-cbs-destroyed-409.png", full_page=True)
    page.get_by_role("link", name="Terug naar de CBS-levering").click()
    assert heading(page) == "Kwartaalbestand voor het CBS"

    log_in(small_page, "bram")
    small_page.goto(f"{live_server.url}/monitoring/cbs/?kwartaal={quarter.label}")
    assert_reflows(small_page)
    assert_accessible(small_page)
    small_page.screenshot(path="/tmp/e2e-cbs-destroyed-320.png", full_page=True)
