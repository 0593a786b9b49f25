"""Browser journey of issue #5 item 9: from a COA koppeling to a vastgesteld PIP, as real users click.

tamara (teamleider) reads in a COA koppeling, which opens a file, and gives it to kim. kim (klantregisseur) finds the
person, adds the partner, plans the first oproep, records a no-show, plans the second oproep (waarschuwing letter),
records that the person came, does the brede intake for head and partner, plans the leerbaarheidstoets, records
the result and the route, drafts the PIP and submits it. tamara approves it in her own browser; the beschikking is a
real PDF. kim's caseload shows the next step and "Vroege start" lists the person. Two pages are checked at 320 px.
axe reports zero violations on every page visited and after every form error shown."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page
from pypdf import PdfReader

from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.demo.households import JOURNEY_HEAD_GIVEN_NAMES, JOURNEY_HOUSEHOLD_SURNAME
from openinburgering.intakes import leefgebieden
from openinburgering.intakes.models import IntakeCall
from openinburgering.plans.models import PipVersion
from tests.signals.builders import coa_koppeling, new_bsn

from .conftest import assert_accessible

pytestmark = pytest.mark.e2e

LogIn = Callable[[Page, str], None]
HEAD = f"{JOURNEY_HEAD_GIVEN_NAMES} {JOURNEY_HOUSEHOLD_SURNAME}"
PARTNER = f"Hala {JOURNEY_HOUSEHOLD_SURNAME}"
LOCATION = "Stadhuis Haarlem, Grote Markt 2, balie Inburgering"
# Leefgebieden where each person tells a wish; these become the prefilled PIP agreements.
WISHES = {
    HEAD: {"werk_inkomen": "Weer als elektricien werken.", "taal_inburgering": "Binnen een jaar A2 halen."},
    PARTNER: {"taal_inburgering": "Nederlands leren om met de school van de kinderen te praten."},
}


# ---------------------------------------------------------------------------------------------------------------
# Small helpers


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """A page in a fresh browser context (its own cookies: another person at another desk)."""
    contexts = []

    def make(width: int = 1280) -> Page:
        context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900})
        contexts.append(context)
        fresh = context.new_page()
        fresh.set_default_timeout(10_000)
        return fresh

    yield make
    for context in contexts:
        context.close()


def url(live_server: Any, name: str, **kwargs: Any) -> str:
    return str(live_server.url) + reverse(name, kwargs=kwargs or None)


def heading(page: Page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def click_and_load(page: Page, target: Locator) -> None:
    """Click a link or submit button and wait for the next page (no sleeps)."""
    with page.expect_navigation():
        target.click()
    page.wait_for_load_state()


def press(page: Page, button: str) -> None:
    click_and_load(page, page.get_by_role("button", name=button, exact=True))


def follow(page: Page, link: str | re.Pattern[str]) -> None:
    click_and_load(page, page.get_by_role("link", name=link).first)


def labelled(page: Page, label: str) -> Locator:
    """Fields whose label is exactly `label`, optionally followed by "(niet verplicht)"."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}(\s*\(niet verplicht\))?\s*$"))


def success_text(page: Page) -> str:
    return " ".join(page.get_by_role("status").filter(has_text="Gelukt").first.inner_text().split())


def assert_form_error(page: Page, *messages: str) -> None:
    """An error re-render: 'Fout: ' in the title, the summary names the problems, and axe is still happy."""
    assert page.title().startswith("Fout: "), page.title()
    for message in messages:
        assert page.get_by_text(message).first.is_visible(), message
    assert_accessible(page)


def pdf_text(page: Page, href: str) -> str:
    """Download a letter with the page's own session; it must be a real PDF."""
    response = page.request.get(urljoin(page.url, href))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)


def local_input(days: int, hour: int) -> str:
    """A datetime-local value (Amsterdam time) `days` from today."""
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=30).strftime("%Y-%m-%dT%H:%M")


