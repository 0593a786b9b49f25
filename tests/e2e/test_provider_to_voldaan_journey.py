"""Browser journey of issue #6 item 8: from a provider's hours to a person who has voldaan, as real users click.

Setup (services, not the browser): a Haarlem file with a vastgesteld B1-route PIP, placed with the demo provider
(Taalhuis Kennemerland, anouk's provider) and accepted by it. anouk (aanbieder) uploads a CSV with two weeks of low
attendance and one bad row ("2 verwerkt, 1 afgewezen"), uploads it again (nothing changes) and reports an exam
part passed. kim (klantregisseur) sees the hours, the exam (reported, not yet confirmed: the exam is taken at DUO)
and the attendance signal on the Voortgang page, records a
voortgangsgesprek, switches the leerroute to the Z-route and submits the new PIP; tamara approves it in her own
browser. kim confirms the reported exam with where she saw the DUO result, records what the person achieved until
the handhaving page says voldaan and confirms voldaan there
(the general status form no longer offers it); the file moves on to the vervolg: she records that the person
works, plans the next contact, and her caseload shows that contact as the next step (also at 320 px). axe reports
zero violations on every page visited and after every form error shown."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.plans.models import PipVersion
from openinburgering.providers.models import Enrolment, WeeklyReport
from tests.plans.conftest import draft_ready, pip_file, vastgesteld  # noqa: F401 -- PIP fixtures
from tests.providers.conftest import anouk_provider, enrol  # noqa: F401 -- provider fixtures

from .conftest import assert_accessible
from .test_intake_to_pip_journey import (
    assert_form_error,
    assert_reflows,
    click_and_load,
    follow,
    heading,
    press,
    success_text,
    url,
)

pytestmark = pytest.mark.e2e

LogIn = Callable[[Page, str], None]
PERSON = "Amal Haddad"  # the person tests/conftest.py's make_file registers


def optional_label(label: str) -> re.Pattern[str]:
    """A label that is exactly `label`, optionally followed by "(niet verplicht)"."""
    return re.compile(rf"^\s*{re.escape(label)}(\s*\(niet verplicht\))?\s*$")


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """A page in a fresh browser context (its own cookies: another person at another desk)."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        fresh = context.new_page()
        fresh.set_default_timeout(10_000)
        return fresh

    yield make
    for context in contexts:
        context.close()


def iso_week(weeks_back: int) -> str:
    """The ISO week `weeks_back` weeks before the current one (1 = the last complete week), as 2026-W47."""
    year, week, _ = (today() - timedelta(weeks=weeks_back)).isocalendar()
    return f"{year}-W{week:02d}"


def dmy(day: date) -> str:
    return day.strftime("%d-%m-%Y")


# ---------------------------------------------------------------------------------------------------------------
# Step 1: setup through the services


@pytest.fixture
def placed(
    pip_file: Callable[..., ClientFile],  # noqa: F811 -- fixture imported by name
    vastgesteld: Callable[..., PipVersion],  # noqa: F811 -- a pytest fixture imported above by name
    enrol: Callable[..., Enrolment],  # noqa: F811 -- a pytest fixture imported above by name
    anouk_provider: Any,  # noqa: F811 -- a pytest fixture imported above by name
) -> tuple[ClientFile, Enrolment]:
    """A file (asielstatushouder, kennisgeving 4 months ago: well inside the 18-month route switch window) with a
    vastgesteld B1-route PIP and a b1_lessen enrolment with anouk's provider, accepted by anouk."""
    client_file = pip_file(
        residence_from_on=today() - timedelta(days=150), kennisgeving_on=today() - timedelta(days=120)
    )
    vastgesteld(client_file)
    enrolment = enrol(client_file, anouk_provider.contracts.get(), accepted=True)
    client_file.refresh_from_db()
    return client_file, enrolment


# ---------------------------------------------------------------------------------------------------------------
# Step 2: anouk reports hours (CSV) and an exam result


