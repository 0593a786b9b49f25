"""The provider API: own enrolments only (minimum data), accept/decline, weekly reports and exam results;
the isolation matrix for tokens (anouk, piet, kim, carla, zeynep, anonymous) and audit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.demo.personas import ZANDVOORT
from openinburgering.providers.models import ExamResult, WeeklyReport, WeeklyReportHistory

from .conftest import last_week


@pytest.fixture
def enrolled(make_file, enrol, regional_contract, other_provider):
    mine = enrol(make_file(person={"phone": "0612345678"}), regional_contract)
    theirs = enrol(make_file(person={"surname": "Ander"}), other_provider.contracts.get())
    return mine, theirs


def token_client(api, username):
    return api(username, ZANDVOORT if username == "zeynep" else "GM0392")


REPORT = {
    "week": last_week(),
    "hours_offered": "8",
    "hours_attended": "6",
    "hours_absent_authorised": "2",
    "hours_absent_unauthorised": "0",
}


@pytest.mark.django_db
class TestProviderApi:
    def test_list_minimum_data_and_audit(self, api, enrolled) -> None:
        mine, theirs = enrolled
        response = api("anouk").get("/api/v1/provider/enrolments")
        assert response.status_code == 200
        results = response.json()["results"]
        assert [row["id"] for row in results] == [mine.pk]
        assert set(results[0]) == {
            "id",
            "name",
            "phone",
            "email",
            "component",
            "route",
            "hours_per_week",
            "starts_on",
            "ends_on",
            "status",
            "status_reason",
        }
        assert results[0]["phone"] == "0612345678"
        assert results[0]["route"] is None
        assert mine.client_file.person.bsn not in response.content.decode()
        events = AuditEvent.objects.filter(event_type="provider_enrolments_read")
        assert list(events.values_list("client_file_id", "via")) == [(mine.client_file_id, "api")]
        assert [row["id"] for row in api("piet").get("/api/v1/provider/enrolments").json()["results"]] == [theirs.pk]

    def test_route_from_vastgesteld_pip(self, api, pip_file, vastgesteld, enrol, regional_contract) -> None:
        client_file = pip_file()
        vastgesteld(client_file)
        enrol(client_file, regional_contract)
        rows = api("anouk").get("/api/v1/provider/enrolments").json()["results"]
        assert [row["route"] for row in rows] == ["b1"]

    @pytest.mark.parametrize("username", ["kim", "carla", "zeynep", "bram"])
    def test_staff_tokens_get_404(self, api, enrolled, username) -> None:
        mine, _ = enrolled
        client = token_client(api, username)
        assert client.get("/api/v1/provider/enrolments").status_code == 404
        assert client.post(f"/api/v1/provider/enrolments/{mine.pk}/accept").status_code == 404
        assert client.post("/api/v1/provider/reports", {**REPORT, "enrolment": mine.pk}).status_code == 404

    def test_anonymous_gets_401(self, api, enrolled) -> None:
        assert api(None).get("/api/v1/provider/enrolments").status_code == 401
        assert api(None).post(f"/api/v1/provider/enrolments/{enrolled[0].pk}/accept").status_code == 401

    def test_other_providers_enrolment_is_404_and_unchanged(self, api, enrolled) -> None:
        _, theirs = enrolled
        client = api("anouk")
        assert client.post(f"/api/v1/provider/enrolments/{theirs.pk}/accept").status_code == 404
        assert client.post(f"/api/v1/provider/enrolments/{theirs.pk}/decline", {"reason": "x"}).status_code == 404
        assert client.post("/api/v1/provider/reports", {**REPORT, "enrolment": theirs.pk}).status_code == 404
        exam = {"enrolment": theirs.pk, "part": "lezen", "level": "B1", "exam_on": "2026-01-05", "passed": True}
        assert client.post("/api/v1/provider/exam-results", exam).status_code == 404
        theirs.refresh_from_db()
        assert theirs.status == "voorgesteld"
        assert not AuditEvent.objects.filter(client_file=theirs.client_file, actor__username="anouk").exists()

    def test_accept_decline_report_exam(self, api, enrolled) -> None:
        mine, _ = enrolled
        client = api("anouk")
        assert client.post(f"/api/v1/provider/enrolments/{mine.pk}/decline", {}).status_code == 400
        response = client.post(f"/api/v1/provider/enrolments/{mine.pk}/accept")
        assert response.status_code == 200
        assert response.json()["status"] == "geaccepteerd"
        assert client.post(f"/api/v1/provider/enrolments/{mine.pk}/accept").status_code == 409
        body = {**REPORT, "enrolment": mine.pk, "week": last_week()}
        first = client.post("/api/v1/provider/reports", body)
        assert first.status_code == 201
        assert first.json()["outcome"] == "created"
        same = client.post("/api/v1/provider/reports", body)
        assert same.status_code == 200
        assert same.json()["outcome"] == "unchanged"
        changed = client.post(
            "/api/v1/provider/reports",
            {**body, "hours_attended": "5", "hours_absent_unauthorised": "1", "absence_reason": "Te laat"},
        )
        assert changed.json()["outcome"] == "replaced"
        assert WeeklyReportHistory.objects.count() == 1
        assert WeeklyReport.objects.count() == 1
        bad = client.post("/api/v1/provider/reports", {**body, "hours_attended": "9"})
        assert bad.status_code == 400
        assert "aangeboden uren" in bad.content.decode()
        negative = client.post("/api/v1/provider/reports", {**body, "hours_offered": "-1"})
        assert negative.status_code == 400
        exam = {
            "enrolment": mine.pk,
            "part": "spreken",
            "level": "A2",
            "exam_on": (today() - timedelta(days=1)).isoformat(),
            "passed": False,
        }
        created = client.post("/api/v1/provider/exam-results", exam)
        assert created.status_code == 201
        assert created.json()["passed"] is False
        assert ExamResult.objects.get().part == "spreken"
        future = client.post("/api/v1/provider/exam-results", {**exam, "exam_on": "2099-01-01"})
        assert future.status_code == 400
        kinds = set(
            AuditEvent.objects.filter(client_file=mine.client_file, via="api").values_list("event_type", flat=True)
        )
        assert {"enrolment_status_changed", "weekly_report_saved", "exam_result_recorded"} <= kinds

    def test_list_query_count_is_constant(
        self, api, make_file, enrol, regional_contract, django_assert_max_num_queries
    ) -> None:
        client = api("anouk")
        enrol(make_file(), regional_contract)
        with django_assert_max_num_queries(20) as few:
            client.get("/api/v1/provider/enrolments")
        for n in range(4):
            enrol(make_file(person={"surname": f"Extra{n}"}), regional_contract)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert len(client.get("/api/v1/provider/enrolments").json()["results"]) == 5