def move_call_into_the_past(client_file: ClientFile, sequence: int) -> None:
    # Time travel: the UI (rightly) only plans oproepen in the future, and an outcome can only be recorded once the
    # appointment day has come. Move the planned moment to yesterday, as if the day of the appointment has passed.
    moved = IntakeCall.objects.filter(client_file=client_file, sequence=sequence).update(
        planned_at=timezone.now() - timedelta(days=1)
    )
    assert moved == 1


def assert_reflows(page: Page) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320, f"{page.url} scrolls sideways at 320 px: {scroll_width} px wide"


# ---------------------------------------------------------------------------------------------------------------
# Step 1: the COA koppeling arrives (tamara)


def upload_koppeling(page: Page, live_server: Any, tmp_path: Path, bsn: str) -> ClientFile:
    message = coa_koppeling(
        bericht_id="coa-journey-1",
        bsn=bsn,
        residence_from=(today() - timedelta(days=60)).isoformat(),
        koppeling=(today() - timedelta(days=30)).isoformat(),
    )
    message["persoon"].update({"voornamen": JOURNEY_HEAD_GIVEN_NAMES, "geslachtsnaam": JOURNEY_HOUSEHOLD_SURNAME})
    path = tmp_path / "coa.json"
    path.write_text(json.dumps([message]), encoding="utf-8")

    page.goto(url(live_server, "signals:upload"))
    assert heading(page) == "Bestand met berichten inlezen"
    assert_accessible(page)
    press(page, "Inlezen")  # no file chosen: a form error
    assert_form_error(page)
    page.get_by_role("radio", name="Koppelingen van COA").check()
    page.get_by_label("Bestand (JSON)").set_input_files(str(path))
    press(page, "Inlezen")
    assert page.get_by_role("heading", name="Klaar: 1 bericht verwerkt").is_visible()
    result = page.get_by_role("table", name="Resultaat per bericht").get_by_role("row", name="coa-journey-1")
    assert "Nieuw dossier aangemaakt vanuit de COA-koppeling." in result.inner_text()
    assert_accessible(page)

    # The koppeling opened a file by itself (signals.handlers.handle_coa_koppeling), still without a klantregisseur.
    client_file = ClientFile.objects.select_related("person").get(person__bsn=bsn)
    assert client_file.person.full_name == HEAD
    assert client_file.coa_koppeling_on is not None
    assert client_file.housed_on is None
    assert client_file.assigned_to is None
    return client_file


def assign_to_kim(page: Page) -> None:
    """The UI's way to put a new file on kim's caseload: the teamleider assigns it on the team caseload."""
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Teamcaseload").click()
    page.wait_for_load_state()
    assert heading(page) == "Teamcaseload"
    row = page.get_by_role("table", name="Open dossiers").get_by_role("row", name=HEAD)
    assert "Niet toegewezen" in row.inner_text()
    assert_accessible(page)
    page.get_by_role("checkbox", name=f"Kies dossier van {HEAD}").check()
    page.get_by_label("Nieuwe klantregisseur (niet verplicht)", exact=True).select_option(label="Kim de Vries")
    press(page, "Toewijzen")
    assert success_text(page) == "Gelukt: 1 dossier toegewezen aan Kim de Vries."
    assert_accessible(page)


# ---------------------------------------------------------------------------------------------------------------
# Step 2: kim finds the person, adds the partner, plans the oproepen


def find_and_open_file(page: Page, live_server: Any, client_file: ClientFile, bsn: str) -> None:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Zoeken").click()
    page.wait_for_load_state()
    assert heading(page) == "Persoon zoeken"
    assert_accessible(page)
    page.get_by_label("Zoek op BSN, naam, geboortedatum of V-nummer").fill(bsn)
    press(page, "Zoeken")
    assert page.get_by_role("heading", name="1 dossier gevonden").is_visible()
    assert_accessible(page)
    click_and_load(page, page.get_by_role("table", name="Zoekresultaten").get_by_role("link", name=HEAD))
    assert page.url == url(live_server, "clients:detail", file_id=client_file.pk)
    assert heading(page) == HEAD
    assert_accessible(page)


