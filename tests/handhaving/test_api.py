"""Handhaving API: permission matrix, audit, proposal, four-eyes decision, bezwaren, voldaan and the queue."""

from __future__ import annotations

from datetime import timedelta

import pytest

from openinburgering import rules
from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.handhaving import services
from openinburgering.handhaving.models import Achievement, FineBezwaar, FineDecision, FineProposal
from openinburgering.letters.models import Letter, LetterKind
from openinburgering.plans.services import termijn_of
from tests.api.conftest import invalid_params, problem

from .conftest import proposal_data

pytestmark = pytest.mark.django_db
READS = ("fines_read", "voldaan_read")


def body(**changes):
    return {key: (value.isoformat() if hasattr(value, "isoformat") else value)
            for key, value in proposal_data(**changes).items()}  # fmt: skip


@pytest.fixture
def setup(fine_file, actor):
    client_file = fine_file()
    proposal = services.propose_fine(actor=actor("kim"), client_file=client_file, data=proposal_data())
    return client_file, proposal


def urls(client_file, proposal) -> dict[str, str]:
    base = f"/api/v1/clients/{client_file.pk}"
    return {
        "fines": f"{base}/fines",
        "decide": f"{base}/fines/{proposal.pk}/decide",
        "bezwaren": f"{base}/fines/{proposal.pk}/bezwaren",
        "voldaan": f"{base}/voldaan",
    }


def state() -> tuple[int, ...]:
    return (FineProposal.objects.count(), FineDecision.objects.count(), FineBezwaar.objects.count(),
            Achievement.objects.count())  # fmt: skip


@pytest.mark.parametrize(("username", "gemeente", "status"), [
    ("kim", HAARLEM, 200), ("tamara", HAARLEM, 200), ("frank", HAARLEM, 404),  # frank: no handhaving (#12 item 1)
    ("zeynep", ZANDVOORT, 404), ("anouk", HAARLEM, 404), ("fenna", HAARLEM, 404),
])  # fmt: skip
def test_reads_permission_matrix_and_audit(setup, api, username, gemeente, status):
    client_file, proposal = setup
    paths = urls(client_file, proposal)
    for name in ("fines", "bezwaren", "voldaan"):
        before = AuditEvent.objects.filter(client_file=client_file, event_type__in=READS).count()
        response = api(username, gemeente).get(paths[name])
        assert response.status_code == status, (username, name, response.content[:200])
        after = AuditEvent.objects.filter(client_file=client_file, event_type__in=READS).count()
        assert after == before + (1 if status == 200 else 0)


def test_anonymous_gets_401(setup, api):
    client_file, proposal = setup
    for path in urls(client_file, proposal).values():
        assert api(None).get(path).status_code == 401, path
        assert api(None).post(path, {}).status_code == 401, path
    assert api(None).get("/api/v1/fine-decisions-queue").status_code == 401


@pytest.mark.parametrize(("username", "gemeente"), [("frank", HAARLEM), ("zeynep", ZANDVOORT), ("anouk", HAARLEM),
                                                    ("fenna", HAARLEM)])  # fmt: skip
def test_changes_without_the_right_are_404_and_change_nothing(setup, api, username, gemeente):
    client_file, proposal = setup
    paths = urls(client_file, proposal)
    before = state()
    client = api(username, gemeente)
    assert client.post(paths["fines"], body()).status_code == 404
    assert client.post(paths["decide"], {"outcome": "afgezien", "reason": "x"}).status_code == 404
    assert client.post(paths["bezwaren"], {"received_on": today().isoformat(), "grounds": "x"}).status_code == 404
    assert client.post(paths["voldaan"], {"kind": "pvt", "achieved_on": today().isoformat()}).status_code == 404
    assert state() == before


def test_propose_decide_and_bezwaar(fine_file, api):
    client_file = fine_file(doelgroep="gezinsmigrant")
    base = f"/api/v1/clients/{client_file.pk}/fines"
    created = api("kim").post(base, body(culpability="opzet"))
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["amount"] == "50.00"
    assert data["decisions"] == []
    assert api("kim").post(f"{base}/{data['id']}/decide", {"outcome": "opgelegd"}).status_code == 404
    no_decision = api("kim").post(f"{base}/{data['id']}/bezwaren", {"received_on": today().isoformat(), "grounds": "x"})
    assert no_decision.status_code == 409
    decided = api("tamara").post(f"{base}/{data['id']}/decide", {"outcome": "opgelegd"})
    assert decided.status_code == 201, decided.content
    decision = decided.json()["decisions"][0]
    assert decision["amount"] == "50.00"
    assert decision["letter_id"] == Letter.objects.get(client_file=client_file, kind=LetterKind.BOETE_W23).pk
    # The bezwaartermijn runs from today's decision (Awb 6:7, 6:8; the rules test the dates themselves).
    assert decision["bezwaar_term_ends_on"] == rules.bezwaar_termijn(bekendgemaakt_on=today()).term_ends_on.isoformat()
    late = (today() + timedelta(days=1)).isoformat()
    assert "received_on" in invalid_params(api("kim").post(f"{base}/{data['id']}/bezwaren",
                                                            {"received_on": late, "grounds": "x"}))  # fmt: skip
    ok = api("kim").post(f"{base}/{data['id']}/bezwaren", {"received_on": today().isoformat(), "grounds": "Ziek"})
    assert ok.status_code == 201
    assert ok.json()["on_time"] is True
    listed = api("tamara").get(f"{base}/{data['id']}/bezwaren")
    assert [row["grounds"] for row in listed.json()] == ["Ziek"]
    types = set(AuditEvent.objects.filter(client_file=client_file).values_list("event_type", flat=True))
    assert {"fine_proposed", "fine_decided", "fine_bezwaar_registered", "fines_read", "letter_created"} <= types


