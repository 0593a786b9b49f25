"""The PIP API: the flow, Dutch Problem Details, the permission matrix and the audit trail."""

from __future__ import annotations

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.letters.models import Letter, LetterKind
from openinburgering.plans import services
from openinburgering.plans.models import PipVersion
from tests.clients.pages import file_state
from tests.conftest import HAARLEM, ZANDVOORT

from .conftest import GOOD

pytestmark = pytest.mark.django_db

BODY = {**GOOD, "progress_talk_dates": [d.isoformat() for d in GOOD["progress_talk_dates"]],
        "agreements": [{"leefgebied": "werk_inkomen", "goal": "Werk vinden", "action": "Solliciteren",
                        "responsible": "klant", "due_on": "2027-01-01"}]}  # fmt: skip


def test_the_whole_flow_through_the_api(pip_file, api):
    client_file = pip_file()
    base = f"/api/v1/clients/{client_file.pk}/pip-versions"
    kim, tamara = api("kim"), api("tamara")
    created = kim.post(base)
    assert created.status_code == 201, created.json()
    version_id = created.json()["id"]
    bad = kim.patch(f"{base}/{version_id}", {"leerroute": "onderwijs", "map_intensity": "40 uur"})
    assert bad.status_code == 400
    assert [p["name"] for p in bad.json()["invalidParams"]] == ["map_intensity"]
    assert "artikel 8 lid 3" in " ".join(p["reason"] for p in bad.json()["invalidParams"])
    ok = kim.patch(f"{base}/{version_id}", BODY)
    assert ok.status_code == 200, ok.json()
    assert ok.json()["agreements"][0]["goal"] == "Werk vinden"
    assert kim.post(f"{base}/{version_id}/submit").status_code == 200
    assert kim.post(f"{base}/{version_id}/approve").status_code == 404  # kim is no teamleider
    queue = tamara.get("/api/v1/pip-approvals")
    assert queue.status_code == 200
    assert [row["id"] for row in queue.json()["results"]] == [version_id]
    approved = tamara.post(f"{base}/{version_id}/approve")
    assert approved.status_code == 200, approved.json()
    body = approved.json()
    assert body["status"] == "vastgesteld"
    letter = Letter.objects.get(client_file=client_file, kind=LetterKind.PIP_BESCHIKKING)
    assert body["beschikking_letter_id"] == letter.pk
    assert PipVersion.objects.get(pk=version_id).beschikking_letter_id == letter.pk
    assert [e["kind"] for e in body["events"]] == ["drafted", "submitted", "approved"]
    assert kim.get(body["beschikking_url"]).status_code == 200
    response = kim.post(
        f"{base}/{version_id}/client-response", {"agreement": "eens", "response_on": body["dagtekening_on"]}
    )
    assert response.status_code == 200
    assert response.json()["client_agreement"] == "eens"
    bezwaar = kim.post(f"{base}/{version_id}/bezwaren", {"received_on": body["dagtekening_on"], "grounds": "Nee"})
    assert bezwaar.status_code == 201
    assert bezwaar.json()["on_time"] is True
    assert len(kim.get(f"{base}/{version_id}/bezwaren").json()) == 1
    talks = kim.get(f"/api/v1/clients/{client_file.pk}/progress-talks").json()
    assert len(talks) == 2
    held = kim.patch(
        f"/api/v1/clients/{client_file.pk}/progress-talks/{talks[0]['id']}",
        {"held_on": body["dagtekening_on"], "summary": "Gaat goed"},
    )
    assert held.status_code == 200
    assert held.json()["held_on"] == body["dagtekening_on"]
    assert kim.get(base).json()["count"] == 1
    again = kim.post(base)  # version 2 as a copy
    assert again.status_code == 201
    assert again.json()["number"] == 2
    assert kim.post(base).status_code == 409
    codes = ("pip_drafted", "pip_updated", "pip_submitted", "pip_approved", "pip_read", "bezwaren_read",
             "progress_talks_read", "bezwaar_registered", "progress_talk_recorded",
             "pip_client_response_recorded")  # fmt: skip
    for code in codes:
        assert AuditEvent.objects.filter(event_type=code, via="api").exists(), code


