"""The register of processing activities and the VNG Verwerkingenlogging export (#12 items 7 and 8)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from openinburgering.accounts.actor import Actor
from openinburgering.audit.catalogue import EVENT_TYPES
from openinburgering.audit.models import AuditEvent
from openinburgering.audit.processing import ACTIVITIES, BY_CODE, NAMESPACE, activity_for
from openinburgering.audit.services import record_event
from openinburgering.clients.models import ClientFile
from tests.api.conftest import events_of, invalid_params


@pytest.mark.parametrize("code", [event.code for event in EVENT_TYPES])
def test_every_audit_event_type_belongs_to_one_processing_activity(code: str) -> None:
    assert activity_for(code).code in BY_CODE


def test_an_unknown_event_type_is_a_programming_error() -> None:
    with pytest.raises(LookupError, match="'made_up' belongs to no processing activity"):
        activity_for("made_up")


def test_reads_of_the_intake_are_confidential_and_name_health_data() -> None:
    intake = activity_for("intake_viewed")
    assert intake.code == "brede_intake"
    assert intake.confidential is True
    assert [str(section) for section in intake.sections] == ["intake", "gezondheid"]
    assert "AVG art. 9 lid 2 sub a" in intake.legal_basis
    assert activity_for("monitoring_exported").sections == ()
    assert len({activity.uuid for activity in ACTIVITIES}) == len(ACTIVITIES) == 12


@pytest.fixture
def logged_file(make_file: Callable[..., ClientFile], actor: Callable[..., Actor]) -> ClientFile:
    client_file = make_file(assigned_to="kim")
    kim = actor("kim")
    record_event(actor=kim, event_type="client_file_viewed", purpose="regie", client_file=client_file)
    record_event(actor=kim, event_type="intake_viewed", purpose="regie", client_file=client_file)
    return client_file


@pytest.mark.django_db
def test_the_teamleider_exports_a_files_processing_actions_in_the_vng_shape(logged_file: ClientFile, api: Any) -> None:
    response = api("tamara").get(f"/api/v1/clients/{logged_file.pk}/verwerkingen")
    assert response.status_code == 200
    acties = response.json()["results"]
    intake_event = AuditEvent.objects.get(client_file=logged_file, event_type="intake_viewed")
    intake = next(actie for actie in acties if actie["ID"] == str(uuid.uuid5(NAMESPACE, f"actie:{intake_event.pk}")))
    assert intake["handelingNaam"] == "Inzien"
    assert intake["verwerkingNaam"] == "Brede intake en leerbaarheidstoets"
    assert intake["verwerkingsactiviteitID"] == str(BY_CODE["brede_intake"].uuid)
    assert intake["vertrouwelijkheid"] == "Vertrouwelijk"
    assert intake["bewaartermijn"] == 5
    assert intake["vervallen"] is False
    assert intake["verwerkteObjecten"] == [
        {
            "objecttype": "Persoon",
            "soortObjectID": "BSN",
            "objectID": logged_file.person.bsn,
            "betrokkenheid": "Inburgeringsplichtige",
            "verwerkteSoortenGegevens": [
                {"soortGegeven": "Brede intake per leefgebied"},
                {"soortGegeven": "Gezondheid (bijzonder persoonsgegeven)"},
            ],
        }
    ]
    assert "gebruiker" not in intake  # beperkteSet is the default, as in the standard
    assert {actie["verwerkingID"] for actie in acties} == {intake["verwerkingID"]}  # one processing per file
    assert events_of(logged_file)[-1] == "verwerkingen_exported"


@pytest.mark.django_db
def test_the_full_set_names_the_system_and_the_user_by_a_stable_id_never_a_name(
    logged_file: ClientFile, api: Any, staff: dict[str, Any]
) -> None:
    response = api("tamara").get(f"/api/v1/clients/{logged_file.pk}/verwerkingen", {"beperkteSet": "false"})
    assert response.status_code == 200
    viewed = next(actie for actie in response.json()["results"] if actie["naam"] == "Dossier bekeken")
    assert viewed["systeem"] == viewed["gegevensbron"] == "Open Inburgering"
    assert viewed["gebruiker"] == str(uuid.uuid5(NAMESPACE, f"gebruiker:{staff['kim'].pk}"))
    assert "Kim" not in response.content.decode()


@pytest.mark.django_db
def test_the_export_filters_by_period_and_refuses_a_period_that_ends_before_it_starts(
    logged_file: ClientFile, api: Any
) -> None:
    tamara = api("tamara")
    path = f"/api/v1/clients/{logged_file.pk}/verwerkingen"
    assert tamara.get(path, {"eindDatum": "2000-01-01"}).json()["results"] == []
    assert invalid_params(tamara.get(path, {"beginDatum": "2026-05-02", "eindDatum": "2026-05-01"})) == {
        "eindDatum": ["De einddatum ligt vóór de begindatum."]
    }
    assert list(invalid_params(tamara.get(path, {"beginDatum": "gisteren"}))) == ["beginDatum"]


@pytest.mark.django_db
def test_the_register_is_shown_to_the_functioneel_beheerder_only(login: Any, api: Any) -> None:
    page = login("fenna").get("/account/verwerkingsregister/")
    assert page.status_code == 200
    text = page.content.decode()
    for activity in ACTIVITIES:
        assert activity.name in text
    assert login("kim").get("/account/verwerkingsregister/").status_code == 404
    assert api("fenna").get("/api/v1/processing-activities").json()[2]["code"] == "brede_intake"
    assert api("kim").get("/api/v1/processing-activities").status_code == 403
