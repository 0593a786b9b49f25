"""Mijn Inburgering in the browser (#15 'Done when'): log in through the mock DigiD, switch to Arabic (right to left,
axe clean), read the plan, download an appointment (.ics), upload a diploma, send a message; kim answers it and opens
the upload; the client then sees under "wie heeft mijn dossier bekeken" that the Klantregisseur of gemeente Haarlem
read it. Another client's upload is 404. Then every portal page in every other language group (Farsi right to left,
Tigrinya, Ukrainian, Turkish, English, Dutch) at 320 px: axe clean, no sideways scroll. Screenshots in
/tmp/e2e-mijn-*.png (1280 and 320 px).

The mock DigiD pages themselves are the library's imitation of DigiD (not ours, and not DigiD): axe is not run there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from playwright.sync_api import Page

from openinburgering.clients.models import ClientFile
from openinburgering.mijn.models import PortalMessage, PortalUpload
from tests.mijn.conftest import portal_file  # noqa: F401 -- the portal's fixture, shared
from tests.mijn.helpers import PDF
from tests.plans.conftest import draft_ready, pip_file, vastgesteld  # noqa: F401 -- used by portal_file

from .conftest import assert_accessible
from .test_beheer_pages import no_sideways_scroll
from .test_journeys import LogIn

SHOTS = "/tmp/e2e-mijn"
PAGES = ("", "plan/", "voortgang/", "afspraken/", "documenten/", "berichten/", "inzage/")


def digid_login(page: Page, base: str, bsn: str) -> None:
    page.goto(base + "/mijn/inloggen/")
    assert_accessible(page)
    page.locator("main a.mijn-button").click()  # "Inloggen met DigiD"
    page.locator("#authentication_type_account_basis").click()  # the mock IdP: "Met burgerservicenummer"
    page.locator("input[name=auth_bsn]").fill(bsn)
    page.locator("#submit-button").click()
    page.wait_for_load_state()
    assert page.url == base + "/mijn/", page.url


def choose_language(page: Page, code: str) -> None:
    page.locator("#mijn-taal").select_option(code)
    page.locator("form.mijn-language button").click()
    page.wait_for_load_state()


TARGETS = "button, select, textarea, input[type=file], .mijn-nav__list a, .mijn-choice, a.mijn-button"


def small_targets(page: Page) -> list[Any]:
    """Buttons, fields, menu links and choices lower than 44 CSS px (large touch targets, #15 item 9)."""
    return list(
        page.evaluate(
            f"""() => [...document.querySelectorAll({TARGETS!r})]
                .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect().height])
                .filter(([_, height]) => height < 44)"""
        )
    )


def html_dir(page: Page) -> tuple[str | None, str | None]:
    html = page.locator("html")
    return html.get_attribute("lang"), html.get_attribute("dir")


def test_arabic_journey_ends_with_the_klantregisseur_in_who_looked(
    page: Page,
    small_page: Page,
    browser: Any,
    log_in: LogIn,
    live_server: Any,
    portal_file: Any,  # noqa: F811 -- the fixture imported above
    tmp_path: Path,
) -> None:
    base = live_server.url
    client_file: ClientFile = portal_file(given_names="Amal", surname="Haddad")
    other: ClientFile = portal_file(given_names="Yonas", surname="Tesfay")

    digid_login(page, base, client_file.person.bsn)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welkom, Amal")
    choose_language(page, "ar")
    assert html_dir(page) == ("ar", "rtl")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}-ar-start-1280.png", full_page=True)

    page.get_by_role("navigation").get_by_role("link", name="خطتي").click()  # "Mijn plan"
    page.wait_for_load_state()
    assert page.url == base + "/mijn/plan/"
    assert html_dir(page) == ("ar", "rtl")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}-ar-plan-1280.png", full_page=True)

    page.goto(base + "/mijn/afspraken/")
    assert_accessible(page)
    with page.expect_download() as info:
        page.locator("a[href$='.ics']").first.click()
    ics = Path(info.value.path()).read_text()
    assert "BEGIN:VEVENT" in ics
    assert "Stadhuis Haarlem" in ics

    page.goto(base + "/mijn/documenten/")
    assert_accessible(page)
    diploma = tmp_path / "diploma.pdf"
    diploma.write_bytes(PDF)
    page.locator("input[name=kind][value=diploma]").check()
    page.locator("input[name=file]").set_input_files(str(diploma))
    page.get_by_role("button", name="أرسل المستند").click()  # "Verstuur document"
    page.wait_for_load_state()
    assert page.get_by_text("تم استلام مستندك.").is_visible()
    assert_accessible(page)
    upload = PortalUpload.objects.get(client_file=client_file)

    page.goto(base + "/mijn/berichten/")
    page.locator("textarea[name=body]").fill("لقد أرسلت شهادتي. Ik heb mijn diploma gestuurd.")
    page.get_by_role("button", name="أرسل الرسالة").click()  # "Verstuur bericht"
    page.wait_for_load_state()
    assert page.get_by_text("تم إرسال رسالتك.").is_visible()
    assert_accessible(page)
    assert PortalMessage.objects.filter(client_file=client_file, direction="from_client").count() == 1

    kim = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900}).new_page()
    log_in(kim, "kim")
    kim.goto(f"{base}/dossiers/{client_file.pk}/portaal/")
    assert kim.get_by_text("Ik heb mijn diploma gestuurd.").is_visible()
    assert_accessible(kim)
    kim.get_by_label("Antwoord aan de inburgeraar").fill("Dank u wel. Ik bekijk uw diploma deze week.")
    kim.get_by_role("button", name="Antwoord sturen").click()
    kim.wait_for_load_state()
    assert kim.get_by_text("Uw antwoord staat in het portaal van de inburgeraar.").is_visible()
    with kim.expect_download() as opened:
        kim.locator(f"a[href$='/uploads/{upload.pk}/']").click()
    assert Path(opened.value.path()).read_bytes() == PDF
    kim.screenshot(path=f"{SHOTS}-staff-1280.png", full_page=True)
    kim.context.close()

    page.goto(base + "/mijn/berichten/")
    assert page.get_by_text("Dank u wel. Ik bekijk uw diploma deze week.").is_visible()
    assert page.locator(".mijn-message--mine", has_text="قُرئت في").count() == 1  # "Gelezen op": the read receipt
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}-ar-berichten-1280.png", full_page=True)

    page.goto(base + "/mijn/inzage/")
    assert html_dir(page) == ("ar", "rtl")
    rows = page.locator("[data-access-row]")
    assert rows.filter(has_text="مدير الملف في بلدية Haarlem").count() >= 1  # "Klantregisseur van gemeente Haarlem"
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}-ar-inzage-1280.png", full_page=True)

    other_upload = PortalUpload(
        client_file=other, kind="diploma", content_type="application/pdf", size=len(PDF), sha256="0" * 64,
        uploaded_by=upload.uploaded_by, uploaded_at=upload.uploaded_at,
    )  # fmt: skip
    other_upload.file.save("diploma-other.pdf", ContentFile(PDF))
    response = page.request.get(f"{base}/mijn/documenten/uploads/{other_upload.pk}/")
    assert response.status == 404
    response = page.request.get(f"{base}/mijn/documenten/uploads/{upload.pk}/")
    assert response.status == 200

    # The same client on a phone, still in Arabic (the account remembers the language).
    digid_login(small_page, base, client_file.person.bsn)
    assert html_dir(small_page) == ("ar", "rtl")
    for path in PAGES:
        small_page.goto(f"{base}/mijn/{path}")
        assert_accessible(small_page)
        assert no_sideways_scroll(small_page), path
        small_page.screenshot(path=f"{SHOTS}-ar-{path.strip('/') or 'start'}-320.png", full_page=True)


def test_every_language_group_reads_the_portal_on_a_phone(
    small_page: Page,
    live_server: Any,
    portal_file: Any,  # noqa: F811 -- the fixture imported above
) -> None:
    base = live_server.url
    client_file: ClientFile = portal_file()
    digid_login(small_page, base, client_file.person.bsn)
    for code, direction in (("fa", "rtl"), ("ti", "ltr"), ("uk", "ltr"), ("tr", "ltr"), ("en", "ltr"), ("nl", "ltr")):
        choose_language(small_page, code)
        assert html_dir(small_page) == (code, direction)
        for path in PAGES:
            small_page.goto(f"{base}/mijn/{path}")
            assert html_dir(small_page) == (code, direction), path
            assert_accessible(small_page)
            assert no_sideways_scroll(small_page), f"{code} {path}"
            assert small_targets(small_page) == [], f"{code} {path}: touch targets under 44 px"
        small_page.goto(f"{base}/mijn/plan/")
        small_page.screenshot(path=f"{SHOTS}-{code}-plan-320.png", full_page=True)
