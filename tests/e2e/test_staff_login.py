"""Staff login in chromium (#12 items 2-4): two-factor enrolment and login with an app code, single sign-on against
the loopback OpenID provider, and the idle warning with 'Blijf ingelogd' — each page without CSP violations and
with an axe audit."""

from __future__ import annotations

import time
from base64 import b32decode
from collections.abc import Iterator
from typing import Any

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Browser, Page

from openinburgering.accounts.models import Gemeente
from openinburgering.accounts.sso import configure_provider
from openinburgering.demo.personas import HAARLEM
from tests.accounts.oidc_provider import CLIENT_ID, CLIENT_SECRET, LoopbackProvider, running_provider

from .conftest import PASSWORD, assert_accessible
from .test_csp import LISTEN


def app_code(secret: str, steps_ahead: int = 0) -> str:
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def password_step(page: Page, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def no_csp_violations(page: Page) -> None:
    assert page.evaluate("window.__cspViolations") == []


def test_two_factor_enrolment_then_login_with_the_app(page: Page, live_server: Any, staff: Any) -> None:
    Gemeente.objects.filter(code=HAARLEM).update(requires_two_factor=True)
    page.add_init_script(LISTEN)
    password_step(page, live_server, "kim")
    assert page.url == f"{live_server.url}/account/inloggen/app-instellen/"
    assert page.get_by_role("heading", level=1).inner_text() == "App voor inlogcodes instellen"
    assert page.get_by_role("img", name="QR-code om de app in te stellen").is_visible()
    assert_accessible(page)
    no_csp_violations(page)
    secret = page.locator("#otp-secret").inner_text()
    page.get_by_role("textbox", name="Code").fill(app_code(secret))
    page.get_by_role("button", name="App instellen en inloggen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Uw herstelcodes"
    assert page.locator(".app-recovery-codes li").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name="Ik heb de codes bewaard. Ga verder").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/"

    page.get_by_role("button", name="Uitloggen", exact=True).click()
    page.wait_for_load_state()
    password_step(page, live_server, "kim")
    assert page.url == f"{live_server.url}/account/inloggen/code/"
    assert_accessible(page)
    page.get_by_role("textbox", name="Code").fill(
        app_code(secret, steps_ahead=1)
    )  # the enrolment's code cannot be used again
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/"
    no_csp_violations(page)


@pytest.fixture
def op(monkeypatch: pytest.MonkeyPatch, live_server: Any, staff: Any) -> Iterator[LoopbackProvider]:
    with running_provider() as provider:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", provider.ca_file)  # the live server's calls to the provider
        provider.allow_redirect_uri(f"{live_server.url}/account/inloggen/sso-terug/")
        configure_provider(
            gemeente=Gemeente.objects.get(code=HAARLEM),
            discovery_url=provider.discovery_url,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            role_mapping={"inburgering-regie": "klantregisseur"},
        )
        yield provider


def test_single_sign_on_with_the_gemeentes_provider(browser: Browser, live_server: Any, op: LoopbackProvider) -> None:
    op.log_in_as("kim-at-idp", {"sub": "idp-0001", "email": "kim@example.org", "roles": ["inburgering-regie"]})
    context = browser.new_context(locale="nl-NL", ignore_https_errors=True)  # the provider's certificate is the run's
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.add_init_script(LISTEN)
    page.goto(f"{live_server.url}/account/inloggen/")
    assert_accessible(page)
    page.get_by_role("link", name="Inloggen met uw account van Haarlem").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "Welkom, Kim" in page.get_by_role("heading", level=1).inner_text()
    no_csp_violations(page)
    assert "/token" in op.requests
    context.close()


def test_the_idle_warning_offers_to_stay_logged_in(page: Page, live_server: Any, log_in: Any, settings: Any) -> None:
    settings.SESSION_IDLE_WARNING_MINUTES = 20  # the warning time from the first second on
    page.add_init_script(LISTEN)
    log_in(page, "kim")
    warning = page.locator("#session-warning")
    warning.wait_for()
    assert warning.get_by_role("paragraph").inner_text() == (
        "U heeft een tijd niets gedaan. Over 20 minuten wordt u uitgelogd."
    )
    assert_accessible(page)
    with page.expect_response(lambda r: r.url.endswith("/account/sessie/") and r.request.method == "POST") as answer:
        warning.get_by_role("button", name="Blijf ingelogd").click()
    assert answer.value.status == 200
    assert answer.value.json() == {"seconds_left": 1200}
    no_csp_violations(page)