def add_partner(page: Page) -> None:
    page.locator("summary", has_text="Gezinslid toevoegen").click()
    form = page.locator("form", has=page.get_by_role("button", name="Gezinslid toevoegen"))
    click_and_load(page, form.get_by_role("button", name="Gezinslid toevoegen"))  # empty: form errors
    assert_form_error(page, "Vul de voornamen in.")
    form = page.locator("form", has=page.get_by_role("button", name="Gezinslid toevoegen"))
    form.get_by_label("Relatie", exact=True).select_option(label="Partner")
    form.get_by_label("Voornamen", exact=True).fill("Hala")
    form.get_by_label("Achternaam", exact=True).fill(JOURNEY_HOUSEHOLD_SURNAME)
    form.get_by_label("Geboortedatum", exact=True).fill("1994-06-15")
    form.get_by_label("Geslacht", exact=True).select_option(label="Vrouw")
    form.get_by_label("Hoort bij het huishouden vanaf", exact=True).fill((today() - timedelta(days=60)).isoformat())
    click_and_load(page, form.get_by_role("button", name="Gezinslid toevoegen"))
    household = page.get_by_role("table", name=re.compile(r"^Leden van het huishouden"))
    assert household.get_by_role("rowheader").all_inner_texts() == [HEAD, PARTNER]
    assert_accessible(page)


def plan_call(page: Page, sequence: int, days_ahead: int) -> None:
    follow(page, f"Oproep {sequence} plannen")
    assert heading(page) == f"Oproep {sequence} plannen"
    assert_accessible(page)
    if sequence == 1:
        press(page, "Oproep plannen en brief maken")  # nothing filled in
        assert_form_error(page, "Vul de datum en tijd van de afspraak in.", "Vul de plaats van de afspraak in.")
    else:
        assert page.get_by_text("schriftelijke waarschuwing").is_visible()
    page.get_by_label("Datum en tijd van de afspraak").fill(local_input(days_ahead, 10))
    page.get_by_label("Plaats").fill(LOCATION)
    interpreter = page.get_by_label("Tolk in de taal")
    assert interpreter.input_value() == "Arabisch"  # from the COA warme overdracht
    press(page, "Oproep plannen en brief maken")
    assert success_text(page).startswith(f"Gelukt: Oproep {sequence} is gepland.")
    assert heading(page) == "Oproepen en brede intake"
    assert "Tolk: Arabisch" in calls_row(page, sequence).inner_text()
    assert_accessible(page)


def calls_row(page: Page, sequence: int) -> Locator:
    return page.get_by_role("table", name="Oproepen voor de brede intake").locator("tbody tr").nth(sequence - 1)


def record_outcome(page: Page, client_file: ClientFile, sequence: int, outcome: str) -> None:
    move_call_into_the_past(client_file, sequence)
    follow(page, f"Uitkomst vastleggen van oproep {sequence}")
    assert heading(page) == f"Uitkomst oproep {sequence}"
    assert_accessible(page)
    if sequence == 1:
        press(page, "Uitkomst vastleggen")  # no choice made
        assert_form_error(page, "Kies wat er gebeurde")
    page.get_by_role("radio", name=outcome, exact=True).check()
    press(page, "Uitkomst vastleggen")
    assert success_text(page).startswith("Gelukt: De uitkomst is vastgelegd.")
    assert outcome in calls_row(page, sequence).inner_text()
    assert_accessible(page)


def check_waarschuwing_letter(page: Page) -> None:
    link = calls_row(page, 2).get_by_role("link", name="Waarschuwing en herhaalde oproep (pdf)")
    href = link.get_attribute("href")
    assert href is not None
    text = pdf_text(page, href)
    assert "waarschuwing" in text.lower()
    assert HEAD in text


# ---------------------------------------------------------------------------------------------------------------
# Step 3: the brede intake for head and partner