def test_four_eyes_and_keren_in_the_api(setup, api, actor):
    client_file, _ = setup
    base = f"/api/v1/clients/{client_file.pk}/fines"
    keren = api("kim").post(base, body(persistent_onwil=False, keren_reasoning=""))
    params = invalid_params(keren)
    assert "persistent_onwil" in params
    assert "keren_reasoning" in params
    own = api("tamara").post(base, body()).json()
    refused = api("tamara").post(f"{base}/{own['id']}/decide", {"outcome": "opgelegd"})
    assert refused.status_code == 400
    assert "vier ogen" in problem(refused)["detail"]
    assert not FineDecision.objects.filter(proposal_id=own["id"]).exists()


def test_voldaan_get_and_post(fine_file, api):
    client_file = fine_file(doelgroep="gezinsmigrant")
    path = f"/api/v1/clients/{client_file.pk}/voldaan"
    bad = api("kim").post(path, {"kind": "exam", "exam_part": "lezen", "achieved_on": today().isoformat()})
    assert "level" in invalid_params(bad)
    made = api("kim").post(path, {"kind": "pvt", "achieved_on": today().isoformat()})
    assert made.status_code == 201, made.content
    data = api("tamara").get(path).json()
    assert data["voldaan"]["voldaan"] is False
    assert "pvt" not in data["voldaan"]["missing"]
    assert data["voldaan"]["missing"][0] == "map"
    assert data["extension"]["window_open"] is False
    assert "request_too_early" in data["extension"]["unmet"]
    dagtekening = client_file.pip_dagtekening_on
    assert dagtekening == today()  # the PIP was vastgesteld today
    # W 11: three years from the day after the dagtekening, ending on the dagtekening's date three years on (the
    # 28th for a 29 February).
    leap_day = (dagtekening.month, dagtekening.day) == (2, 29)
    ends_on = dagtekening.replace(year=dagtekening.year + 3, day=28 if leap_day else dagtekening.day)
    termijn = termijn_of(client_file)
    assert termijn is not None
    assert (termijn.termijn_start_on, termijn.termijn_end_on) == (dagtekening + timedelta(days=1), ends_on)
    later = (termijn.termijn_end_on - timedelta(days=5)).isoformat()
    data = api("kim").get(path, {"requested_on": later, "lesson_hours": "500"}).json()
    assert data["extension"]["window_open"] is True
    assert "lessons" not in data["extension"]["unmet"]
    assert api("kim").get(path, {"lesson_hours": "-1"}).status_code == 400


def test_queue_is_for_deciders(setup, api, django_assert_max_num_queries):
    _client_file, proposal = setup
    assert api("kim").get("/api/v1/fine-decisions-queue").status_code == 403
    assert api("frank").get("/api/v1/fine-decisions-queue").status_code == 403
    with django_assert_max_num_queries(15):
        response = api("tamara").get("/api/v1/fine-decisions-queue")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [proposal.pk]
    assert rows[0]["own_proposal"] is False
    # Zandvoort: a klantregisseur may not decide; its teamleider decides, but never sees Haarlem's proposals.
    assert api("zeynep", ZANDVOORT).get("/api/v1/fine-decisions-queue").status_code == 403
    other = api("zoe", ZANDVOORT).get("/api/v1/fine-decisions-queue")
    assert other.status_code == 200
    assert other.json()["results"] == []
    viewed = AuditEvent.objects.filter(event_type="fine_queue_viewed").order_by("pk")
    assert [(event.actor.username, event.gemeente.code, event.changes) for event in viewed] == [
        ("tamara", HAARLEM, {"result_count": 1}),
        ("zoe", ZANDVOORT, {"result_count": 0}),
    ]


def test_fines_list_has_constant_queries(fine_file, actor, api, django_assert_max_num_queries):
    client_file = fine_file(doelgroep="gezinsmigrant")
    counts = []
    for _ in range(2):
        for _ in range(2):
            proposal = services.propose_fine(actor=actor("kim"), client_file=client_file, data=proposal_data())
            decision = services.decide_fine(actor=actor("tamara"), client_file=client_file, proposal=proposal,
                                            outcome="opgelegd")  # fmt: skip
            services.register_fine_bezwaar(actor=actor("kim"), client_file=client_file, decision=decision,
                                           received_on=today(), grounds="x")  # fmt: skip
        client = api("kim")
        with django_assert_max_num_queries(20) as ctx:
            assert client.get(f"/api/v1/clients/{client_file.pk}/fines").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
