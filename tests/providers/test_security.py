"""Security findings on the providers app (#12 item 9).

- A regional provider acts per gemeente, under each gemeente's contract: the aanbieder user sees and reports only
  on cursisten of the gemeente of the membership it acts under (anouk works for Haarlem: Zandvoort's cursisten of
  the same regional provider are not hers), and every read is logged in that gemeente.
- The "Plaatsen bij een aanbieder" page shows the person's name, so opening it is a logged read.
"""

from __future__ import annotations

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.providers import services
from openinburgering.providers.models import Enrolment, ExamResult, WeeklyReport

from .conftest import last_week

pytestmark = pytest.mark.django_db

HEADER = "plaatsing_id;week;uren_aangeboden;uren_aanwezig;afwezig_geoorloofd;afwezig_ongeoorloofd;reden;notitie\n"
REPORT = {
    "week": last_week(),
    "hours_offered": "8",
    "hours_attended": "6",
    "hours_absent_authorised": "2",
    "hours_absent_unauthorised": "0",
}


@pytest.fixture
def both(make_file, enrol, regional_contract) -> tuple[Enrolment, Enrolment]:
    """One Haarlem and one Zandvoort cursist of the regional provider (anouk's, with a Haarlem membership)."""
    haarlem = enrol(make_file(HAARLEM, person={"surname": "Haarlemmer"}), regional_contract, accepted=True)
    zandvoort = enrol(make_file(ZANDVOORT, person={"surname": "Zandvoorter"}), regional_contract, accepted=True)
    return haarlem, zandvoort


def test_the_portal_lists_only_cursisten_of_the_own_gemeente(login, both):
    haarlem, _ = both
    html = login("anouk").get("/portaal-aanbieder/").content.decode()
    assert "Haarlemmer" in html
    assert "Zandvoorter" not in html
    events = AuditEvent.objects.filter(event_type="provider_enrolments_viewed")
    assert list(events.values_list("client_file_id", "gemeente__code")) == [(haarlem.client_file_id, HAARLEM)]


def test_the_api_lists_only_cursisten_of_the_own_gemeente(api, both):
    haarlem, _ = both
    response = api("anouk").get("/api/v1/provider/enrolments")
    assert [row["id"] for row in response.json()["results"]] == [haarlem.pk]
    events = AuditEvent.objects.filter(event_type="provider_enrolments_read")
    assert list(events.values_list("client_file_id", "gemeente__code")) == [(haarlem.client_file_id, HAARLEM)]


def test_another_gemeentes_cursist_is_404_everywhere(login, api, both):
    _, zandvoort = both
    reads = AuditEvent.objects.exclude(event_type="api_token_created")
    events_before = reads.count()
    client = login("anouk")
    assert client.get(f"/portaal-aanbieder/plaatsingen/{zandvoort.pk}/").status_code == 404
    assert client.post(f"/portaal-aanbieder/plaatsingen/{zandvoort.pk}/weekrapport/", {}).status_code == 404
    token = api("anouk")
    assert token.post(f"/api/v1/provider/enrolments/{zandvoort.pk}/decline", {"reason": "x"}).status_code == 404
    assert token.post("/api/v1/provider/reports", {**REPORT, "enrolment": zandvoort.pk}).status_code == 404
    exam = {"enrolment": zandvoort.pk, "part": "lezen", "level": "B1", "exam_on": "2026-01-05", "passed": True}
    assert token.post("/api/v1/provider/exam-results", exam).status_code == 404
    assert (WeeklyReport.objects.count(), ExamResult.objects.count()) == (0, 0)
    assert reads.count() == events_before


def test_a_csv_row_for_another_gemeentes_cursist_is_refused(actor, both):
    haarlem, zandvoort = both
    body = HEADER + f"{haarlem.pk};{last_week()};8;8;0;0;;\n{zandvoort.pk};{last_week()};8;8;0;0;;"
    result = services.import_csv(actor=actor("anouk"), provider=haarlem.provider, raw=body.encode())
    assert [error["message"] for error in result.errors] == ["regel 3: plaatsing onbekend"]
    assert list(WeeklyReport.objects.values_list("enrolment_id", flat=True)) == [haarlem.pk]


def test_the_zandvoort_membership_of_a_provider_user_sees_zandvoort(login, both, anouk_provider, staff):
    """The same person may work for the provider in Zandvoort too: under that membership, Zandvoort's list."""
    from openinburgering.accounts.models import Gemeente, Membership, Role
    from openinburgering.providers.models import ProviderMembership

    membership = Membership.objects.create(
        user=staff["anouk"], gemeente=Gemeente.objects.get(code=ZANDVOORT), role=Role.objects.get(code="aanbieder")
    )
    ProviderMembership.objects.create(membership=membership, provider=anouk_provider)
    html = login("anouk", ZANDVOORT).get("/portaal-aanbieder/").content.decode()
    assert "Zandvoorter" in html
    assert "Haarlemmer" not in html


def test_opening_the_plaatsen_page_is_a_logged_read(login, make_file, regional_contract):
    client_file = make_file()
    response = login("kim").get(f"/aanbieders/dossiers/{client_file.pk}/plaatsen/")
    assert response.status_code == 200
    assert client_file.person.surname in response.content.decode()
    [event] = AuditEvent.objects.filter(event_type="enrolment_form_viewed")
    assert (event.actor.username, event.client_file_id, event.gemeente.code) == ("kim", client_file.pk, HAARLEM)


def test_a_refused_plaatsen_page_logs_nothing(login, make_file, regional_contract):
    client_file = make_file(ZANDVOORT)
    assert login("kim").get(f"/aanbieders/dossiers/{client_file.pk}/plaatsen/").status_code == 404
    assert AuditEvent.objects.filter(event_type="enrolment_form_viewed").count() == 0
