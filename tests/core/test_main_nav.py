"""The main menu is rendered once per role and page and then served from memory (#18, core.templatetags.main_nav).
What a user sees must be exactly what rendering partials/nav.html for that request gives: per role, on a menu
page (with aria-current) and on any other page."""

from __future__ import annotations

import re

import pytest

from openinburgering.core.templatetags import main_nav

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="utrecht-nav-bar app-nav".*?</nav>', re.S)
NAV_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAGE_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


def nav_of(content: bytes) -> str:
    """The menu of a page, with its logout form's CSRF token checked against the page's own and then left out
    (a token is masked anew on every request)."""
    page = content.decode()
    match = NAV.search(page)
    assert match is not None
    nav = match.group(0)
    page_token = PAGE_TOKEN.search(page)
    assert page_token is not None
    assert NAV_TOKEN.findall(nav) == [page_token.group(1)]  # this request's token, never one from memory
    return NAV_TOKEN.sub('name="csrfmiddlewaretoken" value="…"', nav)


@pytest.mark.parametrize("username", ["kim", "tamara", "fenna", "carla", "frank"])
def test_the_menu_from_memory_is_the_menu_rendered_for_that_request(login, make_file, username):
    client_file = make_file(assigned_to="kim")
    browser = login(username)
    paths = ["/", "/dossiers/caseload/", "/dossiers/team/", f"/dossiers/{client_file.pk}/", "/dossiers/"]
    main_nav.clear()
    remembered = [nav_of(browser.get(path).content) for path in paths + paths]  # the second round from memory
    rendered = []
    for path in paths:
        main_nav.clear()
        rendered.append(nav_of(browser.get(path).content))

    assert remembered == rendered + rendered
    assert len(set(rendered)) > 1  # the menus differ by page (aria-current), so the comparison means something


def test_the_current_menu_link_is_marked_and_another_page_marks_none(login, make_file):
    client_file = make_file(assigned_to="kim")
    browser = login("kim")
    main_nav.clear()
    on_caseload = nav_of(browser.get("/dossiers/caseload/").content)
    on_file = nav_of(browser.get(f"/dossiers/{client_file.pk}/").content)

    current = re.findall(r'href="([^"]+)"\s+aria-current="page"', on_caseload)
    assert current == ["/dossiers/caseload/"]
    assert "aria-current" not in on_file