def start_intake(page: Page, name: str) -> None:
    choose = page.get_by_label("Voor wie?")
    label = next(text.strip() for text in choose.locator("option").all_inner_texts() if text.startswith(name))
    choose.select_option(label=label)
    press(page, "Brede intake starten")
    assert success_text(page) == f"Gelukt: De brede intake voor {name} is gestart."


def fill_leefgebied(page: Page, name: str, code: str) -> None:
    spec = leefgebieden.REGISTRY[code]
    assert heading(page) == spec.label
    assert page.get_by_text(f"brede intake van {name}").is_visible()
    assert_accessible(page)
    if code == "gezondheid":
        # Health data only with consent (AVG art. 9): without 'Ja' a score is refused, so first show that error.
        page.get_by_role("radio", name=re.compile(r"^4 - ")).check()
        press(page, "Opslaan en volgende")
        assert_form_error(page, "Zonder toestemming van de persoon legt u geen score")
        page.get_by_role("group", name="Toestemming om gezondheid vast te leggen").get_by_label("Ja").check()
    page.get_by_role("radio", name=re.compile(r"^4 - ")).check()
    page.get_by_label("Wat ziet u?").fill(f"{name}: {spec.label.lower()} gaat redelijk.")
    wish = WISHES[name].get(code, "")
    if wish:
        page.get_by_label("Wensen en doelen").fill(wish)
    if leefgebieden.next_code(code):
        press(page, "Opslaan en volgende")
    else:
        press(page, "Opslaan en naar overzicht")


def do_intake(page: Page, name: str, small_page: Page | None = None) -> None:
    start_intake(page, name)
    for code in leefgebieden.ORDER:
        if small_page is not None and code == "gezondheid":
            # Reflow (WCAG 1.4.10): the longest intake step, at 320 px, while the intake is still open.
            small_page.goto(page.url)
            assert heading(small_page) == "Gezondheid"
            assert_reflows(small_page)
            assert_accessible(small_page)
        fill_leefgebied(page, name, code)
    assert heading(page) == f"Brede intake van {name}"
    assert_accessible(page)
    follow(page, "Brede intake afronden")
    assert page.get_by_text("Alle leefgebieden zijn klaar.").is_visible()
    assert_accessible(page)
    press(page, "Intake afronden")
    assert success_text(page) == f"Gelukt: De brede intake van {name} is afgerond."
    assert_accessible(page)


# ---------------------------------------------------------------------------------------------------------------
# Step 4: leerbaarheidstoets and route


def toets_and_route(page: Page) -> None:
    follow(page, "Leerbaarheidstoets plannen")
    assert heading(page) == "Leerbaarheidstoets plannen"
    assert_accessible(page)
    page.get_by_label("Datum en tijd van de toets").fill(local_input(3, 9))
    page.get_by_label("Plaats").fill("Taalcentrum Haarlem")
    press(page, "Toets plannen")
    assert success_text(page).startswith("Gelukt: De leerbaarheidstoets is gepland.")
    assert_accessible(page)

    follow(page, "Uitslag vastleggen")
    assert heading(page) == "Uitslag leerbaarheidstoets"
    assert_accessible(page)
    page.get_by_label("Datum van de toets").fill(today().isoformat())
    page.get_by_label("Score (van 40)").fill("30")
    press(page, "Uitslag vastleggen")
    assert success_text(page) == "Gelukt: De uitslag is vastgelegd: B1-route haalbaar."
    assert page.locator("#toets").get_by_text("B1-route haalbaar").is_visible()
    assert page.get_by_role("heading", name="Advies: B1-route").is_visible()
    assert_accessible(page)

    follow(page, "Leerroute kiezen")
    assert heading(page) == "Leerroute kiezen"
    assert page.get_by_role("heading", name="Advies: B1-route").is_visible()
    assert page.get_by_role("radio", name="B1-route", exact=True).is_checked()  # the advice is preselected
    assert_accessible(page)
    press(page, "Route vastleggen")  # the onderwijsroute is not weighed yet
    assert_form_error(page, "Schrijf op hoe u de onderwijsroute heeft afgewogen.")
    page.get_by_label("Afweging onderwijsroute").fill(
        "Khaled is 33 en wil snel werken als elektricien. De onderwijsroute past niet bij dat doel."
    )
    press(page, "Route vastleggen")
    assert success_text(page) == "Gelukt: De gekozen route is vastgelegd: B1-route."
    assert_accessible(page)


