"""Browser protections on every response of the app (#12 item 9): a Content-Security-Policy without
'unsafe-inline' or 'unsafe-eval', a Permissions-Policy, and `Cache-Control: no-store` so that a page with personal
data does not come back from the browser's cache after logging out on a shared computer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.api.conftest import api, token  # noqa: F401 -- the API client fixtures

pytestmark = pytest.mark.django_db

CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
}
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)


def _policy(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";"))
    return {name: sources for name, *sources in directives}


def _assert_protected(response) -> None:
    assert _policy(response["Content-Security-Policy"]) == CSP
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "no-store" in [part.strip() for part in response["Cache-Control"].split(",")]


def test_the_login_page_is_protected():
    _assert_protected(Client().get(reverse("accounts:login")))


def test_a_client_file_page_is_protected_and_not_stored(login, make_file):
    client_file = make_file()
    response = login("kim").get(reverse("clients:detail", args=[client_file.pk]))
    assert response.status_code == 200
    _assert_protected(response)


def test_an_api_answer_is_protected_and_not_stored(api, make_file):  # noqa: F811 -- the imported fixture
    client_file = make_file()
    response = api("kim").get(f"/api/v1/clients/{client_file.pk}")
    assert response.status_code == 200
    _assert_protected(response)


def test_an_error_page_is_protected():
    _assert_protected(Client().get("/api/v1/nothing"))


def test_a_letter_keeps_its_own_private_no_store():
    """A view that sets its own Cache-Control keeps it (the letter PDF is already private, no-store)."""
    from django.http import HttpResponse

    from openinburgering.core.middleware import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse()
        response["Cache-Control"] = "private, no-store"
        return response

    response = SecurityHeadersMiddleware(view)(Client().request().wsgi_request)
    assert response["Cache-Control"] == "private, no-store"


TEMPLATES = sorted(Path(settings.SRC_DIR, "templates").rglob("*.html"))
# letters and *_pdf.html templates are rendered to PDF by WeasyPrint, never served as web pages
WEB_TEMPLATES = [path for path in TEMPLATES if "letters" not in path.parts and not path.name.endswith("_pdf.html")]


@pytest.mark.parametrize("path", WEB_TEMPLATES, ids=[str(p.relative_to(settings.SRC_DIR)) for p in WEB_TEMPLATES])
def test_no_template_has_inline_script_or_style(path):
    """The policy allows no inline code: scripts come from static files, styles from stylesheets."""
    html = path.read_text()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"\son[a-z]+\s*=", html) == []
    assert re.findall(r"\sstyle\s*=", html) == []
    assert re.findall(r"<style", html) == []
    assert "javascript:" not in html