@pytest.mark.parametrize(("username", "gemeente", "read", "write"), [
    ("kim", HAARLEM, 200, 200), ("frank", HAARLEM, 404, 404),  # frank: no PIP section (#12 item 1)
    ("zeynep", ZANDVOORT, 404, 404),
    ("zoe", ZANDVOORT, 404, 404), ("anouk", HAARLEM, 404, 404), ("fenna", HAARLEM, 404, 404),
])  # fmt: skip
def test_permission_matrix(pip_file, draft_ready, api, username, gemeente, read, write):
    client_file = pip_file()
    version = draft_ready(client_file)
    base = f"/api/v1/clients/{client_file.pk}"
    client = api(username, gemeente)
    read_types = ("pip_read", "bezwaren_read", "progress_talks_read")
    before_reads = AuditEvent.objects.filter(client_file=client_file, event_type__in=read_types).count()
    for path in (f"{base}/pip-versions", f"{base}/pip-versions/{version.pk}",
                 f"{base}/pip-versions/{version.pk}/bezwaren", f"{base}/progress-talks"):  # fmt: skip
        assert client.get(path).status_code == read, path
    after_reads = AuditEvent.objects.filter(client_file=client_file, event_type__in=read_types).count()
    assert after_reads - before_reads == (4 if read == 200 else 0)
    if write == 404:
        before = file_state(client_file)
        assert client.patch(f"{base}/pip-versions/{version.pk}", {"summary": "x"}).status_code == 404
        assert client.post(f"{base}/pip-versions").status_code == 404
        for action in ("submit", "approve", "reject"):
            assert client.post(f"{base}/pip-versions/{version.pk}/{action}", {"comment": "x"}).status_code == 404
        assert file_state(client_file) == before
        version.refresh_from_db()
        assert version.status == "concept"
        assert version.summary == GOOD["summary"]


def test_anonymous_gets_401_and_the_queue_is_403_for_others(pip_file, draft_ready, api):
    client_file = pip_file()
    version = draft_ready(client_file)
    base = f"/api/v1/clients/{client_file.pk}/pip-versions"
    for path in (
        base,
        f"{base}/{version.pk}",
        "/api/v1/pip-approvals",
        f"/api/v1/clients/{client_file.pk}/progress-talks",
    ):
        assert api(None).get(path).status_code == 401, path
    assert api(None).post(base).status_code == 401
    assert api("kim").get("/api/v1/pip-approvals").status_code == 403
    assert api("frank").get("/api/v1/pip-approvals").status_code == 403


def test_approving_your_own_version_is_a_dutch_400(pip_file, actor, api):
    client_file = pip_file()
    tamara = actor("tamara")
    version = services.create_draft(actor=tamara, client_file=client_file)
    services.update_draft(actor=tamara, client_file=client_file, version=version, data=GOOD)
    services.submit(actor=tamara, client_file=client_file, version=version)
    response = api("tamara").post(f"/api/v1/clients/{client_file.pk}/pip-versions/{version.pk}/approve")
    assert response.status_code == 400
    assert "vier ogen" in response.json()["detail"]
    assert PipVersion.objects.get(pk=version.pk).status == "ter_goedkeuring"


def test_list_uses_a_constant_number_of_queries(pip_file, vastgesteld, actor, api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, big = pip_file(), pip_file()
    vastgesteld(small)
    vastgesteld(big)
    for _ in range(3):
        version = services.create_draft(actor=actor("kim"), client_file=big)
        services.update_draft(actor=actor("kim"), client_file=big, version=version, data={"change_reason": "x"})
        PipVersion.objects.filter(pk=version.pk).update(
            status="vervangen", approved_by=actor("tamara").user, dagtekening_on=version.drafted_at.date()
        )
    client = api("kim")
    client.get(f"/api/v1/clients/{small.pk}/pip-versions")  # warm-up: the token's last use is written once a minute
    counts = []
    for client_file, expected in ((small, 1), (big, 4)):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/clients/{client_file.pk}/pip-versions")
        assert response.json()["count"] == expected
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
