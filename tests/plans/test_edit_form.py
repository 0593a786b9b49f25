"""The PIP form (#11 item 8): an error summary that counts every error (fields, the whole form, the agreements)
and links each to its field; voortgangsgesprekken as real date fields shown as dd-mm-jjjj; a prefill from the
intake that neither repeats a wish nor is refused when the concept is saved."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from openinburgering.core.errors import ApplicationError
from openinburgering.intakes.models import Intake, LeefgebiedAssessment
from openinburgering.plans import services
from openinburgering.plans.models import PipVersion

from .conftest import GOOD

pytestmark = pytest.mark.django_db

MANAGEMENT = {"agreements-INITIAL_FORMS": "0", "agreements-MIN_NUM_FORMS": "0", "agreements-MAX_NUM_FORMS": "60",
              "talks-INITIAL_FORMS": "0", "talks-MIN_NUM_FORMS": "0", "talks-MAX_NUM_FORMS": "24"}  # fmt: skip


class _Summary(HTMLParser):
    """The title and the items (text, link target or None) of the error summary of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # > 0 inside the summary
        self.title = ""
        self.items: list[tuple[str, str | None]] = []
        self._in_title = False
        self._item: list[str] | None = None
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.depth == 0 and "app-error-summary" in classes:
            self.depth = 1
            return
        if self.depth == 0:
            return
        self.depth += 1
        if "app-error-summary__title" in classes:
            self._in_title = True
        elif tag == "li":
            self._item, self._href = [], None
        elif tag == "a" and self._item is not None:
            self._href = dict(attrs).get("href")

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0:
            return
        self.depth -= 1
        if tag == "h2":
            self._in_title = False
        elif tag == "li" and self._item is not None:
            self.items.append((" ".join("".join(self._item).split()), self._href))
            self._item = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif self._item is not None:
            self._item.append(data)


def summary(body: str) -> tuple[str, list[tuple[str, str | None]]]:
    parser = _Summary()
    parser.feed(body)
    return " ".join(parser.title.split()), parser.items


def edit_url(version: PipVersion) -> str:
    return reverse("plans:edit", kwargs={"file_id": version.client_file_id, "version_id": version.pk})


def post(client: Any, version: PipVersion, data: dict[str, str]) -> Any:
    return client.post(edit_url(version), {**MANAGEMENT, "agreements-TOTAL_FORMS": "1", "talks-TOTAL_FORMS": "2",
                                           **data})  # fmt: skip


def test_summary_counts_every_form_error_and_links_each_to_its_field(pip_file, actor, login):
    version = services.create_draft(actor=actor("kim"), client_file=pip_file())
    response = post(login("kim"), version, {
        "leerroute": "b1", "receives_bijstand": "on", "bijstand_start_on": "31-02-2027",  # a field of the form
        "talks-0-on": "2027-13-01",  # a voortgangsgesprek
        "agreements-0-leefgebied": "werk_inkomen", "agreements-0-goal": "Werk", "agreements-0-action": "Solliciteren",
        "agreements-0-responsible": "klant", "agreements-0-due_on": "morgen",  # an agreement
    })  # fmt: skip
    assert response.status_code == 400
    title, items = summary(response.content.decode())
    assert title == "Er zijn 3 fouten. Verbeter die en probeer het opnieuw."
    assert items == [
        ("Recht op bijstand vanaf: Vul een geldige datum in, bijvoorbeeld 15-06-2027.", "#id_bijstand_start_on"),
        ("Voortgangsgesprek 1: Vul een geldige datum in, bijvoorbeeld 15-06-2027.", "#id_talks-0-on"),
        ("Afspraak 1, Wanneer klaar: Vul een geldige datum in, bijvoorbeeld 15-06-2027.", "#id_agreements-0-due_on"),
    ]
    version.refresh_from_db()
    assert version.leerroute == ""


def test_summary_links_the_services_errors_to_their_fields(pip_file, actor, login):
    version = services.create_draft(actor=actor("kim"), client_file=pip_file(doelgroep=""))
    response = post(login("kim"), version, {
        "leerroute": "onderwijs", "map_intensity": "40 uur",
        "talks-0-on": "2027-06-15", "talks-1-on": "2027-06-15",
        "agreements-0-goal": "Werk", "agreements-0-action": "Solliciteren", "agreements-0-responsible": "klant",
    })  # fmt: skip
    assert response.status_code == 400
    title, items = summary(response.content.decode())
    assert title == "Er zijn 4 fouten. Verbeter die en probeer het opnieuw."
    assert items == [
        ("Vul eerst de doelgroep in bij het dossier (Datums en verblijf).", "#id_leerroute"),
        ("Module arbeidsmarkt en participatie (MAP): intensiteit: In de onderwijsroute hoort geen module arbeidsmarkt "
         "en participatie (MAP) (artikel 8 lid 3 Wet inburgering 2021). Maak dit veld leeg.", "#id_map_intensity"),
        ("Voortgangsgesprek 1: Elke datum mag maar één keer voorkomen.", "#id_talks-0-on"),
        ("Afspraak 1, Leefgebied: Kies een leefgebied.", "#id_agreements-0-leefgebied"),
    ]  # fmt: skip