def csv_file(tmp_path: Path, enrolment: Enrolment) -> Path:
    # Two complete weeks with half of the offered hours attended (6 of 12), and one row for an unknown plaatsing.
    rows = [
        "plaatsing_id;week;uren_aangeboden;uren_aanwezig;afwezig_geoorloofd;afwezig_ongeoorloofd;reden;notitie",
        f"{enrolment.pk};{iso_week(2)};6;3;3;0;;Twee lessen ziek gemeld",
        f"{enrolment.pk};{iso_week(1)};6;3;1;2;Niet gekomen zonder bericht;",
        f"999999;{iso_week(1)};6;6;0;0;;",
    ]
    path = tmp_path / "uren.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def upload_hours(page: Page, tmp_path: Path, enrolment: Enrolment) -> None:
    page.get_by_role("link", name=re.compile("Uren van veel cursisten tegelijk inlezen")).click()
    page.wait_for_load_state()
    assert heading(page) == "Uren inlezen met een CSV-bestand"
    assert_accessible(page)
    press(page, "Inlezen")  # no file chosen
    assert_form_error(page, "Kies een bestand.")

    path = csv_file(tmp_path, enrolment)
    page.get_by_label("CSV-bestand").set_input_files(str(path))
    press(page, "Inlezen")
    # 1 of 3 rows rejected: an error alert says what happened (#11 item 9), not a neutral "Klaar".
    assert page.get_by_role("heading", name="2 verwerkt, 1 afgewezen").is_visible()
    result = page.get_by_role("alert").filter(has_text="afgewezen").inner_text()
    assert "Nieuw: 2" in result
    assert "Afgewezen: 1" in result
    assert page.get_by_text("regel 4: plaatsing onbekend").is_visible()
    assert_accessible(page)
    assert WeeklyReport.objects.filter(enrolment=enrolment).count() == 2

    # The same file again changes nothing.
    page.get_by_label("CSV-bestand").set_input_files(str(path))
    press(page, "Inlezen")
    assert page.get_by_role("heading", name="Dit bestand is al eerder ingelezen").is_visible()
    assert page.get_by_text("Er is niets veranderd.").is_visible()
    assert_accessible(page)
    assert WeeklyReport.objects.filter(enrolment=enrolment).count() == 2


def report_exam(page: Page, live_server: Any) -> None:
    page.goto(url(live_server, "portal:index"))
    follow(page, PERSON)
    assert heading(page) == f"{PERSON}: {Enrolment(component='b1_lessen').get_component_display()}"
    assert_accessible(page)
    press(page, "Uitslag opslaan")  # nothing filled in
    assert_form_error(page, "Kies het onderdeel van het examen.")
    exam = page.locator("form", has=page.get_by_role("button", name="Uitslag opslaan"))
    exam.get_by_label("Onderdeel", exact=True).select_option(label="Lezen")
    exam.get_by_label(optional_label("Niveau"), exact=True).select_option(label="B1")
    exam.get_by_label("Datum examen", exact=True).fill((today() - timedelta(days=3)).isoformat())
    exam.get_by_role("radio", name="Ja", exact=True).check()
    press(page, "Uitslag opslaan")
    assert success_text(page) == "Gelukt: De uitslag is opgeslagen."
    assert_accessible(page)


# ---------------------------------------------------------------------------------------------------------------
# Step 3 and 4: kim sees the progress and records a voortgangsgesprek


def check_progress(page: Page, live_server: Any, client_file: ClientFile) -> None:
    page.goto(url(live_server, "progress:index", file_id=client_file.pk))
    assert heading(page) == f"Voortgang: {PERSON}"
    total = page.locator("#aanwezigheid-totaal").inner_text()
    assert "50,0 % (6,0 van 12,0 uur)" in total, total
    assert "Signaal: onder de drempel van 80 %" in total
    # The attended and absent hours per enrolment (table row: offered, attended, authorised, unauthorised).
    row = page.get_by_role("region", name="Tabel met de uren per onderdeel").locator("tbody tr").first
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == "Taalhuis Kennemerland"
    assert cells[2:6] == ["12,0", "6,0", "4,0", "2,0"], cells
    # The exam is taken at DUO: the provider's report shows, but does not count until the gemeente confirms it.
    behaald = page.locator("#behaald").inner_text()
    assert "gemeld door aanbieder, nog niet bevestigd" in behaald, behaald
    assert "Gehaald op B1" not in behaald, behaald
    assert_accessible(page)


