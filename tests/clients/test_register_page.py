from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile, Person
from openinburgering.core.dates import today
from openinburgering.demo.personas import ZANDVOORT

from .pages import assert_login_redirect

URL = "/dossiers/aanmelden/"
VALID_BSN = "999993653"

pytestmark = pytest.mark.django_db


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "bsn": VALID_BSN,
        "v_number": "",
        "given_names": "Samira",
        "surname_prefix": "al",
        "surname": "Khatib",
        "birth_on": "14-02-1992",
        "sex": "V",
        "nationality": "0000",
        "birth_country": "",
        "languages": "Arabisch, Engels",
        "interpreter_needed": "on",
        "interpreter_language": "Arabisch",
        "street": "Grote Markt",
        "house_number": "2",
        "postcode": "2011 rd",
        "city": "Haarlem",
        "phone": "0612345678",
        "email": "samira@example.org",
        "residence": "asiel",
        "residence_purpose": "",
        "doelgroep": "asielstatushouder",
        "residence_from_on": "2025-06-02",
        "kennisgeving_on": "2025-07-01",
        "coa_koppeling_on": "",
        "registered_on": "",
        "housed_on": "",
        "assigned_to": "",
        "team": "",
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, int, int]:
    return Person.objects.count(), ClientFile.objects.count(), AuditEvent.objects.count()


def test_the_form_opens_for_a_klantregisseur_with_herself_as_default(login, staff):
    response = login("kim").get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<option value="{staff["kim"].pk}" selected>Kim de Vries</option>' in content
    assert '<option value="0001">Nederlandse</option>' in content
    assert "<legend" in content


@pytest.mark.parametrize("username", ["bram", "anouk", "fenna", "frank", "mira"])
def test_the_form_is_404_for_roles_that_do_not_register(login, username):
    assert login(username).get(URL).status_code == 404
    before = counts()
    assert login(username).post(URL, form_data()).status_code == 404
    assert counts() == before


def test_anonymous_goes_to_login_and_nothing_is_written(client):
    before = counts()
    assert_login_redirect(client.post(URL, form_data()), URL)
    assert counts() == before


def test_a_valid_aanmelding_creates_person_and_file_and_opens_it(login, staff):
    browser = login("kim")
    response = browser.post(URL, form_data(assigned_to=staff["kim"].pk))
    client_file = ClientFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{client_file.pk}/"
    person = client_file.person
    assert (person.bsn, person.given_names, person.surname_prefix, person.surname) == (
        VALID_BSN,
        "Samira",
        "al",
        "Khatib",
    )
    assert person.birth_on.isoformat() == "1992-02-14"
    assert person.nationality_id == "0000"
    assert person.interpreter_needed is True
    assert person.postcode == "2011RD"
    assert client_file.assigned_to == staff["kim"]
    assert client_file.team is not None
    assert client_file.team.name == "Team Noord"
    assert client_file.status == "aangemeld"
    assert client_file.kennisgeving_on.isoformat() == "2025-07-01"
    assert client_file.next_deadline_kind in {"pip_due", "pip_waiting"}
    assert list(AuditEvent.objects.filter(client_file=client_file).values_list("event_type", flat=True)) == [
        "client_file_registered"
    ]
    page = browser.get(response["Location"]).content.decode()
    assert "De aanmelding is opgeslagen." in page


def test_a_v_nummer_is_enough_when_the_bsn_is_not_known(login):
    response = login("kim").post(URL, form_data(bsn="", v_number="1234567890"))
    assert response.status_code == 302
    assert Person.objects.get().v_number == "1234567890"


def test_without_bsn_and_v_nummer_the_form_asks_for_one(login):
    before = counts()
    response = login("kim").post(URL, form_data(bsn="", v_number=""))
    assert response.status_code == 200
    assert "Vul een BSN in. Is het BSN nog niet bekend? Vul dan het V-nummer in." in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"bsn": "123456789"}, "bsn", "Dit BSN klopt niet. Een BSN heeft 9 cijfers en moet voldoen aan de elfproef."),
        (
            {"birth_on": (today() + timedelta(days=1)).isoformat()},
            "birth_on",
            "De geboortedatum kan niet in de toekomst liggen.",
        ),
        ({"birth_on": "31-02-1990"}, "birth_on", "Vul een geldige datum in, bijvoorbeeld 31-12-2024."),
        (
            {"kennisgeving_on": "1990-01-01"},
            "kennisgeving_on",
            "De datum van de kennisgeving kan niet voor de geboortedatum liggen.",
        ),
        (
            {"housed_on": (today() + timedelta(days=3)).isoformat()},
            "housed_on",
            "De datum van huisvesting kan niet in de toekomst liggen.",
        ),
        ({"nationality": "9999"}, "nationality", "Deze nationaliteitscode bestaat niet (BRP-tabel 32)."),
        ({"birth_country": "0XX0"}, "birth_country", "Deze landcode bestaat niet (BRP-tabel 34)."),
        ({"v_number": "12345"}, "v_number", "Een V-nummer heeft 10 cijfers."),
        ({"surname": "  "}, "surname", "Vul de achternaam in."),
        ({"interpreter_language": ""}, "interpreter_language", "Vul in welke taal de tolk moet spreken."),
        (
            {"residence_purpose": "studie"},
            "residence_purpose",
            "Een verblijfsdoel hoort alleen bij een reguliere verblijfsvergunning.",
        ),
        ({"email": "geen-mail"}, "email", "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
        ({"doelgroep": "alien"}, "doelgroep", "Kies een van de mogelijkheden."),
    ],
)
def test_bad_input_gets_a_dutch_message_at_the_field_and_nothing_is_written(login, overrides, field, message):
    before = counts()
    response = login("kim").post(URL, form_data(**overrides))
    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    assert f'aria-describedby="id_{field}_error"' in content or f'id_{field}_helptext id_{field}_error"' in content
    assert message in content
    assert f'href="#id_{field}"' in content  # the error summary links to the field
    assert counts() == before


def test_every_problem_is_shown_at_once(login):
    response = login("kim").post(URL, form_data(bsn="123456789", surname="", birth_on="2990-01-01"))
    errors = response.context["form"].errors
    assert sorted(errors) == ["birth_on", "bsn", "surname"]


def test_the_form_keeps_what_was_typed_after_an_error(login):
    content = login("kim").post(URL, form_data(bsn="123456789")).content.decode()
    assert 'value="Samira"' in content
    assert 'value="123456789"' in content
    assert '<option value="asielstatushouder" selected>' in content


def test_a_bsn_with_an_open_file_is_refused(login, make_file):
    existing = make_file()
    before = counts()
    response = login("kim").post(URL, form_data(bsn=existing.person.bsn))
    assert response.status_code == 200
    assert "Deze persoon heeft al een open dossier. Zoek de persoon op." in response.content.decode()
    assert counts() == before


def test_the_same_bsn_in_another_gemeente_is_a_different_person(login, make_file):
    existing = make_file(ZANDVOORT)
    response = login("kim").post(URL, form_data(bsn=existing.person.bsn))
    assert response.status_code == 302
    assert Person.objects.filter(bsn=existing.person.bsn).count() == 2


def test_assigning_to_a_caseworker_of_another_gemeente_is_refused(login, staff):
    before = counts()
    response = login("kim").post(URL, form_data(assigned_to=staff["zeynep"].pk))
    assert response.status_code == 200
    assert "Kies een medewerker uit de lijst." in response.content.decode()
    assert counts() == before
