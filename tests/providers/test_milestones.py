"""Module milestones from providers (issue #6 item 3): a progress report, the PVT signed, MAP themes and MAP ready
for the eindgesprek — by form in the portal and by API, with Dutch errors, once where it should be once, only for
the provider's own placements, audited, and shown to the klantregisseur on the voortgang page and API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError
from openinburgering.providers import services
from openinburgering.providers.models import ModuleMilestone
from tests.api.conftest import invalid_params

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(make_file, enrol, regional_contract):
    """One person with a PVT and a MAP placement at anouk's provider, both accepted, and a B1 placement."""
    client_file = make_file()
    return {
        "file": client_file,
        "pvt": enrol(client_file, regional_contract, component="pvt", accepted=True),
        "map": enrol(client_file, regional_contract, component="map", accepted=True),
        "b1": enrol(client_file, regional_contract, accepted=True),
    }


def record(actor, enrolment, **data):
    return services.record_milestone(actor=actor("anouk"), enrolment=enrolment, data={"happened_on": today(), **data})


def test_each_kind_for_its_component(placed, actor):
    record(actor, placed["pvt"], kind="pvt_ondertekend")
    record(actor, placed["map"], kind="map_thema", theme="netwerk")
    record(actor, placed["map"], kind="map_thema", theme="werk_vinden")
    record(actor, placed["map"], kind="map_klaar")
    record(actor, placed["b1"], kind="voortgangsverslag", note="Goede vooruitgang bij spreken.")
    record(actor, placed["b1"], kind="voortgangsverslag", note="Nog steeds goed.")  # reports: as often as needed
    assert ModuleMilestone.objects.count() == 6
    event = AuditEvent.objects.filter(event_type="module_milestone_recorded").order_by("id").first()
    assert event is not None
    assert event.client_file_id == placed["file"].pk
    assert event.changes == {"kind": "pvt_ondertekend", "theme": "", "happened_on": today().isoformat()}


@pytest.mark.parametrize(
    ("enrolment", "data", "field", "message"),
    [
        ("b1", {"kind": "pvt_ondertekend"}, "kind", "kunt u niet melden voor een plaatsing voor 'Taallessen B1-route'"),
        ("pvt", {"kind": "map_klaar"}, "kind", "kunt u niet melden"),
        ("map", {"kind": "map_thema"}, "theme", "Kies het MAP-thema"),
        ("map", {"kind": "map_thema", "theme": "koken"}, "theme", "Kies het MAP-thema"),
        ("b1", {"kind": "voortgangsverslag", "note": "  "}, "note", "Schrijf het voortgangsverslag."),
        ("b1", {"kind": "voortgangsverslag", "note": "x" * 2001}, "note", "maximaal 2.000 tekens"),
        ("pvt", {"kind": "pvt_ondertekend", "happened_on": None}, "happened_on", "Vul de datum in."),
        ("pvt", {"kind": "pvt_ondertekend", "happened_on": today() + timedelta(days=1)}, "happened_on", "toekomst"),
        ("pvt", {"kind": ""}, "kind", "Kies wat u meldt."),
    ],
)
def test_bad_input_gets_a_dutch_reason_and_writes_nothing(placed, actor, enrolment, data, field, message):
    with pytest.raises(ApplicationError) as error:
        record(actor, placed[enrolment], **data)
    assert any(message in text for text in error.value.field_errors[field]), error.value.field_errors
    assert not ModuleMilestone.objects.exists()
    assert not AuditEvent.objects.filter(event_type="module_milestone_recorded").exists()


def test_a_milestone_is_reported_once(placed, actor):
    record(actor, placed["pvt"], kind="pvt_ondertekend", happened_on=today() - timedelta(days=3))
    with pytest.raises(ApplicationError) as error:
        record(actor, placed["pvt"], kind="pvt_ondertekend")
    expected = f"Dit is al gemeld op {(today() - timedelta(days=3)):%d-%m-%Y}. Het hoeft niet opnieuw."
    assert error.value.field_errors["kind"] == [expected]
    record(actor, placed["map"], kind="map_thema", theme="netwerk")
    with pytest.raises(ApplicationError) as error:
        record(actor, placed["map"], kind="map_thema", theme="netwerk")
    assert error.value.field_errors == {"kind": [f"Dit is al gemeld op {today():%d-%m-%Y}. Het hoeft niet opnieuw."]}
    assert ModuleMilestone.objects.count() == 2


def test_the_database_keeps_it_once_and_insert_only(placed, actor, staff):
    milestone = record(actor, placed["pvt"], kind="pvt_ondertekend")
    with pytest.raises(IntegrityError), transaction.atomic():
        ModuleMilestone.objects.create(
            enrolment=placed["pvt"], kind="pvt_ondertekend", happened_on=today(), recorded_at=milestone.recorded_at,
            recorded_by=staff["anouk"],
        )  # fmt: skip
    with pytest.raises(TypeError, match="insert-only"):
        milestone.save()


