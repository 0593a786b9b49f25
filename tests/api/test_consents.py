"""The consent register API (#12 item 1): list, record and withdraw a person's consent; permission matrix, audit,
Dutch errors, and a withdrawal that hides the person's health answers at once, also in the intake API."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import Consent, ConsentWithdrawal
from openinburgering.demo.personas import ZANDVOORT
from openinburgering.households.services import add_household_member
from openinburgering.intakes import services as intake_services

from .conftest import invalid_params, problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(actor, make_file):
    kim = actor("kim")
    client_file = make_file(assigned_to="kim")
    partner = add_household_member(
        actor=kim, client_file=client_file, relation="partner", started_on=date(2025, 7, 1),
        person_data={"given_names": "Rana", "surname": "Haddad", "birth_on": date(1992, 2, 3)},
    ).person  # fmt: skip
    return {"kim": kim, "file": client_file, "partner": partner, "url": f"/api/v1/clients/{client_file.pk}/consents"}


def state(client_file) -> tuple[int, int, int]:
    return (
        Consent.objects.filter(client_file=client_file).count(),
        ConsentWithdrawal.objects.filter(consent__client_file=client_file).count(),
        AuditEvent.objects.filter(client_file=client_file).count(),
    )


def test_kim_records_lists_and_withdraws_a_partners_consent(setup, api):
    s = setup
    kim = api("kim")
    created = kim.post(s["url"], {"purpose": "gezondheid", "person": s["partner"].pk, "given_on": "2025-08-01",
                                  "how": "Mondeling in het gesprek, met tolk"})  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["person"] == {"id": s["partner"].pk, "full_name": "Rana Haddad", "is_file_person": False}
    assert (body["purpose"], body["given_on"], body["how"], body["is_active"], body["withdrawn_on"]) == (
        "gezondheid", "2025-08-01", "Mondeling in het gesprek, met tolk", True, None)  # fmt: skip
    own = kim.post(s["url"], {"purpose": "gezondheid", "given_on": "2025-08-02", "how": "Schriftelijk"})
    assert own.status_code == 201
    assert own.json()["person"]["is_file_person"] is True
    listed = kim.get(s["url"])
    assert listed.status_code == 200
    assert [(row["id"], row["is_active"]) for row in listed.json()] == [
        (own.json()["id"], True), (body["id"], True)]  # fmt: skip
    withdrawn = kim.post(f"{s['url']}/{body['id']}/withdraw", {"withdrawn_on": date.today().isoformat()})
    assert withdrawn.status_code == 200
    assert (withdrawn.json()["is_active"], withdrawn.json()["withdrawn_on"]) == (False, date.today().isoformat())
    events = list(AuditEvent.objects.filter(client_file=s["file"], event_type__startswith="consent")
                  .order_by("id").values_list("event_type", "via"))  # fmt: skip
    assert events == [("consent_recorded", "api"), ("consent_recorded", "api"), ("consents_viewed", "api"),
                      ("consent_revoked", "api")]  # fmt: skip
    again = kim.post(f"{s['url']}/{body['id']}/withdraw", {"withdrawn_on": date.today().isoformat()})
    assert again.status_code == 409
    assert problem(again)["detail"] == "Deze toestemming is al ingetrokken."


def test_bad_input_gives_clear_dutch_400s_and_writes_nothing(setup, api, make_file):
    s = setup
    kim = api("kim")
    before = state(s["file"])
    stranger = make_file(assigned_to="kim").person
    cases = [
        ({"purpose": "gezondheid", "given_on": "2025-08-01", "how": "x", "person": stranger.pk},
         "person", "Kies de inburgeraar of iemand uit zijn of haar huishouden."),
        ({"purpose": "financien", "given_on": "2025-08-01", "how": "x"},
         "purpose", "Dit is geen bekende code. Kies een van de codes uit de API-beschrijving."),
        ({"purpose": "gezondheid", "given_on": (date.today() + timedelta(days=1)).isoformat(), "how": "x"},
         "given_on", "De datum van de toestemming ligt in de toekomst."),
        ({"purpose": "gezondheid", "given_on": "2025-08-01", "how": "   "},
         "how", "Dit veld mag niet leeg zijn."),
        ({"purpose": "gezondheid", "given_on": "1 augustus", "how": "x"},
         "given_on", "Dit is geen geldige datum. Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2025-03-31."),
        ({"purpose": "gezondheid", "given_on": "2025-08-01", "how": "x", "person": 2**63},
         "person", "Dit getal is te groot (hoogstens 9223372036854775807)."),
        ({"purpose": "gezondheid", "given_on": "2025-08-01", "how": "x", "extra": 1},
         "extra", "Dit veld bestaat niet of kan niet worden meegestuurd."),
    ]  # fmt: skip
    for payload, field, message in cases:
        response = kim.post(s["url"], payload)
        assert invalid_params(response).get(field) == [message], (payload, response.content)
    assert state(s["file"]) == before
    consent = kim.post(s["url"], {"purpose": "gezondheid", "given_on": "2025-08-01", "how": "Mondeling"}).json()
    early = kim.post(f"{s['url']}/{consent['id']}/withdraw", {"withdrawn_on": "2025-07-31"})
    assert invalid_params(early) == {
        "withdrawn_on": ["De datum van intrekken ligt in de toekomst of vóór de toestemming."]
    }
    duplicate = kim.post(s["url"], {"purpose": "gezondheid", "given_on": "2025-08-01", "how": "Mondeling"})
    assert duplicate.status_code == 409
    assert problem(duplicate)["detail"] == "Deze toestemming is al vastgelegd en niet ingetrokken."
    assert kim.post(f"{s['url']}/999999999/withdraw", {"withdrawn_on": "2025-08-02"}).status_code == 404


@pytest.mark.parametrize(
    ("username", "gemeente", "expected"),
    [("kim", None, 200), ("tamara", None, 200), ("frank", None, 404), ("mira", None, 404), ("fenna", None, 404),
     ("zeynep", ZANDVOORT, 404), (None, None, 401)],
)  # fmt: skip
def test_permission_matrix(setup, api, username, gemeente, expected):
    s = setup
    consent = api("kim").post(s["url"], {"purpose": "gezondheid", "given_on": "2025-08-01", "how": "Mondeling"})
    consent_id = consent.json()["id"]
    before = state(s["file"])
    client = api(username, gemeente) if gemeente else api(username)
    assert client.get(s["url"]).status_code == expected
    reads = 1 if expected == 200 else 0
    assert state(s["file"]) == (before[0], before[1], before[2] + reads)
    created = client.post(s["url"], {"purpose": "gezondheid", "person": s["partner"].pk, "given_on": "2025-08-01",
                                     "how": "Mondeling"})  # fmt: skip
    withdrawn = client.post(f"{s['url']}/{consent_id}/withdraw", {"withdrawn_on": date.today().isoformat()})
    if expected == 200:
        assert (created.status_code, withdrawn.status_code) == (201, 200)
        assert state(s["file"])[:2] == (before[0] + 1, before[1] + 1)
    else:
        assert (created.status_code, withdrawn.status_code) == (expected, expected)
        assert state(s["file"]) == (before[0], before[1], before[2])


def test_a_withdrawal_through_the_api_hides_the_health_answers_at_once(setup, api):
    s = setup
    intake = intake_services.start_intake(actor=s["kim"], client_file=s["file"], person_id=s["partner"].pk)
    intake_services.save_assessment(
        actor=s["kim"], client_file=s["file"], intake=intake, leefgebied="gezondheid", score=3,
        details={"health_consent": "ja", "physical": "Suikerziekte, gebruikt insuline"},
    )  # fmt: skip
    kim = api("kim")
    intake_url = f"/api/v1/clients/{s['file'].pk}/intakes/{intake.pk}"
    assert "Suikerziekte" in kim.get(intake_url).content.decode()
    (consent,) = [row for row in kim.get(s["url"]).json() if row["is_active"]]
    assert consent["person"]["id"] == s["partner"].pk
    assert consent["how"] == "Gevraagd in de brede intake (leefgebied gezondheid)"
    response = kim.post(f"{s['url']}/{consent['id']}/withdraw", {"withdrawn_on": date.today().isoformat()})
    assert response.status_code == 200
    after = kim.get(intake_url)
    assert "Suikerziekte" not in after.content.decode()
    (row,) = [a for a in after.json()["assessments"] if a["leefgebied"] == "gezondheid"]
    assert (row["score"], row["details"], row["health_visible"]) == (None, None, False)