def record_talk(page: Page, live_server: Any, client_file: ClientFile) -> None:
    page.goto(url(live_server, "plans:index", file_id=client_file.pk))
    assert heading(page) == f"PIP: {PERSON}"
    assert_accessible(page)
    # The first planned talk (from the PIP: 60 days after it was drafted) has its own form, named by its date.
    form_name = f"Gesprek gepland op {dmy(today() + timedelta(days=60))}"
    click_and_load(page, page.get_by_role("form", name=form_name).get_by_role("button", name="Gesprek vastleggen"))
    assert_form_error(page, "Schrijf een kort verslag van het gesprek.")  # sent empty
    form = page.get_by_role("form", name=form_name)
    form.get_by_label("Gehouden op").fill(today().isoformat())
    form.get_by_label("Verslag").fill("Amal komt de helft van de lessen. Z-route besproken: past beter.")
    click_and_load(page, form.get_by_role("button", name="Gesprek vastleggen"))
    assert success_text(page) == "Gelukt: Het voortgangsgesprek is vastgelegd."
    assert f"Gehouden op {dmy(today())}." in page.locator("#gesprekken").inner_text()
    assert_accessible(page)


# ---------------------------------------------------------------------------------------------------------------
# Step 5: the route switch, and tamara's approval


def switch_route(page: Page, live_server: Any, client_file: ClientFile) -> PipVersion:
    page.goto(url(live_server, "progress:index", file_id=client_file.pk))
    press(page, "Leerroute wijzigen")  # nothing chosen
    assert_form_error(page, "Kies de nieuwe leerroute.", "Schrijf op waarom de leerroute verandert.")
    page.get_by_label("Nieuwe leerroute").select_option(label="Z-route")
    page.get_by_label("Reden van de wijziging").fill(
        "De lessen op B1 zijn te zwaar. In het voortgangsgesprek hebben we de Z-route gekozen."
    )
    press(page, "Leerroute wijzigen")
    version = PipVersion.objects.filter(client_file=client_file).order_by("-number").first()
    assert version is not None
    assert (version.number, version.leerroute, version.status) == (2, "z", "concept")
    assert success_text(page).startswith("Gelukt: PIP versie 2 is gemaakt met de nieuwe leerroute.")
    assert heading(page).startswith("PIP versie 2")
    assert_accessible(page)

    press(page, "Ter goedkeuring aanbieden")
    assert success_text(page) == "Gelukt: Het PIP is ter goedkeuring aangeboden aan een teamleider."
    assert_accessible(page)
    return version


def approve(page: Page, log_in: LogIn, version: PipVersion) -> None:
    log_in(page, "tamara")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="PIP's ter goedkeuring").click()
    page.wait_for_load_state()
    assert heading(page) == "PIP's ter goedkeuring"
    assert_accessible(page)
    follow(page, PERSON)
    assert heading(page).startswith("PIP versie 2")
    assert_accessible(page)
    press(page, "Goedkeuren en vaststellen")
    assert success_text(page) == "Gelukt: Het PIP is goedgekeurd en vastgesteld. De beschikking staat bij de brieven."
    assert_accessible(page)
    version.refresh_from_db()
    assert version.status == "vastgesteld"


# ---------------------------------------------------------------------------------------------------------------
# Step 6: voldaan