def test_talk_dates_are_date_fields_and_shown_as_dd_mm_jjjj(pip_file, actor, login):
    client_file = pip_file()
    kim = actor("kim")
    version = services.create_draft(actor=kim, client_file=client_file)
    client = login("kim")
    response = post(client, version, {
        "leerroute": "b1", "talks-0-on": "2027-06-15", "talks-1-on": "15-01-2027",
        "agreements-0-leefgebied": "werk_inkomen", "agreements-0-goal": "Werk", "agreements-0-action": "Solliciteren",
        "agreements-0-responsible": "klant",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    version.refresh_from_db()
    assert version.progress_talks_count == 2
    assert version.progress_talk_dates == ["2027-01-15", "2027-06-15"]

    form = client.get(edit_url(version)).content.decode()
    assert '<input type="date" name="talks-0-on" value="2027-01-15"' in form  # the browser shows 15-01-2027
    assert '<input type="date" name="talks-1-on" value="2027-06-15"' in form
    assert 'name="progress_talk_dates"' not in form

    page = client.get(reverse("plans:version", kwargs={"file_id": client_file.pk, "version_id": version.pk}))
    body = page.content.decode()
    assert "2 gesprekken: 15-01-2027 en 15-06-2027" in body
    assert "2027-06-15" not in body


def test_a_bad_talk_date_comes_back_with_a_dutch_error(pip_file, actor, login):
    version = services.create_draft(actor=actor("kim"), client_file=pip_file())
    response = post(login("kim"), version, {"leerroute": "b1", "talks-0-on": "15 juni"})
    assert response.status_code == 400
    title, items = summary(response.content.decode())
    assert title == "Er is 1 fout. Verbeter die en probeer het opnieuw."
    assert items == [("Voortgangsgesprek 1: Vul een geldige datum in, bijvoorbeeld 15-06-2027.", "#id_talks-0-on")]
    assert 'value="15 juni"' in response.content.decode()  # what was typed stays, so it can be corrected


def _intake_with_wishes(client_file: Any, staff: Any, wishes: dict[str, str]) -> None:
    now = timezone.now()
    intake = Intake.objects.create(client_file=client_file, person=client_file.person, started_at=now,
                                   started_by=staff["kim"])  # fmt: skip
    LeefgebiedAssessment.objects.bulk_create(
        LeefgebiedAssessment(intake=intake, leefgebied=code, wishes=text, updated_at=now, updated_by=staff["kim"])
        for code, text in wishes.items()
    )


def test_prefill_takes_each_wish_once_and_no_health_wish(pip_file, actor, staff):
    client_file = pip_file()
    _intake_with_wishes(client_file, staff, {
        "taal_inburgering": "Werk en taal combineren.", "werk_inkomen": "werk en taal  combineren. ",
        "gezondheid": "Minder pijn in mijn rug.", "huisvesting": "Een groter huis.",
    })  # fmt: skip
    version = services.create_draft(actor=actor("kim"), client_file=client_file)
    rows = list(version.agreements.values_list("leefgebied", "goal", "action", "responsible"))
    assert rows == [
        ("taal_inburgering", "Werk en taal combineren.", "", "klant"),
        ("huisvesting", "Een groter huis.", "", "klant"),
    ]


def test_a_prefilled_concept_saves_and_is_complete_only_at_submit(pip_file, actor, staff, login):
    client_file = pip_file()
    _intake_with_wishes(client_file, staff, {"werk_inkomen": "Weer als elektricien werken."})
    kim = actor("kim")
    version = services.create_draft(actor=kim, client_file=client_file)
    response = post(login("kim"), version, {
        **{key: str(value) for key, value in GOOD.items() if isinstance(value, str)},
        "talks-0-on": "2027-03-01",
        "agreements-0-leefgebied": "werk_inkomen", "agreements-0-goal": "Weer als elektricien werken.",
        "agreements-0-responsible": "klant",  # what the prefill gives: nothing yet on what happens
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    version.refresh_from_db()
    with pytest.raises(ApplicationError) as raised:
        services.submit(actor=kim, client_file=client_file, version=version)
    assert raised.value.field_errors == {"agreements.0.action": ["Afspraak 1: schrijf op wat er gebeurt."]}
    version.refresh_from_db()
    assert version.status == "concept"
    assert version.agreements.get().due_on is None
    assert date(2027, 3, 1).isoformat() in version.progress_talk_dates
