"""The portal header is rendered once per PortalHeader and then served from memory (#18, {% portal_header %} in
mijn/templatetags/mijn.py). What a client sees must be exactly what rendering mijn/_header.html for that request
gives: per page (aria-current), per language, per gemeente setting; with the request's own CSRF token and path; and
never another user's header."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from openinburgering.mijn.models import PortalSettings
from openinburgering.mijn.selectors import settings_cache_key
from openinburgering.mijn.templatetags import mijn as tags

from .conftest import digid_login

pytestmark = pytest.mark.django_db

HEADER = re.compile(r'<a class="mijn-skip".*?</header>', re.S)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAGES = ["/mijn/", "/mijn/plan/", "/mijn/berichten/", "/mijn/documenten/?map=brieven&x=<b>", "/mijn/afspraken/"]


def header_of(response) -> str:
    match = HEADER.search(response.content.decode())
    assert match is not None, response.status_code
    return match.group(0)


def headers(browser: Client, paths: list[str]) -> list[str]:
    return [header_of(browser.get(path)) for path in paths]


def without_tokens(header: str) -> str:
    """A token is masked anew on every request; the rest must be equal."""
    return TOKEN.sub('name="csrfmiddlewaretoken" value="…"', header)


def test_the_header_from_memory_is_the_header_rendered_for_that_request(portal):
    browser, _ = portal()
    tags.clear_headers()
    remembered = [without_tokens(h) for h in headers(browser, PAGES + PAGES)]  # the second round from memory
    rendered = []
    for path in PAGES:
        tags.clear_headers()
        rendered.append(without_tokens(header_of(browser.get(path))))
    assert remembered == rendered + rendered
    assert len(set(rendered)) == len(PAGES)  # aria-current and "next" differ per page: the comparison means something
    assert 'value="/mijn/documenten/?map=brieven&amp;x=%3Cb%3E"' in rendered[3]  # the path, escaped
    assert 'href="/mijn/plan/" aria-current="page"' in rendered[1]


def test_each_request_gets_its_own_csrf_token_and_the_forms_accept_it(portal):
    browser, _ = portal()
    browser.handler.enforce_csrf_checks = True
    first, second = (TOKEN.findall(header_of(browser.get("/mijn/"))) for _ in range(2))
    assert len(first) == len(second) == 2  # the language form and the logout form
    assert first != second  # masked anew on every request, never one from memory
    page = browser.get("/mijn/plan/").content.decode()
    assert "oi-portal-header" not in page
    token = TOKEN.findall(page)[0]
    response = browser.post("/mijn/taal/", {"language": "en", "next": "/mijn/plan/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == "/mijn/plan/"


def test_a_language_and_a_setting_change_show_at_once(portal):
    browser, client_file = portal()
    before = header_of(browser.get("/mijn/"))
    assert 'href="/mijn/berichten/"' in before
    assert '<option value="nl" lang="nl" selected>' in before

    browser.post("/mijn/taal/", {"language": "en", "next": "/mijn/"})
    in_english = header_of(browser.get("/mijn/"))
    assert '<option value="en" lang="en" selected>' in in_english
    tags.clear_headers()
    assert header_of(browser.get("/mijn/")).replace(*TOKEN.findall(in_english)[:1], "") != before

    stored = PortalSettings.objects.filter(gemeente=client_file.gemeente).first() or PortalSettings(
        gemeente=client_file.gemeente
    )
    stored.messages_on = False
    stored.save()
    cache.delete(settings_cache_key(client_file.gemeente_id))
    assert 'href="/mijn/berichten/"' not in header_of(browser.get("/mijn/"))


def test_two_clients_never_share_a_header(portal_file):
    first, second = portal_file(), portal_file()
    a, b = digid_login(first.person.bsn), digid_login(second.person.bsn)
    assert first.gemeente_id == second.gemeente_id  # the same gemeente, settings, language and page
    tags.clear_headers()
    header_of(a.get("/mijn/"))
    header_of(b.get("/mijn/"))
    assert tags._kept_header.cache_info().misses == 2  # b's header is rendered for b, not taken from a's
    header_of(a.get("/mijn/"))
    assert tags._kept_header.cache_info().hits == 1


def test_the_login_page_has_the_header_without_the_menu():
    response = Client().get("/mijn/inloggen/")
    header = header_of(response)
    assert "mijn-nav" not in header
    assert len(TOKEN.findall(header)) == 1
