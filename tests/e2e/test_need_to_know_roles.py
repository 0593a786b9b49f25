"""Need to know, per role, in the browser (#12 item 1): one demo file opened by every Haarlem persona. Each sees
exactly the blocks of the sections its role may read (accounts.sections.LEGAL_MAXIMUM), no link into a closed
section, and a 404 where it may not open the file at all; axe reports nothing on every page, and each role's page is
saved as a screenshot (/tmp/e2e-need-to-know-<user>.png) to look at."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from openinburgering.accounts.models import User
from openinburgering.accounts.sections import Access, legal_maximum
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.demo.loader import load_demo

from .conftest import assert_accessible
from .test_journeys import LogIn, url

ROLES = {
    "kim": "klantregisseur",
    "tamara": "teamleider",
    "frank": "financieel_consulent",
    "mira": "maatschappelijk_begeleider",
    "fenna": "functioneel_beheerder",
    "carla": "contractmanager",
    "bram": "beleidsmedewerker",
    "anouk": "aanbieder",
}
# The blocks of the file page and the section each belongs to; and the URL part of that section's own pages.
BLOCKS = {"#intake": "intake", "#pip": "pip", "#plaatsingen": "voortgang", "#brieven": "documenten",
          "#notities": "notities"}  # fmt: skip
PAGES = {"intake/": "intake", "pip/": "pip", "brieven/": "documenten", "voortgang/": "voortgang",
         "handhaving/": "handhaving", "vervolg/": "begeleiding"}  # fmt: skip


def reads(username: str, section: str) -> bool:
    return legal_maximum(ROLES[username], section) >= Access.READ


def test_every_role_sees_only_its_sections_of_one_demo_file(page: Page, log_in: LogIn, live_server: Any) -> None:
    load_demo(today=today())
    client_file = (
        ClientFile.objects.filter(gemeente__code="GM0392", status="in_traject")
        .select_related("person")
        .order_by("id")
        .first()
    )
    assert client_file is not None
    client_file.begeleider = User.objects.get(username="mira")  # so the begeleider has a file of her own
    client_file.save(update_fields=["begeleider"])
    file_url = url(live_server, "clients:detail", file_id=client_file.pk)
    prefix = f"/dossiers/{client_file.pk}/"
    seen: dict[str, tuple[bool, set[str]]] = {}
    for username in ROLES:
        page.context.clear_cookies()
        log_in(page, username)
        response = page.goto(file_url)
        assert response is not None
        opened = response.status == 200
        assert opened is reads(username, "basis"), username
        assert_accessible(page)
        page.screenshot(path=f"/tmp/e2e-need-to-know-{username}.png", full_page=True)
        blocks = {block for block in BLOCKS if page.locator(f"main {block}").count() == 1}
        seen[username] = (opened, blocks)
        if not opened:
            assert page.get_by_role("heading", level=1).inner_text() == "Pagina niet gevonden", username
            continue
        assert blocks == {block for block, section in BLOCKS.items() if reads(username, section)}, username
        hrefs = page.locator("main a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        for part, section in PAGES.items():
            linked = any(href.startswith(prefix + part) for href in hrefs)
            if not reads(username, section):
                assert not linked, f"{username} sees a link into {part}"
    # What each role saw, in one line each, so a failure shows the whole picture.
    assert seen["kim"] == (True, set(BLOCKS))
    assert seen["tamara"] == (True, set(BLOCKS))
    assert seen["frank"] == (True, set())
    assert seen["mira"] == (True, set())
    for username in ("fenna", "carla", "bram", "anouk"):
        assert seen[username] == (False, set()), username
