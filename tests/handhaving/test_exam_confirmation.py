"""#11 item 10: exam results come from DUO. A provider's report of a passed exam is a signal to check: voldaan and
the handhaving page count only DUO results (recorded as achievements) and provider reports the gemeente confirmed
with the evidence noted (insert-only ExamConfirmation, audited). Unconfirmed reports show as 'gemeld door
aanbieder, nog niet bevestigd' on the voortgang and handhaving pages and in their API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.handhaving import services
from openinburgering.handhaving.models import ExamConfirmation
from openinburgering.providers.models import ExamResult
from tests.api.conftest import invalid_params
from tests.providers.conftest import anouk_provider, enrol, regional_contract  # noqa: F401 -- shared fixtures

pytestmark = pytest.mark.django_db

PARTS = ("lezen", "luisteren", "schrijven", "spreken", "knm")
EVIDENCE = "Uitslag gezien in Mijn Inburgering (DUO-bericht van vorige week)."
UNCONFIRMED = "gemeld door aanbieder, nog niet bevestigd"


@pytest.fixture
def reported(fine_file, actor, enrol, regional_contract):  # noqa: F811 -- fixtures imported by name
    """A B1-route file with PVT and MAP recorded, and all five exam parts reported as passed by the provider."""
    client_file = fine_file()
    for kind in ("pvt", "map"):
        services.record_achievement(actor=actor("kim"), client_file=client_file,
                                    data={"kind": kind, "achieved_on": today()})  # fmt: skip
    enrolment = enrol(client_file, regional_contract, accepted=True)
    anouk = actor("anouk").user
    for part in PARTS:
        ExamResult.objects.create(
            enrolment=enrolment, part=part, level="" if part == "knm" else "B1", passed=True,
            exam_on=today() - timedelta(days=5), recorded_at=timezone.now(), recorded_by=anouk,
        )  # fmt: skip
    return client_file


def results(client_file) -> list[ExamResult]:
    return list(ExamResult.objects.filter(enrolment__client_file=client_file).order_by("id"))


def test_only_provider_reported_exams_do_not_make_voldaan(reported, actor):
    check = services.current_voldaan_check(reported)
    assert check is not None
    assert check.result.voldaan is False
    assert [str(code) for code in check.result.missing] == list(PARTS)
    with pytest.raises(ApplicationError) as error:
        services.record_voldaan(actor=actor("kim"), client_file=reported)
    assert error.value.message == (
        "Nog niet voldaan. Dit ontbreekt nog: Examen lezen; Examen luisteren; Examen schrijven; Examen spreken; "
        "Examen kennis van de Nederlandse maatschappij (KNM)."
    )


def test_voldaan_is_reached_after_the_gemeente_confirmed_each_exam(reported, actor):
    for result in results(reported):
        confirmation = services.confirm_exam_result(
            actor=actor("kim"), client_file=reported, exam_result_id=result.pk, evidence=EVIDENCE
        )
        assert (confirmation.exam_result_id, confirmation.evidence) == (result.pk, EVIDENCE)
    check = services.current_voldaan_check(reported)
    assert check is not None
    assert check.result.voldaan is True
    events = AuditEvent.objects.filter(event_type="exam_result_confirmed", client_file=reported).order_by("id")
    assert [event.changes for event in events] == [
        {"exam_result": result.pk, "part": result.part, "level": result.level, "evidence": EVIDENCE}
        for result in results(reported)
    ]
    assert services.record_voldaan(actor=actor("kim"), client_file=reported).to_status == "voldaan"


def test_duo_results_count_directly(fine_file, actor):
    client_file = fine_file()
    for data in ({"kind": "pvt"}, {"kind": "map"}, *({"kind": "exam", "exam_part": part, "level": "B1"}
                                                     for part in PARTS)):  # fmt: skip
        services.record_achievement(actor=actor("kim"), client_file=client_file,
                                    data={"achieved_on": today(), **data})  # fmt: skip
    check = services.current_voldaan_check(client_file)
    assert check is not None
    assert check.result.voldaan is True


def test_confirming_needs_evidence_a_passed_report_of_the_file_and_only_once(reported, fine_file, actor):
    first = results(reported)[0]
    with pytest.raises(ApplicationError) as info:
        services.confirm_exam_result(actor=actor("kim"), client_file=reported, exam_result_id=first.pk, evidence=" ")
    assert info.value.field_errors == {
        "evidence": ["Schrijf waar u de uitslag zag, bijvoorbeeld: uitslag gezien in Mijn Inburgering of DUO-bericht."]
    }
    other_file = fine_file()
    with pytest.raises(ApplicationError) as info:
        services.confirm_exam_result(actor=actor("kim"), client_file=other_file, exam_result_id=first.pk,
                                     evidence=EVIDENCE)  # fmt: skip
    assert info.value.message == "Deze melding van de aanbieder hoort niet bij dit dossier."
    failed = ExamResult.objects.create(
        enrolment=first.enrolment, part="spreken", level="B1", passed=False, exam_on=today(),
        recorded_at=timezone.now(), recorded_by=first.recorded_by,
    )  # fmt: skip
    with pytest.raises(ApplicationError) as info:
        services.confirm_exam_result(actor=actor("kim"), client_file=reported, exam_result_id=failed.pk,
                                     evidence=EVIDENCE)  # fmt: skip
    assert info.value.message == "De aanbieder meldde dit examen als niet gehaald. Er is niets te bevestigen."
    services.confirm_exam_result(actor=actor("kim"), client_file=reported, exam_result_id=first.pk, evidence=EVIDENCE)
    with pytest.raises(Conflict):
        services.confirm_exam_result(actor=actor("kim"), client_file=reported, exam_result_id=first.pk,
                                     evidence=EVIDENCE)  # fmt: skip
    assert ExamConfirmation.objects.count() == 1


def confirm_url(client_file, result) -> str:
    return reverse("handhaving:confirm-exam", kwargs={"file_id": client_file.pk, "exam_result_id": result.pk})


@pytest.mark.parametrize(("username", "gemeente", "status"), [
    ("kim", HAARLEM, 302), ("tamara", HAARLEM, 302),
    ("anouk", HAARLEM, 404), ("frank", HAARLEM, 404), ("zeynep", ZANDVOORT, 404),
])  # fmt: skip
def test_confirm_action_permission_matrix(reported, login, username, gemeente, status):
    result = results(reported)[0]
    response = login(username, gemeente).post(
        confirm_url(reported, result), {f"confirm-{result.pk}-evidence": EVIDENCE}
    )
    assert response.status_code == status
    assert ExamConfirmation.objects.count() == (1 if status == 302 else 0)
    events = AuditEvent.objects.filter(event_type="exam_result_confirmed").count()
    assert events == (1 if status == 302 else 0)


def test_pages_show_unconfirmed_reports_then_the_confirmation(reported, login):
    client = login("kim")
    handhaving_url = reverse("handhaving:index", kwargs={"file_id": reported.pk})
    voortgang_url = reverse("progress:index", kwargs={"file_id": reported.pk})
    page = client.get(handhaving_url).content.decode()
    assert page.count(UNCONFIRMED) == 5
    assert page.count(">Bevestigen</button>") == 5
    assert client.get(voortgang_url).content.decode().count(UNCONFIRMED) == 5
    lezen = results(reported)[0]
    bad = client.post(confirm_url(reported, lezen), {f"confirm-{lezen.pk}-evidence": ""})
    assert bad.status_code == 400
    assert "Schrijf waar u de uitslag zag" in bad.content.decode()
    assert client.post(confirm_url(reported, lezen), {f"confirm-{lezen.pk}-evidence": EVIDENCE}).status_code == 302
    page = client.get(handhaving_url).content.decode()
    assert page.count(UNCONFIRMED) == 4
    assert f"Bevestigd door de gemeente op {today():%d-%m-%Y}: {EVIDENCE}" in page
    voortgang = client.get(voortgang_url).content.decode()
    assert voortgang.count(UNCONFIRMED) == 4
    assert "Gehaald op B1 (gemeld door aanbieder, bevestigd door gemeente)" in voortgang


def test_apis_show_the_status_and_confirm(reported, api):
    client = api("kim")
    voldaan = client.get(f"/api/v1/clients/{reported.pk}/voldaan").json()
    assert [(row["part"], row["status"]) for row in voldaan["provider_exams"]] == [
        (part, "gemeld_niet_bevestigd") for part in PARTS
    ]
    assert voldaan["voldaan"]["voldaan"] is False
    progress = client.get(f"/api/v1/clients/{reported.pk}/progress").json()
    assert [(row["part"], row["passed"], row["reported_unconfirmed"]) for row in progress["exam_parts"]] == [
        (part, False, True) for part in PARTS
    ]
    lezen = results(reported)[0]
    url = f"/api/v1/clients/{reported.pk}/voldaan/provider-exams/{lezen.pk}/confirm"
    assert "evidence" in invalid_params(client.post(url, {"evidence": ""}, format="json"))
    created = client.post(url, {"evidence": EVIDENCE}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["evidence"] == EVIDENCE
    assert client.post(url, {"evidence": EVIDENCE}, format="json").status_code == 409
    assert api("anouk").post(url, {"evidence": EVIDENCE}, format="json").status_code == 404
    rows = client.get(f"/api/v1/clients/{reported.pk}/voldaan").json()["provider_exams"]
    assert [row["status"] for row in rows] == ["bevestigd"] + ["gemeld_niet_bevestigd"] * 4
    assert rows[0]["confirmation"]["evidence"] == EVIDENCE
    progress = client.get(f"/api/v1/clients/{reported.pk}/progress").json()
    assert progress["exam_parts"][0] == {
        "part": "lezen", "passed": True, "level": "B1", "by_provider": True, "by_achievement": False,
        "reported_unconfirmed": False,
    }  # fmt: skip
