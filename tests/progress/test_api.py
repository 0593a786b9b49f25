"""The voortgang API: figures, judgement, settings; permission matrix and audit."""

from __future__ import annotations

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.progress.models import AfschalenJudgement, ProgressSettings
from tests.api.conftest import invalid_params, problem

pytestmark = pytest.mark.django_db


def path(client_file, suffix: str = "") -> str:
    return f"/api/v1/clients/{client_file.pk}/progress{suffix}"


def reads(client_file) -> int:
    return AuditEvent.objects.filter(client_file=client_file, event_type="progress_read").count()


@pytest.mark.parametrize(
    ("username", "gemeente", "status"),
    [
        ("kim", HAARLEM, 200),
        ("tamara", HAARLEM, 200),
        ("frank", HAARLEM, 404),  # need to know: no voortgang section (#12 item 1)
        ("zeynep", ZANDVOORT, 404),
        ("fenna", HAARLEM, 404),
        ("anouk", HAARLEM, 404),
        (None, HAARLEM, 401),
    ],
)
def test_progress_permission_matrix(placed, api, username, gemeente, status):
    client_file, _ = placed()
    response = api(username, gemeente).get(path(client_file))
    assert response.status_code == status
    if status != 200:
        problem(response)
    assert reads(client_file) == (1 if status == 200 else 0)


def test_progress_figures(placed, report, api):
    client_file, enrolment = placed()
    report(enrolment, 1, offered="10", attended="7.9", unauthorised="2.1")
    body = api("kim").get(path(client_file)).json()
    assert body["as_of"] == today().isoformat()
    assert body["attendance"]["rate_percent"] == "79.0"
    assert body["attendance"]["signal"] is True
    assert body["attendance"]["threshold_percent"] == 80
    [row] = body["enrolments"]
    assert row["hours_attended"] == "7.9"
    assert row["hours_absent_unauthorised"] == "2.1"
    assert row["signal"] is True
    assert body["voldaan"]["voldaan"] is False
    assert body["voldaan"]["missing"] == ["pvt", "map", "lezen", "luisteren", "schrijven", "spreken", "knm"]
    assert body["afschalen"]["reason"] == "under_600_hours"
    assert body["route_switch"]["open"] is True
    assert {o["to_route"] for o in body["route_switch"]["options"]} == {"onderwijs", "z"}
    assert body["pip"]["leerroute"] == "b1"
    assert body["progress_talks"] == {"planned": 2, "held": 0}
    assert body["extension"]["eligible"] is False


def test_judgement(placed, report, api):
    client_file, enrolment = placed()
    report(enrolment, 2, offered="600", attended="600")
    body = {"sufficient_effort": True, "b1_reachable_in_termijn": False, "reasoning": "Zes maanden les, B1 te hoog."}
    response = api("kim").post(path(client_file, "/judgement"), body)
    assert response.status_code == 201
    assert response.json()["allowed"] is True
    assert response.json()["nt2_course_hours"] == "600.0"
    assert api("kim").get(path(client_file)).json()["afschalen"]["allowed"] is True
    assert AuditEvent.objects.filter(client_file=client_file, event_type="afschalen_judgement_recorded").count() == 1


def test_judgement_bad_input_and_denied(placed, api):
    client_file, _ = placed()
    errors = invalid_params(api("kim").post(path(client_file, "/judgement"), {"sufficient_effort": "misschien"}))
    assert {"sufficient_effort", "b1_reachable_in_termijn", "reasoning"} <= set(errors)
    body = {"sufficient_effort": True, "b1_reachable_in_termijn": False, "reasoning": "x"}
    assert api("frank").post(path(client_file, "/judgement"), body).status_code == 404
    assert api("zeynep", ZANDVOORT).post(path(client_file, "/judgement"), body).status_code == 404
    assert api(None).post(path(client_file, "/judgement"), body).status_code == 401
    assert not AfschalenJudgement.objects.exists()


def test_settings_api(api):
    url = "/api/v1/progress-settings"
    assert api("fenna").get(url).json() == {"attendance_threshold_percent": 80}
    assert api("kim").get(url).status_code == 403
    assert api("kim").patch(url, {"attendance_threshold_percent": 50}).status_code == 403
    assert api(None).get(url).status_code == 401
    assert "attendance_threshold_percent" in invalid_params(
        api("fenna").patch(url, {"attendance_threshold_percent": 0})
    )
    assert not ProgressSettings.objects.exists()
    response = api("fenna").patch(url, {"attendance_threshold_percent": 60})
    assert response.status_code == 200
    assert response.json() == {"attendance_threshold_percent": 60}
    assert api("fenna").get(url).json() == {"attendance_threshold_percent": 60}
    assert AuditEvent.objects.filter(event_type="progress_settings_changed", via="api").count() == 1


def test_progress_api_constant_queries(placed, report, api, enrol, regional_contract, django_assert_max_num_queries):
    client_file, enrolment = placed()
    client = api("kim")
    client.get(path(client_file))  # warms the per-gemeente attendance threshold cache (#18)
    counts = []
    for weeks_back, component in ((1, "pvt"), (2, "map")):
        with django_assert_max_num_queries(30) as ctx:
            assert client.get(path(client_file)).status_code == 200
        counts.append(len(ctx.captured_queries))
        report(enrolment, weeks_back, offered="8", attended="8")
        enrol(client_file, regional_contract, component=component)
    assert counts[0] == counts[1]
