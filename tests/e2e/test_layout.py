"""Layout (#11 item 12): at 1280 px the worklists use the full width, so the last column of the caseload
("Aangemeld op") and of the team caseload is inside the viewport and not clipped by its scroll box; at 320 px the
menu is one "Menu" button (details/summary, no JavaScript needed) and opens to show every item. axe is clean."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page

from .conftest import assert_accessible
from .test_journeys import LogIn, url

LONG_NAMES = [
    ("Mohammed Abdulrahman", "Al-Hashimi van den Berg-Boukhari"),
    ("Oleksandra Kateryna", "Shevchenko-Kovalenko"),
    ("Tesfamariam Gebremedhin", "Weldemichael Haileselassie"),
]


def _box(locator: Locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return box


def _assert_last_column_is_visible(page: Page, table_name: str, last: str) -> None:
    table = page.get_by_role("table", name=table_name)
    headers = table.get_by_role("columnheader")
    assert headers.last.inner_text().removesuffix("⇅").strip() == last
    cell = _box(headers.last)
    region = _box(page.locator(".app-table-scroll").filter(has=table))
    viewport = page.viewport_size
    assert viewport is not None
    assert cell["x"] + cell["width"] <= viewport["width"], (cell, viewport)
    assert cell["x"] + cell["width"] <= region["x"] + region["width"] + 0.5, (cell, region)
    # Nothing to scroll sideways: the table fits its box.
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")


def test_worklists_show_their_last_column_at_1280_px(
    page: Page, log_in: LogIn, live_server: Any, make_file: Any
) -> None:
    for given, surname in LONG_NAMES:
        make_file(assigned_to="tamara", person={"given_names": given, "surname": surname})
    log_in(page, "tamara")
    page.goto(url(live_server, "clients:caseload"))
    _assert_last_column_is_visible(page, "Mijn open dossiers", "Aangemeld op")
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-layout-caseload-1280.png", full_page=True)
    page.goto(url(live_server, "clients:team-caseload"))
    _assert_last_column_is_visible(page, "Open dossiers", "Aangemeld op")
    aanwezigheid = _box(page.get_by_role("columnheader", name="Aanwezigheid"))
    assert aanwezigheid["x"] + aanwezigheid["width"] <= 1280
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-layout-team-1280.png", full_page=True)


def test_the_menu_is_one_button_on_a_small_screen(small_page: Page, log_in: LogIn, live_server: Any) -> None:
    page = small_page
    log_in(page, "tamara")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    toggle = nav.locator("summary")
    line = _box(toggle)["height"]
    assert toggle.inner_text().strip() == "Menu"
    # Closed, the menu is one line: the button with its margins (2 x 8 px) and the nav's border.
    assert _box(nav)["height"] <= line + 17
    assert not nav.get_by_role("link", name="Teamcaseload").is_visible()  # before: five lines of links
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-layout-menu-320-closed.png", full_page=True)

    toggle.click()
    assert nav.get_by_role("link", name="Teamcaseload").is_visible()
    assert nav.get_by_role("button", name="Uitloggen").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-layout-menu-320-open.png", full_page=True)
    nav.get_by_role("link", name="Teamcaseload").click()
    page.wait_for_load_state()
    assert page.url == url(live_server, "clients:team-caseload")


def test_the_menu_is_a_plain_row_of_links_on_a_wide_screen(page: Page, log_in: LogIn) -> None:
    log_in(page, "tamara")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    assert not nav.locator("summary").is_visible()
    assert nav.get_by_role("link", name="Teamcaseload").is_visible()
    assert nav.get_by_role("button", name="Uitloggen").is_visible()
    assert_accessible(page)
