"""bram's monitoring journey in the browser (#16 'Done when', items 2-4): the gemeente dashboard, the regional
comparison with a suppressed cell (after switching to his regional role) and the KIS page for last year, on the
simulated two-year history; axe clean at 1280 px (and at 320 px as tamara); screenshots in /tmp/e2e-monitoring-*.png."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from openinburgering.core.dates import today
from openinburgering.demo.monitoring_history import ensure_history

from .conftest import assert_accessible
from .test_journeys import LogIn, assert_reflows, heading, url


def test_bram_reads_the_dashboard_the_region_and_the_kis_page(
    page: Page, small_page: Page, log_in: LogIn, live_server: Any, staff: Any
) -> None:
    assert ensure_history(today=today()) > 100
    log_in(page, "bram")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Cijfers", exact=True).click()
    assert heading(page) == "Cijfers van de gemeente"
    for title in ("Kerncijfers", "Instroom per maand", "Tijd van kennisgeving tot brede intake",
                  "Tijd van kennisgeving tot PIP", "Leerroute per doelgroep"):  # fmt: skip
        assert page.get_by_role("heading", name=title, exact=True).is_visible(), title
    assert page.locator("svg.app-chart").count() >= 5
    assert page.get_by_text("Besluit inburgering 2021 art. 5.3").first.is_visible()
    page.get_by_label("Doelgroep (niet verplicht)").select_option("gezinsmigrant")
    page.get_by_role("button", name="Toon cijfers").click()
    page.wait_for_load_state()
    assert "doelgroep=gezinsmigrant" in page.url
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-monitoring-gemeente-1280.png", full_page=True)

    page.get_by_role("link", name="KIS-Monitor: thema's per jaar").click()
    last_year = today().year - 1
    assert heading(page) == f"KIS-Monitor: thema's over {last_year}"
    assert page.get_by_role("cell", name="Brede intake klaar vóór de huisvesting").is_visible()
    assert page.get_by_text("Definitie:").first.is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=f'Download "KIS-Monitor: thema\'s over {last_year}" (CSV)').click()
    assert download.value.suggested_filename == f"kis-monitor-{last_year}.csv"
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-monitoring-kis-1280.png", full_page=True)

    page.get_by_label("Werken voor").select_option(label="Zandvoort — Regiocoördinator (arbeidsmarktregio)")
    page.get_by_role("button", name="Wissel").click()
    page.wait_for_load_state()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Cijfers van de regio").click()
    assert heading(page).startswith("Cijfers van de arbeidsmarktregio")
    page.get_by_role("link", name=str(last_year), exact=True).click()
    page.wait_for_load_state()
    assert page.locator('td[data-suppressed="ja"]', has_text="< 5").count() > 0
    assert page.get_by_role("columnheader", name="Regio totaal").is_visible()
    assert page.get_by_role("columnheader", name="Zandvoort").is_visible()
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-monitoring-regio-1280.png", full_page=True)

    # At 320 px as bram, whose header holds the switcher with the long option "Zandvoort — Regiocoördinator
    # (arbeidsmarktregio)", and as tamara on the team page (visually hidden text in its table cells).
    log_in(small_page, "bram")
    for name in ("monitoring:gemeente", "monitoring:kis"):
        small_page.goto(url(live_server, name))
        assert_reflows(small_page)
        assert_accessible(small_page)
        small_page.screenshot(path=f"/tmp/e2e-monitoring-{name.split(':')[1]}-320.png", full_page=True)
    small_page.context.clear_cookies()
    log_in(small_page, "tamara")
    small_page.goto(url(live_server, "monitoring:team"))
    assert_reflows(small_page)
    assert_accessible(small_page)
    small_page.screenshot(path="/tmp/e2e-monitoring-team-320.png", full_page=True)
