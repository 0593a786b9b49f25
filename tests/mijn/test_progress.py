"""Mijn voortgang (#15 item 5): hours attended against the plan, exam results the gemeente saw at DUO, PVT and
MAP progress and the contact card, in the client's language; the same data in the API."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.handhaving.models import Achievement, ExamConfirmation
from openinburgering.providers.models import Enrolment, ExamResult, ModuleMilestone, WeeklyReport
from tests.providers.conftest import anouk_provider  # noqa: F401 -- the demo provider with its contract


def lessons(client_file, provider, staff) -> Enrolment:
    now = timezone.now()
    enrolment = Enrolment.objects.create(
        client_file=client_file, provider=provider, contract=provider.contracts.get(), component="b1_lessen",
        status="geaccepteerd", starts_on=today() - timedelta(days=30), ends_on=today() + timedelta(days=300),
        hours_per_week=Decimal("8"), created_at=now, created_by=staff["kim"],
    )  # fmt: skip
    for weeks, attended in ((3, "8"), (2, "6"), (1, "7.5")):
        day = today() - timedelta(days=7 * weeks)
        year, week, _ = day.isocalendar()
        WeeklyReport.objects.create(
            enrolment=enrolment, week=f"{year}-W{week:02d}", week_starts_on=day - timedelta(days=day.weekday()),
            hours_offered=Decimal("8"), hours_attended=Decimal(attended), hours_absent_authorised=Decimal(0),
            hours_absent_unauthorised=Decimal("8") - Decimal(attended), row_hash=f"{weeks}", source="form",
            reported_at=now, reported_by=staff["kim"],
        )  # fmt: skip
    return enrolment


def test_the_progress_page_shows_hours_exams_pvt_map_and_who_helps(portal, staff, anouk_provider):  # noqa: F811 -- the fixture imported by name
    client, client_file = portal()
    enrolment = lessons(client_file, anouk_provider, staff)
    now = timezone.now()
    Achievement.objects.create(client_file=client_file, kind="exam", exam_part="lezen", level="B1",
                               achieved_on=today() - timedelta(days=5), recorded_at=now,
                               recorded_by=staff["kim"])  # fmt: skip
    Achievement.objects.create(client_file=client_file, kind="pvt", achieved_on=today() - timedelta(days=3),
                               recorded_at=now, recorded_by=staff["kim"])  # fmt: skip
    exam = {"enrolment": enrolment, "level": "B1", "exam_on": today() - timedelta(days=4), "recorded_at": now,
            "recorded_by": staff["kim"]}  # fmt: skip
    reported = ExamResult.objects.create(part="spreken", passed=False, **exam)
    ExamResult.objects.create(part="schrijven", passed=True, **exam)
    ExamConfirmation.objects.create(client_file=client_file, exam_result=reported, evidence="Mijn Inburgering (DUO)",
                                    confirmed_at=now, confirmed_by=staff["kim"])  # fmt: skip
    for theme in ("netwerk", "werk_vinden"):
        ModuleMilestone.objects.create(enrolment=enrolment, kind="map_thema", theme=theme, happened_on=today(),
                                       recorded_at=now, recorded_by=staff["kim"])  # fmt: skip

    page = client.get("/mijn/voortgang/").content.decode()
    assert "U was 21,5 van de 24 uur aanwezig." in page
    assert "Volgens uw plan: 8 uur per week." in page
    assert 'data-exam="lezen"' in page
    assert 'data-exam="spreken"' in page  # confirmed by the gemeente (not passed)
    assert 'data-exam="schrijven"' not in page  # a provider's report nobody confirmed at DUO yet
    assert "Niet gehaald" in page
    assert "2 van de 8 thema's klaar" in page
    assert "Klantregisseur" in page
    assert "Kim de Vries" in page
    assert AuditEvent.objects.filter(event_type="portal_progress_viewed", client_file=client_file).count() == 1

    client.post("/mijn/taal/", {"language": "uk", "next": "/mijn/voortgang/"})
    page = client.get("/mijn/voortgang/").content.decode()
    assert "Ви були присутні 21,5 із 24 годин." in page
    assert "Читання" in page

    body = client.get("/api/v1/mijn/progress").json()
    assert body["lessons"][0]["attended"] == "21.5"
    assert body["lessons"][0]["planned_per_week"] == "8.0"
    assert [(exam["part"], exam["passed"]) for exam in body["exams"]] == [("lezen", True), ("spreken", False)]
    assert body["pvt_done_on"] == (today() - timedelta(days=3)).isoformat()
    assert body["map_themes_done"] == 2
    assert body["contacts"][0]["name"] == "Kim de Vries"


def test_without_lessons_or_exams_the_page_says_so(portal):
    client, _client_file = portal()
    page = client.get("/mijn/voortgang/").content.decode()
    assert "U heeft nog geen lessen." in page
    assert "Nog geen uitslagen." in page
    assert "Nog niet klaar" in page
