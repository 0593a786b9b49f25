"""bram's council report in the browser (#16 item 6 and 'Done when'): from the gemeente dashboard to
Raadsrapporten, a report for last year on the simulated two-year history, a text changed, the PDF made by the real
job and downloaded; axe clean on both pages at 1280 px, the report page reflows at 320 px. The downloaded PDF is
kept as /tmp/e2e-council-report.pdf (its pages were turned into images and looked at; see the report of #16)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from openinburgering.core.dates import today
from openinburgering.core.jobs import run_queued_jobs
from openinburgering.demo.monitoring_history import ensure_history
from openinburgering.monitoring.council_models import CouncilReport

from .conftest import assert_accessible
from .test_journeys import LogIn, assert_reflows, heading


def test_bram_writes_and_downloads_the_council_report(
    page: Page, small_page: Page, log_in: LogIn, live_server: Any, staff: Any
) -> None:
    assert ensure_history(today=today()) > 100
    last_year = today().year - 1
    log_in(page, "bram")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Cijfers", exact=True).click()
    page.get_by_role("link", name="Raadsrapporten").click()
    assert heading(page) == "Raadsrapporten"
    expect(page.get_by_text("Er zijn nog geen raadsrapporten.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Titel").fill(f"Stand van zaken inburgering {last_year}")
    page.get_by_label("Eerste maand").fill(f"{last_year}-01")
    page.get_by_label("Laatste maand").fill(f"{last_year}-12")
    page.get_by_role("button", name="Begin het rapport").click()
    page.wait_for_load_state()
    assert heading(page) == f"Stand van zaken inburgering {last_year}"
    expect(page.get_by_text("Het rapport is begonnen.")).to_be_visible()
    for title in ("1. Instroom", "2. Brede intake en PIP op tijd", "3. Leerroutes", "5. Voldaan en daarna"):
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    assert page.locator("svg.app-chart").count() >= 4
    assert page.locator('td[data-suppressed="ja"]').count() > 0
    text = page.get_by_label("Tekst bij 'Instroom'")
    assert text.input_value().startswith("In deze periode kregen ")
    text.fill("De instroom was dit jaar hoger dan vorig jaar. Bijna iedereen kreeg op tijd een brede intake.")
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-council-report-concept-1280.png", full_page=True)

    page.get_by_role("button", name="Bewaar en maak de PDF").click()
    page.wait_for_load_state()
    expect(page.get_by_text("De PDF wordt gemaakt.").first).to_be_visible()
    run_queued_jobs()  # the worker's batch mode, as production runs it
    page.reload()
    expect(page.get_by_role("link", name="Download het rapport (PDF)")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download het rapport (PDF)").click()
    content = Path(download.value.path()).read_bytes()
    report = CouncilReport.objects.get()
    assert content == bytes(report.content)
    Path("/tmp/e2e-council-report.pdf").write_bytes(content)
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "De instroom was dit jaar hoger dan vorig jaar." in pdf_text
    assert f"jan {last_year} tot en met dec {last_year}" in pdf_text
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-council-report-ready-1280.png", full_page=True)

    log_in(small_page, "bram")
    small_page.goto(page.url)
    assert_reflows(small_page)
    assert_accessible(small_page)
    small_page.screenshot(path="/tmp/e2e-council-report-320.png", full_page=True)
