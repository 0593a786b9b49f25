"""Browser check of the client file page for issue #11 items 4-6, on a demo file in traject: the summary agrees
with itself, the timeline shows who and when, the attendance signal links to the voortgang; axe reports zero
violations at 1280 px, and the page reflows at 320 px."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from openinburgering.casefile.summary import summary_of
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.demo.loader import load_demo
from openinburgering.progress import selectors as progress_selectors

from .conftest import assert_accessible
from .test_journeys import LogIn, assert_reflows, heading, url

SCREENSHOT = "/tmp/e2e-file-page-{width}.png"


def test_a_demo_file_in_traject_reads_consistently_with_its_timeline_and_signal(
    page: Page, small_page: Page, log_in: LogIn, live_server: Any, staff: Any
) -> None:
    load_demo(today=today())
    files = list(ClientFile.objects.filter(assigned_to__username="kim", status="in_traject").select_related("person"))
    gemeente_id = files[0].gemeente_id
    rates = progress_selectors.attendance_rates(
        gemeente_id=gemeente_id, file_ids=[f.pk for f in files], as_of=today(),
        threshold=progress_selectors.threshold_percent(gemeente_id),
    )  # fmt: skip
    client_file = next(f for f in files if rates.get(f.pk) is not None and rates[f.pk].is_low)
    summary = summary_of(client_file)

    log_in(page, "kim")
    page.goto(url(live_server, "clients:detail", file_id=client_file.pk))
    assert heading(page) == client_file.person.full_name
    facts = page.locator("dl.app-file-facts")
    assert facts.locator("dt:has-text('Stand van zaken') + dd").inner_text() == summary.stage_label
    assert summary.stage_label.startswith("PIP vastgesteld op ")
    intake = page.locator("#intake")
    assert intake.locator("dt:has-text('Volgende stap') + dd").inner_text() == "Geen: het PIP is vastgesteld"
    assert "9 van 9 klaar" in intake.inner_text()
    badge = facts.get_by_role("link", name=f"Lage aanwezigheid: {rates[client_file.pk].percent} %")
    assert badge.is_visible()
    timeline = page.get_by_role("list", name="Tijdlijn, nieuwste eerst")
    titles = timeline.locator("strong").all_inner_texts()
    assert "PIP versie 1: goedgekeurd en vastgesteld" in titles
    assert "Oproep 1: verschenen" in titles or page.get_by_role("link", name="Toon de hele tijdlijn").is_visible()
    assert_accessible(page)
    page.screenshot(path=SCREENSHOT.format(width=1280), full_page=True)

    page.get_by_role("link", name="Toon de hele tijdlijn").click()
    page.wait_for_load_state()
    everything = page.get_by_role("list", name="Tijdlijn, nieuwste eerst").locator("strong").all_inner_texts()
    assert "Oproep 1: verschenen" in everything
    assert "Brede intake afgerond: " + client_file.person.full_name in everything
    assert_accessible(page)

    badge = page.locator("dl.app-file-facts").get_by_role("link", name="Lage aanwezigheid")
    badge.click()
    page.wait_for_load_state()
    assert page.url == url(live_server, "progress:index", file_id=client_file.pk)

    log_in(small_page, "kim")
    small_page.goto(url(live_server, "clients:detail", file_id=client_file.pk))
    assert_reflows(small_page)
    assert_accessible(small_page)
    small_page.screenshot(path=SCREENSHOT.format(width=320), full_page=True)
