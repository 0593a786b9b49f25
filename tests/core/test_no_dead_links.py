"""No dead links (#11 item 13): a page never offers an action the role cannot take.

Generated over the demo: for every demo persona in every gemeente it works for, open the start page, every page
in its menu and a demo file page (when the role may open files), collect every internal link and form action on
those pages and request it with GET. None may answer 404 or 403. Logout and downloads (CSV, PDF) are skipped:
logging out ends the walk and a download is not a page with an action."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from openinburgering.accounts.actor import SESSION_MEMBERSHIP_KEY
from openinburgering.accounts.models import Membership
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.demo.loader import load_demo
from openinburgering.demo.netwerk import PARTNERS
from openinburgering.demo.personas import STAFF

pytestmark = pytest.mark.django_db

SKIPPED_SUFFIXES = (".csv", ".pdf")


class _Targets(HTMLParser):
    """Collects the href of every <a> and the action of every <form>, and the menu's links apart."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.menu: list[str] = []
        self._in_menu = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "nav" and found.get("aria-label") == "Hoofdmenu":
            self._in_menu += 1
        if tag == "a" and found.get("href") is not None and "download" not in found:
            self.targets.append(found["href"] or "")
            if self._in_menu:
                self.menu.append(found["href"] or "")
        if tag == "form":
            self.targets.append(found.get("action") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._in_menu:
            self._in_menu -= 1


def _parse(html: str) -> _Targets:
    parser = _Targets()
    parser.feed(html)
    return parser


def _internal(page_url: str, target: str) -> str | None:
    """The path (with query) a link leads to inside the app, or None when it is not a page to check."""
    if target.startswith(("mailto:", "tel:", "#")):
        return None
    url = urlsplit(urljoin("http://testserver" + page_url, target))
    if url.netloc != "testserver":
        return None
    if url.path == reverse("accounts:logout") or url.path.endswith(SKIPPED_SUFFIXES):
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def _demo_file(gemeente_id: int) -> ClientFile:
    """A demo file of the gemeente with as much on it as there is: a PIP and a placement."""
    return (
        ClientFile.objects.filter(gemeente_id=gemeente_id, pip_dagtekening_on__isnull=False, enrolments__isnull=False)
        .order_by("pk")
        .first()
        or ClientFile.objects.filter(gemeente_id=gemeente_id).order_by("pk").first()
    )


def _walk(client: Client, start_pages: list[str]) -> list[str]:
    """GETs each start page and every internal target on it; returns the failures as readable lines."""
    failures: list[str] = []
    checked: set[str] = set()
    for page in start_pages:
        response = client.get(page)
        if response.status_code != 200:
            failures.append(f"{page} answers {response.status_code}")
            continue
        for target in _parse(response.content.decode()).targets:
            path = _internal(page, target)
            if path is None or path in checked:
                continue
            checked.add(path)
            status = client.get(path).status_code
            if status in (403, 404):
                failures.append(f"{page} links to {path}, which answers {status}")
    return failures


def _menu(client: Client) -> list[str]:
    html = client.get(reverse("home")).content.decode()
    return [path for href in _parse(html).menu if (path := _internal("/", href)) is not None]


def test_no_page_in_any_demo_role_links_to_a_page_that_role_cannot_open(settings: Any) -> None:
    load_demo(today=today())
    failures: list[str] = []
    walked_memberships = 0
    for persona in (*STAFF, *PARTNERS):
        for membership in Membership.objects.filter(user__username=persona.username, is_active=True).select_related(
            "role", "gemeente"
        ):
            client = Client()
            client.force_login(membership.user)
            session = client.session
            session[SESSION_MEMBERSHIP_KEY] = membership.pk
            session.save()
            pages = _menu(client)
            demo_file = reverse("clients:detail", kwargs={"file_id": _demo_file(membership.gemeente_id).pk})
            if client.get(demo_file).status_code == 200:
                pages.append(demo_file)
            who = f"{persona.username} ({membership.role.code}, {membership.gemeente.code})"
            failures += [f"{who}: {line}" for line in _walk(client, pages)]
            walked_memberships += 1
    assert walked_memberships == Membership.objects.filter(is_active=True).count()
    assert failures == [], "\n".join(failures)
