"""Permission matrix for every endpoint that reaches a client file: own gemeente, other gemeente, wrong role,
anonymous. Denied answers are 404 (401 for anonymous), write no read event for the file and change nothing.

Choice (documented in docs/reference/api.md): object endpoints answer 404 for every denial, so a token cannot
learn that a file exists; endpoints that reach no object (search, caseload, registering a client) answer 403
for a role without the capability, because their existence is no secret."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile, Note, Person, StatusChange
from openinburgering.demo.personas import ZANDVOORT
from openinburgering.households.models import HouseholdMember

from .conftest import events_of, problem

pytestmark = pytest.mark.django_db


def _body(name: str, staff: dict[str, Any]) -> dict[str, Any] | None:
    return {
        "patch": {"person": {"phone": "0612345678"}, "coa_koppeling_on": "2025-05-01"},
        "status": {"to_status": "intake", "reason": "Intake gepland"},
        "note": {"body": "Gebeld over de intake."},
        "assignment": {"assigned_to": staff["youssef"].pk},
        "member": {
            "relation": "partner", "started_on": "2025-07-01",
            "person": {"given_names": "Omar", "surname": "Haddad", "birth_on": "1988-02-03"},
        },
        "end": {"ended_on": "2025-08-01", "reason": "Verhuisd naar familie"},
    }.get(name)  # fmt: skip


# (name, method, path, body, success status, read event written on success, who may)
ENDPOINTS = [
    ("read", "GET", "/api/v1/clients/{id}", None, 200, "client_file_read", "kim"),
    ("status_list", "GET", "/api/v1/clients/{id}/status-changes", None, 200, "status_history_read", "kim"),
    ("notes_list", "GET", "/api/v1/clients/{id}/notes", None, 200, "notes_read", "kim"),
    ("household_list", "GET", "/api/v1/clients/{id}/household", None, 200, "household_viewed", "kim"),
    ("audit_list", "GET", "/api/v1/clients/{id}/audit", None, 200, "file_audit_viewed", "tamara"),
    ("verwerkingen", "GET", "/api/v1/clients/{id}/verwerkingen", None, 200, "verwerkingen_exported", "tamara"),
    ("patch", "PATCH", "/api/v1/clients/{id}", "patch", 200, None, "kim"),
    ("status", "POST", "/api/v1/clients/{id}/status-changes", "status", 201, None, "kim"),
    ("note", "POST", "/api/v1/clients/{id}/notes", "note", 201, None, "kim"),
    ("assignment", "POST", "/api/v1/clients/{id}/assignment", "assignment", 200, None, "tamara"),
    ("member", "POST", "/api/v1/clients/{id}/household", "member", 201, None, "kim"),
    ("end", "POST", "/api/v1/clients/{id}/household/{member}/end", "end", 200, None, "kim"),
]
IDS = [endpoint[0] for endpoint in ENDPOINTS]


def _snapshot(client_file: ClientFile) -> dict[str, Any]:
    client_file = ClientFile.objects.get(pk=client_file.pk)
    return {
        "file": client_file.updated_at,
        "assigned_to": client_file.assigned_to_id,
        "person": Person.objects.get(pk=client_file.person_id).updated_at,
        "persons": Person.objects.count(),
        "status_changes": StatusChange.objects.filter(client_file=client_file).count(),
        "notes": Note.objects.filter(client_file=client_file).count(),
        "members": list(HouseholdMember.objects.order_by("pk").values_list("pk", "ended_on")),
        "events": events_of(client_file),
    }


@pytest.fixture
def target(make_file, household_member):
    client_file = make_file(assigned_to="kim")
    member = household_member(client_file)
    return client_file, member


def _call(client, method, path, body):
    if method == "GET":
        return client.get(path)
    return client.send(method, path, body)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_own_gemeente_with_the_right_role_succeeds_and_is_audited(endpoint, api, staff, target):
    name, method, template, body_name, success, read_event, username = endpoint
    client_file, member = target
    before = events_of(client_file)
    last_id = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    response = _call(
        api(username), method, template.format(id=client_file.pk, member=member.pk), _body(body_name, staff)
    )
    assert response.status_code == success, response.content[:500]
    new_events = events_of(client_file)[len(before) :]
    expected = {
        "patch": ["person_updated", "client_file_updated"],
        "status": ["client_status_changed"],
        "note": ["note_added"],
        "assignment": ["client_file_reassigned"],
        "member": ["household_member_added"],
        "end": ["household_member_ended"],
    }.get(name, [read_event])
    assert new_events == expected
    new_vias = AuditEvent.objects.filter(client_file=client_file, id__gt=last_id).values_list("via", flat=True)
    assert set(new_vias) == {"api"}


DENIED = [
    pytest.param(("zeynep", ZANDVOORT), 404, id="other-gemeente"),
    pytest.param(("youssef", ZANDVOORT), 404, id="own-user-other-membership"),
    pytest.param(("zoe", ZANDVOORT), 404, id="other-gemeente-teamleider"),
    pytest.param(("bram", "GM0392"), 404, id="beleidsmedewerker"),
    pytest.param(("anouk", "GM0392"), 404, id="aanbieder"),
    pytest.param(("mira", "GM0392"), 404, id="maatschappelijk-begeleider"),
    pytest.param(None, 401, id="anonymous"),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
@pytest.mark.parametrize(("who", "expected"), DENIED)
def test_denied_callers_get_404_or_401_and_nothing_is_read_or_changed(endpoint, who, expected, api, staff, target):
    _, method, template, body_name, _, _, _ = endpoint
    client_file, member = target
    before = _snapshot(client_file)
    client = api(*who) if who else api(None)
    response = _call(client, method, template.format(id=client_file.pk, member=member.pk), _body(body_name, staff))
    assert response.status_code == expected
    body = problem(response)
    assert body["status"] == expected
    if expected == 401:
        assert response["WWW-Authenticate"] == "Token"
    assert _snapshot(client_file) == before


ROLE_LIMITED = [
    # Endpoints that need more than reading files: the role's denial is a 404 too.
    ("audit_list", "kim"),  # a klantregisseur may not see who read a file
    ("audit_list", "frank"),
    ("verwerkingen", "kim"),  # nor export its processing actions
    ("verwerkingen", "frank"),
    ("assignment", "kim"),  # only the teamleider reassigns
    ("assignment", "youssef"),
    ("patch", "frank"),  # the financieel consulent reads files, but does not change them
    ("status", "frank"),
    ("note", "frank"),
    ("member", "frank"),
    ("end", "frank"),
]


@pytest.mark.parametrize(("name", "username"), ROLE_LIMITED)
def test_a_role_without_the_capability_gets_404_on_an_object_endpoint(name, username, api, staff, target):
    _, method, template, body_name, _, _, _ = next(e for e in ENDPOINTS if e[0] == name)
    client_file, member = target
    before = _snapshot(client_file)
    response = _call(
        api(username), method, template.format(id=client_file.pk, member=member.pk), _body(body_name, staff)
    )
    assert response.status_code == 404
    assert _snapshot(client_file) == before


def test_the_functioneel_beheerder_sees_who_read_a_file_but_not_the_file(api, target):
    client_file, _ = target
    fenna = api("fenna")
    assert fenna.get(f"/api/v1/clients/{client_file.pk}").status_code == 404
    response = fenna.get(f"/api/v1/clients/{client_file.pk}/audit")
    assert response.status_code == 200
    assert events_of(client_file)[-1] == "file_audit_viewed"


def test_a_missing_file_answers_the_same_404_as_a_forbidden_one(api, make_file):
    zandvoort_file = make_file(ZANDVOORT)
    kim = api("kim")
    missing = kim.get("/api/v1/clients/987654321")
    forbidden = kim.get(f"/api/v1/clients/{zandvoort_file.pk}")
    assert missing.status_code == forbidden.status_code == 404
    assert missing.json() == forbidden.json()


# --- Endpoints that reach no object ----------------------------------------------------------------------------


def test_search_finds_only_files_of_the_tokens_gemeente(api, make_file):
    haarlem = make_file(person={"surname": "Zarif"})
    make_file(ZANDVOORT, person={"surname": "Zarif"})
    response = api("kim").post("/api/v1/persons/search", {"q": "zarif"})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [haarlem.pk]
    youssef_in_zandvoort = api("youssef", ZANDVOORT).post("/api/v1/persons/search", {"q": haarlem.person.bsn})
    assert youssef_in_zandvoort.json() == []


@pytest.mark.parametrize(("who", "expected"), [(("bram",), 403), (("anouk",), 403), (("fenna",), 403), (None, 401)])
def test_search_is_refused_without_the_capability_and_not_logged(who, expected, api, make_file):
    make_file(person={"surname": "Zarif"})
    before = AuditEvent.objects.filter(event_type="person_search_performed").count()
    response = (api(*who) if who else api(None)).post("/api/v1/persons/search", {"q": "zarif"})
    assert response.status_code == expected
    assert problem(response)["status"] == expected
    assert AuditEvent.objects.filter(event_type="person_search_performed").count() == before


def test_caseload_shows_only_own_files_in_own_gemeente(api, make_file):
    mine = make_file(assigned_to="kim")
    make_file(assigned_to="youssef")
    make_file(ZANDVOORT, assigned_to="youssef")
    assert [row["id"] for row in api("kim").get("/api/v1/caseload").json()["results"]] == [mine.pk]
    assert len(api("youssef").get("/api/v1/caseload").json()["results"]) == 1
    assert len(api("youssef", ZANDVOORT).get("/api/v1/caseload").json()["results"]) == 1


@pytest.mark.parametrize(
    ("who", "scope", "expected"),
    [
        (("kim",), "team", 403),
        (("bram",), "mine", 403),
        (("anouk",), "mine", 403),
        (("frank",), "mine", 403),
        (None, "mine", 401),
        (("tamara",), "team", 200),
        (("zoe", ZANDVOORT), "team", 200),
    ],
)
def test_caseload_scopes_follow_the_role(who, scope, expected, api, make_file):
    make_file(assigned_to="kim")
    before = AuditEvent.objects.filter(event_type="caseload_viewed").count()
    response = (api(*who) if who else api(None)).get("/api/v1/caseload", {"scope": scope})
    assert response.status_code == expected
    after = AuditEvent.objects.filter(event_type="caseload_viewed").count()
    assert after == before + (1 if expected == 200 else 0)


def test_team_caseload_of_zandvoort_does_not_show_haarlem_files(api, make_file):
    make_file(assigned_to="kim")
    zandvoort = make_file(ZANDVOORT, assigned_to="zeynep")
    rows = api("zoe", ZANDVOORT).get("/api/v1/caseload", {"scope": "team"}).json()["results"]
    assert [row["id"] for row in rows] == [zandvoort.pk]


REGISTRATION = {
    "person": {"bsn": "999000019", "given_names": "Lina", "surname": "Saleh", "birth_on": "1995-01-02"},
    "doelgroep": "gezinsmigrant",
}


@pytest.mark.parametrize(("who", "expected"), [(("bram",), 403), (("frank",), 403), (("fenna",), 403), (None, 401)])
def test_registering_is_refused_without_the_capability_and_writes_nothing(who, expected, api, staff):
    before = (
        Person.objects.count(),
        ClientFile.objects.count(),
        AuditEvent.objects.exclude(event_type="api_token_created").count(),
    )
    response = (api(*who) if who else api(None)).post("/api/v1/clients", REGISTRATION)
    assert response.status_code == expected
    after = (
        Person.objects.count(),
        ClientFile.objects.count(),
        AuditEvent.objects.exclude(event_type="api_token_created").count(),
    )
    assert after == before


def test_registering_in_zandvoort_creates_a_zandvoort_file(api):
    response = api("youssef", ZANDVOORT).post("/api/v1/clients", REGISTRATION)
    assert response.status_code == 201
    client_file = ClientFile.objects.get(pk=response.json()["id"])
    assert client_file.gemeente.code == ZANDVOORT
    assert response["Location"] == f"/api/v1/clients/{client_file.pk}"
    assert api("kim").get(f"/api/v1/clients/{client_file.pk}").status_code == 404


@pytest.mark.parametrize("username", ["kim", "bram", "anouk", "fenna", "tamara"])
def test_me_answers_for_every_role(username, api, staff):
    body = api(username).get("/api/v1/me").json()
    assert body["username"] == username
    assert body["gemeente"] == {"code": "GM0392", "name": "Haarlem"}
    assert body["authenticated_by"] == "token"


def test_me_is_401_for_anonymous(api):
    response = api(None).get("/api/v1/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_household_member_of_another_file_answers_404(api, make_file, household_member, target):
    client_file, _ = target
    other = make_file()
    other_member = household_member(other, bsn="")
    before = _snapshot(client_file)
    response = api("kim").post(
        f"/api/v1/clients/{client_file.pk}/household/{other_member.pk}/end",
        {"ended_on": date(2025, 8, 1).isoformat(), "reason": "x"},
    )
    assert response.status_code == 404
    assert _snapshot(client_file) == before