def test_not_before_the_placement_is_accepted(make_file, enrol, regional_contract, actor):
    proposed = enrol(make_file(), regional_contract, component="pvt")
    with pytest.raises(ApplicationError) as error:
        record(actor, proposed, kind="pvt_ondertekend")
    assert "Accepteer de plaatsing eerst" in error.value.field_errors["enrolment"][0]


def test_portal_form_and_list(placed, login):
    anouk = login("anouk")
    url = reverse("portal:action", kwargs={"enrolment_id": placed["map"].pk, "action": "module"})
    page = reverse("portal:enrolment", kwargs={"enrolment_id": placed["map"].pk})
    bad = anouk.post(url, {"milestone-kind": "map_thema", "milestone-happened_on": today().isoformat()})
    assert bad.status_code == 400
    assert "Kies het MAP-thema dat de persoon heeft afgerond." in bad.content.decode()
    good = anouk.post(
        url, {"milestone-kind": "map_thema", "milestone-theme": "netwerk", "milestone-happened_on": today().isoformat()}
    )
    assert good.status_code == 302
    html = anouk.get(page).content.decode()
    assert "Uw melding over de module is opgeslagen." in html
    assert "MAP-thema afgerond: Netwerk" in html


def test_another_provider_cannot_report_or_see(placed, login, other_provider):
    piet = login("piet")
    url = reverse("portal:action", kwargs={"enrolment_id": placed["pvt"].pk, "action": "module"})
    response = piet.post(url, {"milestone-kind": "pvt_ondertekend", "milestone-happened_on": today().isoformat()})
    assert response.status_code == 404
    assert not ModuleMilestone.objects.exists()


def test_api(placed, api, other_provider):
    body = {"enrolment": placed["pvt"].pk, "kind": "pvt_ondertekend", "happened_on": today().isoformat()}
    created = api("anouk").post("/api/v1/provider/milestones", body, format="json")
    assert created.status_code == 201
    assert created.json()["kind"] == "pvt_ondertekend"
    again = api("anouk").post("/api/v1/provider/milestones", body, format="json")
    assert invalid_params(again)["kind"][0].startswith("Dit is al gemeld op")
    assert api("piet").post("/api/v1/provider/milestones", body, format="json").status_code == 404
    assert api("kim").post("/api/v1/provider/milestones", body, format="json").status_code == 404
    bad = api("anouk").post("/api/v1/provider/milestones", {**body, "kind": "koken"}, format="json")
    assert "kind" in invalid_params(bad)
    assert ModuleMilestone.objects.count() == 1


def test_the_klantregisseur_sees_it_on_the_voortgang(placed, actor, login, api):
    record(actor, placed["pvt"], kind="pvt_ondertekend", happened_on=today() - timedelta(days=2))
    for theme in ("netwerk", "werk_vinden", "werkcultuur"):
        record(actor, placed["map"], kind="map_thema", theme=theme)
    record(actor, placed["map"], kind="map_klaar")
    record(actor, placed["b1"], kind="voortgangsverslag", note="Spreekt nu in korte zinnen.")
    html = " ".join(
        login("kim").get(reverse("progress:index", kwargs={"file_id": placed["file"].pk})).content.decode().split()
    )
    signed = (today() - timedelta(days=2)).strftime("%d-%m-%Y")
    assert f"De aanbieder meldde: ondertekend op {signed}. Leg het vast bij Handhaving en voldaan." in html
    assert "Thema's afgerond (gemeld door de aanbieder): 3 van 8: Netwerk, Werk vinden, Werkcultuur." in html
    assert "<strong>Klaar voor het eindgesprek</strong>" in html
    assert "Spreekt nu in korte zinnen." in html
    module = api("kim").get(f"/api/v1/clients/{placed['file'].pk}/progress").json()["module"]
    assert module["pvt_signed_reported_on"] == (today() - timedelta(days=2)).isoformat()
    assert module["map_themes_done"] == ["Netwerk", "Werk vinden", "Werkcultuur"]
    assert module["map_themes_total"] == 8
    assert module["progress_reports"][0]["note"] == "Spreekt nu in korte zinnen."


def test_the_portal_form_offers_only_what_fits_the_placement(placed, login):
    anouk = login("anouk")
    b1 = anouk.get(reverse("portal:enrolment", kwargs={"enrolment_id": placed["b1"].pk})).content.decode()
    assert 'value="voortgangsverslag"' in b1
    assert 'value="pvt_ondertekend"' not in b1
    assert 'name="milestone-theme"' not in b1
    map_page = anouk.get(reverse("portal:enrolment", kwargs={"enrolment_id": placed["map"].pk})).content.decode()
    assert 'value="map_klaar"' in map_page
    assert 'name="milestone-theme"' in map_page
