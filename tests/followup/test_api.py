"""The vervolg API: read, record, end; permission matrix, Problem Details errors and audit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.followup.models import FollowUpRecord
from tests.api.conftest import invalid_params, problem

from .conftest import HAARLEM, ZANDVOORT

pytestmark = pytest.mark.django_db


def path(client_file: ClientFile, suffix: str = "") -> str:
    return f"/api/v1/clients/{client_file.pk}/follow-up{suffix}"


def body(**overrides: object) -> dict[str, object]:
    return {
        "situation": "werk", "organisation": "Gemeente Haarlem", "hours_per_week": "32.0",
        "contact_on": today().isoformat(), "next_contact_on": (today() + timedelta(days=180)).isoformat(),
        **overrides,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("username", "gemeente", "status"),
    [
        ("kim", HAARLEM, 200),
        ("tamara", HAARLEM, 200),
        ("frank", HAARLEM, 404),  # need to know: no begeleiding/vervolg section (#12 item 1)
        ("zeynep", ZANDVOORT, 404),
        ("fenna", HAARLEM, 404),
        ("anouk", HAARLEM, 404),
        (None, HAARLEM, 401),
    ],
)
def test_read_permission_matrix(voldaan_file, api, username, gemeente, status):
    client_file = voldaan_file()
    response = api(username, gemeente).get(path(client_file))
    assert response.status_code == status
    if status != 200:
        problem(response)
    reads = AuditEvent.objects.filter(client_file=client_file, event_type="followup_read").count()
    assert reads == (1 if status == 200 else 0)


@pytest.mark.parametrize(
    ("username", "gemeente", "status"),
    [("kim", HAARLEM, 201), ("frank", HAARLEM, 404), ("zeynep", ZANDVOORT, 404), ("anouk", HAARLEM, 404)],
)
def test_write_permission_matrix(voldaan_file, api, username, gemeente, status):
    client_file = voldaan_file()
    response = api(username, gemeente).post(path(client_file), body(), format="json")
    assert response.status_code == status
    assert FollowUpRecord.objects.count() == (1 if status == 201 else 0)


def test_record_then_read_then_end(voldaan_file, api):
    client_file = voldaan_file()
    kim = api("kim")
    before = kim.get(path(client_file)).json()
    assert before["open"] is True
    assert (before["next_step_kind"], before["next_step_on"]) == ("followup_plan", today().isoformat())
    assert (before["current"], before["records"]) == (None, [])
    created = kim.post(path(client_file), body(), format="json")
    assert created.status_code == 201
    assert created.json()["hours_per_week"] == "32.0"
    assert created.json()["recorded_by"] == "Kim de Vries"
    after = kim.get(path(client_file)).json()
    assert after["current"]["situation"] == "werk"
    assert (after["next_step_kind"], after["next_step_on"]) == (
        "followup_contact", (today() + timedelta(days=180)).isoformat(),
    )  # fmt: skip
    assert len(after["records"]) == 1
    ended = kim.post(path(client_file, "/end"), {"reason": "Vaste baan."}, format="json")
    assert ended.status_code == 200
    assert ended.json() == {"status": "beeindigd", "reason": "Vervolg afgerond: Vaste baan."}
    assert kim.get(path(client_file)).json()["open"] is False
    assert AuditEvent.objects.filter(client_file=client_file, event_type="followup_recorded", via="api").count() == 1


def test_bad_input_is_a_problem_with_the_field(voldaan_file, api):
    client_file = voldaan_file()
    kim = api("kim")
    assert "situation" in invalid_params(kim.post(path(client_file), body(situation="vakantie"), format="json"))
    assert "hours_per_week" in invalid_params(kim.post(path(client_file), body(hours_per_week="99"), format="json"))
    assert "contact_on" in invalid_params(kim.post(path(client_file), body(contact_on="2026-02-30"), format="json"))
    errors = invalid_params(kim.post(path(client_file), body(next_contact_on=today().isoformat()), format="json"))
    assert errors["next_contact_on"] == ["Plan het volgende contact na vandaag."]
    assert "reason" in invalid_params(kim.post(path(client_file, "/end"), {}, format="json"))
    assert not FollowUpRecord.objects.exists()
    assert ClientFile.objects.get(pk=client_file.pk).status == "voldaan"


def test_no_follow_up_before_the_plicht(voldaan_file, api):
    client_file = voldaan_file(until="in_traject")
    response = api("kim").post(path(client_file), body(), format="json")
    assert response.status_code == 400
    assert "Dit dossier heeft de status 'In traject'." in problem(response)["detail"]
    assert api("kim").post(path(client_file, "/end"), {"reason": "x"}, format="json").status_code == 400
    assert ClientFile.objects.get(pk=client_file.pk).status == "in_traject"