# ---------------------------------------------------------------------------------------------------------------
# Step 5: the PIP concept


def draft_pip(page: Page, live_server: Any, client_file: ClientFile, small_page: Page) -> PipVersion:
    page.goto(url(live_server, "clients:detail", file_id=client_file.pk))
    follow(page, re.compile(r"^Alle PIP-versies"))
    assert heading(page) == f"PIP: {HEAD}"
    assert_accessible(page)
    press(page, "PIP opstellen")
    version = PipVersion.objects.get(client_file=client_file)
    assert heading(page) == "PIP versie 1 wijzigen"
    assert page.get_by_label("Leerroute", exact=True).input_value() == "b1"  # from the chosen route
    goals = [labelled(page, "Doel").nth(i).input_value() for i in range(3)]
    assert goals == [*WISHES[HEAD].values(), *WISHES[PARTNER].values()]  # from the intake wishes
    assert_accessible(page)

    # Reflow at 320 px of the largest form, while it is still a concept.
    small_page.goto(page.url)
    assert heading(small_page) == "PIP versie 1 wijzigen"
    assert_reflows(small_page)
    assert_accessible(small_page)

    # The prefill is a concept that saves as it is (#11): what happens is filled in before it is offered.
    press(page, "Concept opslaan")
    assert success_text(page) == "Gelukt: Het concept is opgeslagen."
    press(page, "Ter goedkeuring aanbieden")
    assert_form_error(page, "Afspraak 1: schrijf op wat er gebeurt.")
    follow(page, "Concept wijzigen")
    assert heading(page) == "PIP versie 1 wijzigen"
    actions = ["Werkfit-traject bij de gemeente.", "Taalles bij het taalcentrum, 3 dagen per week.",
               "Taalles overdag, met kinderopvang."]  # fmt: skip
    for index, action in enumerate(actions):
        labelled(page, "Wat gebeurt er").nth(index).fill(action)
        labelled(page, "Wanneer klaar").nth(index).fill((today() + timedelta(days=365)).isoformat())
    talks = [today() + timedelta(days=90), today() + timedelta(days=180)]
    for number, day in enumerate(talks, start=1):
        labelled(page, f"Voortgangsgesprek {number}").fill(day.isoformat())  # a date input
    page.get_by_label("Samenvatting in eenvoudige taal").fill(
        "U volgt de B1-route. U leert Nederlands en u werkt aan uw doel: werken als elektricien."
    )
    press(page, "Concept opslaan")
    assert success_text(page) == "Gelukt: Het concept is opgeslagen."
    assert heading(page).startswith("PIP versie 1")
    assert page.get_by_text(f"2 gesprekken: {talks[0]:%d-%m-%Y} en {talks[1]:%d-%m-%Y}").is_visible()
    assert_accessible(page)

    press(page, "Ter goedkeuring aanbieden")
    assert success_text(page) == "Gelukt: Het PIP is ter goedkeuring aangeboden aan een teamleider."
    # kim drafted it and has no approval right: no approve button for her (four eyes).
    assert page.get_by_role("button", name="Goedkeuren en vaststellen").count() == 0
    assert_accessible(page)
    return version


# ---------------------------------------------------------------------------------------------------------------
# Step 6 and 7: tamara approves; the beschikking


