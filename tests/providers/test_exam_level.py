"""#11 item 9: KNM has no level. A provider's exam report for KNM with a level is refused with a clear Dutch
error (service, portal form and API, and so the same for every door); a language part still needs A2 or B1."""

from __future__ import annotations

from datetime import timedelta

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError
from openinburgering.providers import services
from openinburgering.providers.models import ExamResult
from tests.api.conftest import invalid_params

KNM_LEVEL_ERROR = "KNM heeft geen niveau. Laat het niveau leeg."

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(make_file, enrol, regional_contract):
    return enrol(make_file(), regional_contract, accepted=True)


def exam(**changes: object) -> dict[str, object]:
    return {"part": "knm", "level": "", "exam_on": today() - timedelta(days=2), "passed": True, **changes}


def test_knm_with_a_level_is_refused_and_nothing_is_written(accepted, actor) -> None:
    with pytest.raises(ApplicationError) as info:
        services.record_exam_result(actor=actor("anouk"), enrolment=accepted, data=exam(level="B1"))
    assert info.value.field_errors == {"level": [KNM_LEVEL_ERROR]}
    assert not ExamResult.objects.exists()
    assert not AuditEvent.objects.filter(event_type="exam_result_recorded").exists()


def test_knm_without_a_level_is_stored_without_one(accepted, actor) -> None:
    result = services.record_exam_result(actor=actor("anouk"), enrolment=accepted, data=exam())
    assert (result.part, result.level, result.passed) == ("knm", "", True)


def test_a_language_part_still_needs_a_level(accepted, actor) -> None:
    with pytest.raises(ApplicationError) as info:
        services.record_exam_result(actor=actor("anouk"), enrolment=accepted, data=exam(part="lezen"))
    assert info.value.field_errors == {"level": ["Kies het niveau: A2 of B1."]}


def test_portal_form_shows_the_knm_error_on_the_level_field(accepted, login) -> None:
    url = f"/portaal-aanbieder/plaatsingen/{accepted.pk}/examen/"
    data = {"exam-part": "knm", "exam-level": "B1", "exam-exam_on": today().isoformat(), "exam-passed": "ja"}
    response = login("anouk").post(url, data)
    assert response.status_code == 400
    assert KNM_LEVEL_ERROR in response.content.decode()
    assert not ExamResult.objects.exists()
    assert login("anouk").post(url, {**data, "exam-level": ""}).status_code == 302
    assert ExamResult.objects.get().level == ""


def test_api_refuses_knm_with_a_level_and_accepts_it_without(accepted, api) -> None:
    client = api("anouk")
    body = {"enrolment": accepted.pk, "part": "knm", "level": "B1", "exam_on": today().isoformat(), "passed": True}
    refused = client.post("/api/v1/provider/exam-results", body)
    assert refused.status_code == 400
    assert invalid_params(refused) == {"level": [KNM_LEVEL_ERROR]}
    assert not ExamResult.objects.exists()
    without_level = {key: value for key, value in body.items() if key != "level"}
    created = client.post("/api/v1/provider/exam-results", without_level)
    assert created.status_code == 201, created.content
    assert created.json()["level"] == ""
