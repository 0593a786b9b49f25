"""Browser test for issue #6 item 4 on the worklist: the klantregisseur sees the attendance signal on "Mijn
caseload", filters on it and follows it to the voortgang. axe reports zero violations; the page reflows at 320 px."""

# ruff: noqa: F811 -- the fixtures imported below by name are the parameters of these tests

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.progress.conftest import (  # noqa: F401 -- fixtures: placed enrolments and their weekly reports
    anouk_provider,
    enrol,
    hours,
    regional_contract,
    report,
)

from .conftest import assert_accessible
from .test_journeys import LogIn, assert_reflows, heading, url

SCREENSHOT = "/tmp/e2e-caseload-signal.png"


def test_klantregisseur_sees_filters_and_follows_the_attendance_signal(
    page: Page, small_page: Page, log_in: LogIn, live_server: Any, make_file: Any, hours: Any
) -> None:
    low = make_file(assigned_to="kim", person={"given_names": "Amal", "surname": "Haddad"})
    fine = make_file(assigned_to="kim", person={"given_names": "Nour", "surname": "Saleh"})
    hours(low, dict.fromkeys((1, 2, 3, 4), ("8", "5")))  # 62.5 %
    hours(fine, dict.fromkeys((1, 2, 3, 4), ("8", "8")))

    log_in(page, "kim")
    page.goto(url(live_server, "clients:caseload"))
    assert heading(page) == "Mijn caseload"
    table = page.get_by_role("table", name="Mijn open dossiers")
    assert table.get_by_role("columnheader", name="Aanwezigheid").is_visible()
    badge = table.get_by_role("link", name="Lage aanwezigheid: 62 % (laatste 4 weken, drempel 80 %; naar de voortgang)")
    assert badge.is_visible()
    assert_accessible(page)
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.get_by_label("Signaal").select_option(label="Lage aanwezigheid")
    page.get_by_role("button", name="Filter toepassen").click()
    page.wait_for_load_state()
    # No count in the heading since #18 item 2 (one row more instead of a COUNT); the rows say it is one file.
    assert page.get_by_role("heading", level=2, name="Dossiers (gefilterd)").is_visible()
    assert table.get_by_role("rowheader").all_inner_texts() == ["Amal Haddad"]
    assert_accessible(page)

    badge.click()
    page.wait_for_load_state()
    assert page.url == url(live_server, "progress:index", file_id=low.pk)

    log_in(small_page, "kim")
    small_page.goto(url(live_server, "clients:caseload") + "?signal=low_attendance")
    assert_reflows(small_page)
    assert_accessible(small_page)
