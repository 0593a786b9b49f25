"""Browser tests: Playwright for Python driving Debian's chromium (a test tool's own browser download cannot
work here), against pytest-django's live server, with an axe accessibility audit on every page visited."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Browser, Page, sync_playwright

from .plugin import register_async_unsafe_plugin

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "test-Password-123!"  # the password tests/conftest.py's `staff` fixture gives every persona


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def pytest_configure(config: pytest.Config) -> None:
    register_async_unsafe_plugin(config)


@pytest.fixture(scope="module")
def _allow_async_unsafe() -> Iterator[None]:
    """Allows Django's ORM next to Playwright's event loop while this module's browser is open (see
    tests/e2e/plugin.py, which also covers the database flush after each test); restored afterwards."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(_allow_async_unsafe: None) -> Iterator[Browser]:
    """One chromium per test module (not per session: Playwright's event loop must be gone before other modules'
    database tests run)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def small_page(browser: Browser) -> Iterator[Page]:
    """A phone-sized page (320 px wide), for the reflow criterion of WCAG 2.1 (1.4.10)."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


_axe = Axe()


def assert_accessible(page: Page) -> None:
    """axe-core on the current page: zero violations, with a readable report when there are some."""
    results = _axe.run(page)
    violations = results.response["violations"]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in violations
    )
    assert violations == [], f"axe violations on {page.url}:\n{report}"


@pytest.fixture
def log_in(live_server: Any, staff: Any, _reference_data: None) -> Callable[[Page, str], None]:
    def do(page: Page, username: str) -> None:
        page.goto(live_server.url + reverse("accounts:login"))
        assert page.get_by_role("heading", level=1).inner_text() == "Inloggen"
        assert_accessible(page)
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
        assert page.url == live_server.url + reverse("home"), f"login as {username} did not reach the start page"

    return do


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: Any) -> None:
    """Browser tests flush the database after each test; the migration-loaded reference data comes back here."""
    from openinburgering.clients.reference_data import ensure_reference_data

    ensure_reference_data()