def record_achievement(page: Page, kind: str, *, hours: str = "") -> None:
    form = page.locator("form", has=page.get_by_role("button", name="Vastleggen", exact=True))
    form.get_by_label("Wat is behaald?").select_option(label=kind)
    if hours:
        form.get_by_label(optional_label("Uren")).fill(hours)
    form.get_by_label(optional_label("Datum")).fill(today().isoformat())
    press(page, "Vastleggen")
    assert success_text(page) == "Gelukt: Het behaalde onderdeel is vastgelegd."
    assert_accessible(page)


def reach_voldaan(page: Page, live_server: Any, client_file: ClientFile) -> None:
    page.goto(url(live_server, "progress:index", file_id=client_file.pk))
    page.get_by_role("link", name=re.compile("Behaalde onderdelen vastleggen")).click()
    page.wait_for_load_state()
    assert heading(page) == f"Handhaving en voldaan: {PERSON}"
    assert "Voldaan aan de inburgeringsplicht? (Z-route)" in page.locator("#voldaan").inner_text()
    assert page.locator("#ontbreekt").locator("li").count() == 5  # PVT, MAP, 2 x hours, eindgesprek
    assert_accessible(page)
    press(page, "Vastleggen")  # nothing chosen
    assert_form_error(page, "Kies wat de persoon heeft behaald.")

    # kim checks the exam at DUO and confirms the provider's report, noting where she saw the result (#11).
    exams = page.locator("#aanbieder-examens + ul").inner_text()
    assert "Status: gemeld door aanbieder, nog niet bevestigd." in exams, exams
    press(page, "Bevestigen")  # no evidence
    assert_form_error(
        page, "Schrijf waar u de uitslag zag, bijvoorbeeld: uitslag gezien in Mijn Inburgering of DUO-bericht."
    )
    page.get_by_label("Waar zag u de uitslag?").fill("Uitslag gezien in Mijn Inburgering")
    press(page, "Bevestigen")
    assert success_text(page) == "Gelukt: De examenuitslag is bevestigd. Hij telt nu mee voor voldaan."
    assert "Bevestigd door de gemeente op" in page.locator("#aanbieder-examens + ul").inner_text()
    assert_accessible(page)

    record_achievement(page, "Participatieverklaring ondertekend (PVT klaar)")
    record_achievement(page, "MAP afgerond (eindgesprek gehouden)")
    record_achievement(page, "Cursusuren Z-route", hours="800")
    record_achievement(page, "Participatie-uren Z-route", hours="800")
    left = page.locator("#ontbreekt").locator("li").all_inner_texts()
    assert len(left) == 1, left  # only the eindgesprek is still missing
    assert "eindgesprek" in left[0].lower(), left
    record_achievement(page, "Eindgesprek Z-route gehouden")
    assert page.locator("#ontbreekt").count() == 0
    assert "Ja. Alle onderdelen zijn behaald" in page.locator("#voldaan").inner_text()

    # The Voortgang page agrees, and counts the confirmed exam.
    page.goto(url(live_server, "progress:index", file_id=client_file.pk))
    assert "Ja, de persoon heeft voldaan aan de inburgeringsplicht." in page.locator("#voldaan").inner_text()
    behaald = page.locator("#behaald").inner_text()
    assert "Gehaald op B1 (gemeld door aanbieder, bevestigd door gemeente)" in behaald, behaald
    assert_accessible(page)


def confirm_voldaan(page: Page, live_server: Any, client_file: ClientFile) -> None:
    # The file page sends voldaan to the handhaving page: the general status form does not offer it.
    page.goto(url(live_server, "clients:detail", file_id=client_file.pk))
    assert heading(page) == PERSON
    page.locator("summary", has_text="Status wijzigen").click()
    assert "Voldaan" not in page.get_by_label("Nieuwe status").locator("option").all_inner_texts()
    follow(page, "Handhaving en voldaan")
    assert heading(page) == f"Handhaving en voldaan: {PERSON}"
    press(page, "Voldaan vastleggen")
    assert heading(page) == f"Vervolg na de inburgering: {PERSON}"
    assert success_text(page) == (
        "Gelukt: Voldaan is vastgelegd. Leg nu het vervolg vast: werk, opleiding of participatie."
    )
    assert "Voldaan sinds" in page.locator("#vervolg-status").inner_text()
    assert "Vervolg vastleggen: werk, opleiding of participatie" in page.locator("#vervolg-stap").inner_text()
    assert_accessible(page)
    client_file.refresh_from_db()
    assert client_file.status == "voldaan"


