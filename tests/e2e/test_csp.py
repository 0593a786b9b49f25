"""The Content-Security-Policy breaks nothing (#12 item 9): the main pages of a klantregisseur load in chromium
without a single CSP violation or console error (htmx, the intake's autosave script and the stylesheets all come
from static files). Every other browser test would also fail on a page that no longer works."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import ConsoleMessage, Page

from openinburgering.intakes.services import start_intake

from .conftest import assert_accessible
from .test_journeys import LogIn, heading, url

# Collects CSP violations as the page reports them (an init script runs through the DevTools protocol, not as an
# inline script, so the policy does not block it).
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_the_main_pages_load_without_csp_violations(page: Page, log_in: LogIn, live_server: Any, make_file: Any,
                                                    actor: Any) -> None:  # fmt: skip
    client_file = make_file(assigned_to="kim", person={"given_names": "Amal", "surname": "Haddad"})
    intake = start_intake(actor=actor("kim"), client_file=client_file, person_id=client_file.person_id)
    errors: list[str] = []
    page.on("console", lambda message: _keep_errors(message, errors))
    page.add_init_script(LISTEN)

    log_in(page, "kim")
    pages = [
        ("home", {}, "Welkom, Kim"),
        ("clients:caseload", {}, "Mijn caseload"),
        ("clients:search", {}, "Persoon zoeken"),
        ("clients:detail", {"file_id": client_file.pk}, "Amal Haddad"),
        ("intakes:intake-detail", {"file_id": client_file.pk, "intake_id": intake.pk}, None),
    ]
    for name, kwargs, title in pages:
        response = page.goto(url(live_server, name, **kwargs))
        assert response is not None
        assert response.status == 200, name
        assert "script-src 'self'" in response.headers["content-security-policy"]
        if title:
            assert title in heading(page), name
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__cspViolations") == [], name
        assert page.evaluate("typeof window.htmx") == "object", name  # htmx loaded and ran
    assert errors == []
    assert_accessible(page)


def _keep_errors(message: ConsoleMessage, errors: list[str]) -> None:
    # The browser asks for /favicon.ico on its own; the app has none (a 404 that no page causes).
    if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
        errors.append(f"{message.text} {message.location.get('url', '')}")
