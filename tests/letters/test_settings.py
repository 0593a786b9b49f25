"""The gemeente's letter settings (issue #11 item 7): edited by the functioneel beheerder only, checked in Dutch,
audited, one row per gemeente, and easy to find from the start page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openinburgering.accounts.models import Gemeente
from openinburgering.audit.models import AuditEvent
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.letters.models import LetterSettings
from tests.clients.pages import assert_login_redirect

pytestmark = pytest.mark.django_db

PAGE = "/instellingen/brieven/"
VALID = {
    "team_name": "Team Inburgering",
    "phone": "14 023",
    "email": "inburgering@haarlem.nl",
    "contact_hours": "Maandag tot en met vrijdag van 9.00 tot 17.00 uur",
    "postal_address": "Postbus 511\r\n2003 PB Haarlem",
    "visiting_address": "Zijlvest 39\r\n2011 VB Haarlem",
    "bezwaar_address": (
        "College van burgemeester en wethouders\r\nt.a.v. Bezwaarschriften\r\nPostbus 511\r\n2003 PB Haarlem"
    ),
    "iban": "nl91 abna 0417 1643 00",
    "iban_name": "Gemeente Haarlem",
}


def test_the_url_is_instellingen_brieven():
    assert reverse("letter-settings:edit") == PAGE


def test_only_the_functioneel_beheerder_opens_the_page(client, login):
    assert_login_redirect(client.get(PAGE), PAGE)
    assert login("kim").get(PAGE).status_code == 404
    assert login("tamara").get(PAGE).status_code == 404
    response = login("fenna").get(PAGE)
    assert response.status_code == 200
    assert "Nog niet ingevuld." in response.content.decode()


def test_saving_stores_cleaned_values_and_audits_the_change(login, staff):
    response = login("fenna").post(PAGE, VALID)
    assert response.status_code == 302
    saved = LetterSettings.objects.get()
    assert saved.gemeente.code == HAARLEM
    assert saved.iban == "NL91ABNA0417164300"
    assert saved.postal_address == "Postbus 511\n2003 PB Haarlem"
    assert saved.updated_by == staff["fenna"]
    event = AuditEvent.objects.get(event_type="letter_settings_changed")
    assert event.actor == staff["fenna"]
    assert event.changes["iban"] == {"old": None, "new": "NL91ABNA0417164300"}
    assert event.changes["phone"] == {"old": None, "new": "14 023"}
    # Saving again with one change audits only that field.
    assert login("fenna").post(PAGE, {**VALID, "phone": "023 511 51 15"}).status_code == 302
    latest = AuditEvent.objects.filter(event_type="letter_settings_changed").order_by("-id").first()
    assert latest.changes == {"phone": {"old": "14 023", "new": "023 511 51 15"}}


def test_each_gemeente_has_its_own_settings(login):
    assert login("fenna").post(PAGE, VALID).status_code == 302
    page = login("ruben").get(PAGE).content.decode()
    assert "2003 PB Haarlem</textarea>" not in page
    assert "Nog niet ingevuld." in page
    assert login("ruben").post(PAGE, {**VALID, "postal_address": "Postbus 2\n2040 AA Zandvoort"}).status_code == 302
    by_gemeente = dict(LetterSettings.objects.values_list("gemeente__code", "postal_address"))
    assert by_gemeente == {HAARLEM: "Postbus 511\n2003 PB Haarlem", ZANDVOORT: "Postbus 2\n2040 AA Zandvoort"}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("iban", "NL91ABNA0417164301",
     "Dit IBAN klopt niet: het controlegetal past niet bij het nummer. Controleer het nummer."),
    ("iban", "1234", "Dit is geen IBAN."),
    ("phone", "bel ons", "Vul een telefoonnummer in met cijfers en spaties, bijvoorbeeld 14 023 of 023 511 51 15."),
    ("phone", "12", "Vul een telefoonnummer in met cijfers en spaties, bijvoorbeeld 14 023 of 023 511 51 15."),
    ("email", "inburgering@", "Vul een e-mailadres in zoals inburgering@gemeente.nl."),
    ("phone", "14 023\n023 1", "Gebruik hier één regel."),
])  # fmt: skip
def test_bad_input_gives_a_dutch_error_and_stores_nothing(login, field, value, message):
    response = login("fenna").post(PAGE, {**VALID, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not LetterSettings.objects.exists()
    assert not AuditEvent.objects.filter(event_type="letter_settings_changed").exists()


def test_the_start_page_links_to_the_settings_for_the_functioneel_beheerder_only(login):
    assert f'href="{PAGE}"' in login("fenna").get("/").content.decode()
    assert f'href="{PAGE}"' not in login("kim").get("/").content.decode()


def test_a_gemeente_without_settings_reads_as_empty_defaults():
    from openinburgering.letters.services import letter_settings_of

    settings = letter_settings_of(Gemeente.objects.get(code=ZANDVOORT))
    assert settings.pk is None
    assert (settings.phone, settings.bezwaar_address, settings.iban) == ("", "", "")