NEXT_CONTACT = today() + timedelta(days=90)


def record_follow_up(page: Page) -> None:
    press(page, "Vervolgcontact vastleggen")  # nothing chosen
    assert_form_error(page, "Kies waar de persoon nu staat: werk, opleiding, participatie of een andere situatie.")
    page.get_by_label("Betaald werk").check()
    press(page, "Vervolgcontact vastleggen")  # work without the employer
    assert_form_error(page, "Vul in bij welke werkgever, school of organisatie.")
    page.get_by_label(optional_label("Bij welke werkgever, school of organisatie?")).fill("Bakkerij Spaarnestad")
    page.get_by_label(optional_label("Uren per week")).fill("24")
    page.get_by_label(optional_label("Volgend contact")).fill(NEXT_CONTACT.isoformat())
    press(page, "Vervolgcontact vastleggen")
    assert success_text(page) == "Gelukt: Het vervolgcontact is vastgelegd."
    assert "Betaald werk: Bakkerij Spaarnestad" in page.locator("#vervolg-situatie").inner_text()
    assert "(24 uur per week)" in page.locator("#vervolg-situatie").inner_text()
    step = page.locator("#vervolg-stap").inner_text()
    assert "Vervolgcontact" in step, step
    assert NEXT_CONTACT.strftime("%d-%m-%Y") in step, step
    assert_accessible(page)


def caseload_shows_the_contact(page: Page, live_server: Any) -> None:
    page.goto(url(live_server, "clients:caseload") + "?kind=followup")
    row = page.get_by_role("row", name=re.compile(PERSON))
    assert "Vervolgcontact" in row.inner_text()
    assert NEXT_CONTACT.strftime("%d-%m-%Y") in row.inner_text()
    assert_accessible(page)


# ---------------------------------------------------------------------------------------------------------------
# The journey


def test_from_provider_hours_to_voldaan(
    page: Page,
    new_page: Callable[[], Page],
    log_in: LogIn,
    live_server: Any,
    tmp_path: Path,
    placed: tuple[ClientFile, Enrolment],
) -> None:
    client_file, enrolment = placed

    # 2. anouk: her cursisten, the CSV upload (twice), an exam result.
    log_in(page, "anouk")
    page.goto(url(live_server, "portal:index"))
    assert heading(page) == "Taalhuis Kennemerland: uw cursisten"
    assert page.get_by_role("table", name="Plaatsingen bij Taalhuis Kennemerland").get_by_text(PERSON).is_visible()
    assert_accessible(page)
    upload_hours(page, tmp_path, enrolment)
    report_exam(page, live_server)

    # 3. kim sees the hours, the exam and the signal; 4. she records a voortgangsgesprek.
    kim = new_page()
    log_in(kim, "kim")
    check_progress(kim, live_server, client_file)
    record_talk(kim, live_server, client_file)

    # 5. kim switches to the Z-route; tamara approves the new PIP in her own browser.
    version = switch_route(kim, live_server, client_file)
    approve(new_page(), log_in, version)

    # 6. kim records what the person achieved until voldaan, confirms voldaan and records the vervolg.
    reach_voldaan(kim, live_server, client_file)
    confirm_voldaan(kim, live_server, client_file)
    record_follow_up(kim)
    caseload_shows_the_contact(kim, live_server)
    # Reflow (WCAG 1.4.10): the vervolg page at 320 px.
    kim.set_viewport_size({"width": 320, "height": 640})
    kim.goto(url(live_server, "followup:index", file_id=client_file.pk))
    assert_reflows(kim)
    assert_accessible(kim)
