"""Browser check of the signal pages (Playwright + Debian's chromium): upload a DUO file, read the results,
open the inbox, a message, the open file signals and the quarantine; axe reports no violations on any of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, sync_playwright

from openinburgering.accounts.actor import SESSION_MEMBERSHIP_KEY
from openinburgering.accounts.models import Membership
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, assert_accessible

from .builders import new_bsn, plicht_event

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: Any) -> None:
    from openinburgering.clients.reference_data import ensure_reference_data

    ensure_reference_data()


@pytest.fixture
def browser() -> Any:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def signed_in(browser: Browser, staff: Any, live_server: Any) -> Any:
    """A browser page logged in as a persona (session made by Django's test client, no login form)."""
    contexts = []

    def make(username: str, width: int = 1280) -> Page:
        client = Client()
        user = staff[username]
        client.force_login(user)
        session = client.session
        session[SESSION_MEMBERSHIP_KEY] = Membership.objects.filter(user=user).first().pk
        session.save()
        context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900})
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key,
                              "url": live_server.url}])  # fmt: skip
        contexts.append(context)
        new_page = context.new_page()
        new_page.set_default_timeout(10_000)
        return new_page

    yield make
    for context in contexts:
        context.close()


def test_teamleider_uploads_a_duo_file_and_walks_the_signal_pages(
    signed_in: Any, live_server: Any, tmp_path: Path
) -> None:
    path = tmp_path / "duo.json"
    path.write_text(json.dumps([
        plicht_event(bericht_id="b1", bsn=new_bsn()),
        plicht_event(bericht_id="b2", bsn=new_bsn(), gemeentecode="0473"),
        plicht_event(bericht_id="b3", bsn=new_bsn(), birth="2012-01-01"),
        {"berichtId": "b4", "gebeurtenisId": "SS999"},
    ]), encoding="utf-8")  # fmt: skip
    page = signed_in("tamara")
    page.goto(f"{live_server.url}/signalen/inlezen/")
    assert_accessible(page)
    page.get_by_label("Bestand (JSON)").set_input_files(str(path))
    page.get_by_role("button", name="Inlezen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Klaar: 4 berichten verwerkt").is_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/signalen/")
    assert page.get_by_role("table").is_visible()
    assert_accessible(page)
    page.get_by_role("row").nth(1).get_by_role("link").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bericht DUO")
    assert_accessible(page)

    page.goto(f"{live_server.url}/signalen/dossiersignalen/")
    assert page.get_by_role("cell", name="Inburgeringsplicht wijkt af van DUO", exact=True).is_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/signalen/quarantaine/")
    assert_accessible(page)
    page.get_by_role("button", name="Wissen").first.click()
    page.wait_for_load_state()
    assert page.get_by_text("Er staan geen berichten in quarantaine.").is_visible()
    assert_accessible(page)


def test_signal_inbox_reflows_at_320_px(signed_in: Any, live_server: Any) -> None:
    small_page = signed_in("kim", width=320)
    small_page.goto(f"{live_server.url}/signalen/")
    width = small_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
    assert_accessible(small_page)