def approve_pip(page: Page, log_in: LogIn, version: PipVersion) -> None:
    log_in(page, "tamara")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="PIP's ter goedkeuring").click()
    page.wait_for_load_state()
    assert heading(page) == "PIP's ter goedkeuring"
    assert_accessible(page)
    follow(page, HEAD)
    assert heading(page).startswith("PIP versie 1")
    assert_accessible(page)
    press(page, "Goedkeuren en vaststellen")
    assert success_text(page) == "Gelukt: Het PIP is goedgekeurd en vastgesteld. De beschikking staat bij de brieven."
    assert_accessible(page)
    version.refresh_from_db()
    assert version.status == "vastgesteld"
    assert version.approved_by is not None
    assert version.approved_by.username == "tamara"


def check_beschikking(page: Page, live_server: Any, client_file: ClientFile) -> None:
    page.goto(url(live_server, "clients:detail", file_id=client_file.pk))
    letters = page.locator("#brieven")
    link = letters.get_by_role("link", name=re.compile(r"\(pdf\)$")).filter(has_text=re.compile("PIP|plan", re.I))
    assert link.count() == 1, letters.inner_text()
    assert_accessible(page)
    href = link.get_attribute("href")
    assert href is not None
    text = pdf_text(page, href)
    assert "bezwaar" in text
    assert "Uw plan in het kort" in text


# ---------------------------------------------------------------------------------------------------------------
# Step 8: worklists


def check_worklists(page: Page, live_server: Any) -> None:
    page.goto(url(live_server, "clients:caseload"))
    assert heading(page) == "Mijn caseload"
    row = page.get_by_role("table", name="Mijn open dossiers").get_by_role("row", name=HEAD)
    first_talk = (today() + timedelta(days=90)).strftime("%d-%m-%Y")
    # The first planned voortgangsgesprek comes before the end of the route switch window (18 months).
    assert f"Voortgangsgesprek\n{first_talk}" in row.inner_text(), row.inner_text()
    assert_accessible(page)

    page.goto(url(live_server, "clients:vroege-start"))
    assert heading(page) == "Vroege start"
    row = page.get_by_role("table", name="Dossiers voor vroege start").get_by_role("row", name=HEAD)
    assert row.count() == 1
    assert_accessible(page)


# ---------------------------------------------------------------------------------------------------------------
# The journey


def test_from_coa_koppeling_to_vastgesteld_pip(
    page: Page,
    small_page: Page,
    new_page: Callable[..., Page],
    log_in: LogIn,
    live_server: Any,
    tmp_path: Path,
) -> None:
    bsn = new_bsn()

    # 1. tamara reads in the COA koppeling; it opens a file, which she gives to kim.
    log_in(page, "tamara")
    client_file = upload_koppeling(page, live_server, tmp_path, bsn)
    assign_to_kim(page)

    # 2. kim, at her own desk: find the person, add the partner, plan and follow up the oproepen.
    kim = new_page()
    log_in(kim, "kim")
    log_in(small_page, "kim")
    find_and_open_file(kim, live_server, client_file, bsn)
    add_partner(kim)
    follow(kim, "Naar oproepen, brede intake, toets en route")
    assert heading(kim) == "Oproepen en brede intake"
    assert_accessible(kim)
    plan_call(kim, 1, days_ahead=7)
    record_outcome(kim, client_file, 1, "Niet verschenen")
    assert "Volgende stap: Schriftelijke waarschuwing en herhaalde oproep" in kim.locator("#oproepen").inner_text()
    plan_call(kim, 2, days_ahead=14)
    check_waarschuwing_letter(kim)

    # 3. The person comes to the second oproep; the brede intake of head and partner.
    record_outcome(kim, client_file, 2, "Verschenen")
    do_intake(kim, HEAD, small_page=small_page)
    do_intake(kim, PARTNER)

    # 4. Leerbaarheidstoets and the route.
    toets_and_route(kim)

    # 5. The PIP concept, submitted for approval.
    version = draft_pip(kim, live_server, client_file, small_page)

    # 6. tamara approves in a new browser context; 7. the beschikking is a real PDF.
    tamara = new_page()
    approve_pip(tamara, log_in, version)
    check_beschikking(tamara, live_server, client_file)

    # 8. kim's worklists.
    check_worklists(kim, live_server)
