"""Voldaan is confirmed only when rules.voldaan says every part is done (page, API, service); the general status
form cannot set it; afterwards the file moves on to the vervolg."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.clients.services import change_status
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError
from openinburgering.handhaving import services
from tests.api.conftest import invalid_params, problem

pytestmark = pytest.mark.django_db


def achieve(actor, client_file, **data):
    services.record_achievement(actor=actor("kim"), client_file=client_file, data={"achieved_on": today(), **data})


def done_z_route(fine_file, actor) -> ClientFile:
    client_file = fine_file(leerroute="z", level="", estimated_b1_intensity=None)
    for data in ({"kind": "pvt"}, {"kind": "map"}, {"kind": "z_course_hours", "hours": "800"},
                 {"kind": "z_participation_hours", "hours": "800"}, {"kind": "z_final_interview"}):  # fmt: skip
        achieve(actor, client_file, **data)
    return client_file


def test_the_service_confirms_voldaan_from_the_rules(fine_file, actor):
    client_file = done_z_route(fine_file, actor)
    assert client_file.status == "in_traject"
    change = services.record_voldaan(actor=actor("kim"), client_file=client_file)
    assert change.reason == "Voldaan: alle onderdelen van de Z-route zijn behaald (artikel 6 Wet inburgering 2021)."
    stored = ClientFile.objects.get(pk=client_file.pk)
    assert (stored.status, stored.next_deadline_kind, stored.next_deadline_on) == ("voldaan", "followup_plan", today())
    event = AuditEvent.objects.filter(event_type="client_status_changed", client_file=client_file).latest("id")
    assert event.changes == {"status": {"old": "in_traject", "new": "voldaan"}}


def test_not_yet_voldaan_says_what_is_missing_and_changes_nothing(fine_file, actor):
    client_file = fine_file(leerroute="z", level="", estimated_b1_intensity=None)
    achieve(actor, client_file, kind="pvt")
    with pytest.raises(ApplicationError) as error:
        services.record_voldaan(actor=actor("kim"), client_file=client_file)
    assert error.value.message.startswith("Nog niet voldaan. Dit ontbreekt nog: ")
    assert "MAP" in error.value.message
    assert ClientFile.objects.get(pk=client_file.pk).status == "in_traject"


def test_the_general_status_change_cannot_set_voldaan(fine_file, actor, login, api):
    client_file = fine_file()
    with pytest.raises(ApplicationError) as error:
        change_status(actor=actor("kim"), client_file=client_file, to_status="voldaan", reason="Klaar.")
    assert "pagina Handhaving en voldaan" in error.value.field_errors["to_status"][0]
    page = login("kim").post(
        reverse("clients:change-status", kwargs={"file_id": client_file.pk}),
        {"to_status": "voldaan", "reason": "Klaar."},
    )
    assert page.status_code == 400
    assert "Voldaan legt u vast op de pagina Handhaving en voldaan." in page.content.decode()
    detail = login("kim").get(reverse("clients:detail", kwargs={"file_id": client_file.pk})).content.decode()
    assert '<option value="voldaan">' not in detail
    assert 'id="voldaan-uitleg"' in detail
    response = api("kim").post(
        f"/api/v1/clients/{client_file.pk}/status-changes", {"to_status": "voldaan", "reason": "Klaar."}, format="json"
    )
    assert "to_status" in invalid_params(response)
    assert "voldaan" not in api("kim").get(f"/api/v1/clients/{client_file.pk}").json()["allowed_next_statuses"]
    assert ClientFile.objects.get(pk=client_file.pk).status == "in_traject"


def url(client_file: ClientFile) -> str:
    return reverse("handhaving:index", kwargs={"file_id": client_file.pk})


def test_the_page_offers_the_button_only_when_the_rules_say_voldaan(fine_file, actor, login):
    not_yet = fine_file(leerroute="z", level="", estimated_b1_intensity=None)
    kim = login("kim")
    assert "Voldaan vastleggen</button>" not in " ".join(kim.get(url(not_yet)).content.decode().split())
    refused = kim.post(reverse("handhaving:voldaan", kwargs={"file_id": not_yet.pk}))
    assert refused.status_code == 400
    assert 'id="voldaan-fout"' in refused.content.decode()
    client_file = done_z_route(fine_file, actor)
    html = " ".join(kim.get(url(client_file)).content.decode().split())
    assert "Voldaan vastleggen </button>" in html
    frank = login("frank").post(reverse("handhaving:voldaan", kwargs={"file_id": client_file.pk}))
    assert frank.status_code == 404
    response = kim.post(reverse("handhaving:voldaan", kwargs={"file_id": client_file.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("followup:index", kwargs={"file_id": client_file.pk})
    followed = kim.get(response["Location"]).content.decode()
    assert "Voldaan is vastgelegd. Leg nu het vervolg vast" in followed
    assert 'id="voldaan-status"' in kim.get(url(client_file)).content.decode()


def test_the_api_confirms_voldaan(fine_file, actor, api):
    not_yet = fine_file()
    refused = api("kim").post(f"/api/v1/clients/{not_yet.pk}/voldaan/record")
    assert refused.status_code == 400
    assert "Dit ontbreekt nog" in problem(refused)["detail"]
    client_file = done_z_route(fine_file, actor)
    assert api("frank").post(f"/api/v1/clients/{client_file.pk}/voldaan/record").status_code == 404
    assert api("zeynep", "GM0473").post(f"/api/v1/clients/{client_file.pk}/voldaan/record").status_code == 404
    response = api("kim").post(f"/api/v1/clients/{client_file.pk}/voldaan/record")
    assert response.status_code == 201
    assert response.json()["status"] == "voldaan"
    again = api("kim").post(f"/api/v1/clients/{client_file.pk}/voldaan/record")
    assert again.status_code == 400  # already voldaan: nothing changes twice
    assert "status 'Voldaan'" in problem(again)["detail"]
