"""What each endpoint answers, and that the API shows the same values the services stored (and the UI shows)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.deadlines import DEADLINE_LABELS
from openinburgering.clients.models import ClientFile, Note, Person
from openinburgering.clients.workflow import allowed_next_statuses
from openinburgering.households.models import HouseholdMember

from .conftest import events_of

pytestmark = pytest.mark.django_db

PERSON_FIELDS = (
    "bsn", "v_number", "given_names", "surname_prefix", "surname", "sex", "languages", "interpreter_needed",
    "interpreter_language", "street", "house_number", "postcode", "city", "phone", "email",
)  # fmt: skip
FILE_FIELDS = (
    "status",
    "doelgroep",
    "residence",
    "residence_purpose",
    "housed_under_taakstelling",
    "next_deadline_kind",
)
FILE_DATES = (
    "residence_from_on", "kennisgeving_on", "coa_koppeling_on", "registered_on", "housed_on", "pip_dagtekening_on",
    "next_deadline_on", "opened_on",
)  # fmt: skip


def _iso(value):
    return value.isoformat() if value is not None else None


def test_the_file_the_api_shows_equals_what_the_service_stored(api, make_file):
    client_file = make_file(
        assigned_to="kim",
        person={"v_number": "1234567890", "surname_prefix": "el", "sex": "V", "languages": "Arabisch, Engels",
                "interpreter_needed": True, "interpreter_language": "Arabisch", "postcode": "2011AB", "city": "Haarlem",
                "nationality_id": "0001", "birth_country_id": "6030", "email": "amal@example.org"},
        file={"registered_on": date(2025, 7, 10), "coa_koppeling_on": date(2025, 6, 20)},
    )  # fmt: skip
    body = api("kim").get(f"/api/v1/clients/{client_file.pk}").json()
    stored = ClientFile.objects.select_related("person", "assigned_to", "team").get(pk=client_file.pk)
    person = stored.person
    assert {f: body["person"][f] for f in PERSON_FIELDS} == {f: getattr(person, f) for f in PERSON_FIELDS}
    assert body["person"]["birth_on"] == person.birth_on.isoformat()
    assert body["person"]["nationality"] == person.nationality_id == "0001"
    assert body["person"]["birth_country"] == person.birth_country_id == "6030"
    assert {f: body[f] for f in FILE_FIELDS} == {f: getattr(stored, f) for f in FILE_FIELDS}
    assert {f: body[f] for f in FILE_DATES} == {f: _iso(getattr(stored, f)) for f in FILE_DATES}
    assert body["assigned_to"] == {"id": stored.assigned_to.pk, "display_name": "Kim de Vries"}
    assert body["team"] == {"id": stored.team.pk, "name": "Team Noord"}
    assert body["allowed_next_statuses"] == list(allowed_next_statuses(stored.status))
    assert body["next_deadline_label"] == str(DEADLINE_LABELS[stored.next_deadline_kind])
    assert body["days_left"] == (stored.next_deadline_on - timezone.localdate()).days
    assert body["is_overdue"] is (body["days_left"] < 0)


def test_registering_through_the_api_stores_every_field(api, staff):
    body = {
        "person": {
            "bsn": "9990 00019", "v_number": "1234567890", "given_names": "Lina", "surname_prefix": "",
            "surname": "Saleh", "birth_on": "1995-01-02", "sex": "V", "nationality": "0001", "languages": "Tigrinya",
            "interpreter_needed": True,
            "interpreter_language": "Tigrinya", "street": "Grote Markt", "house_number": "2", "postcode": "2011RD",
            "city": "Haarlem", "phone": "0612345678", "email": "lina@example.org",
        },
        "doelgroep": "gezinsmigrant", "residence": "regulier", "residence_purpose": "gezinshereniging",
        "residence_from_on": "2025-03-01", "kennisgeving_on": "2025-04-01", "assigned_to": staff["kim"].pk,
    }  # fmt: skip
    response = api("kim").post("/api/v1/clients", body)
    assert response.status_code == 201, response.content
    created = response.json()
    stored = ClientFile.objects.select_related("person").get(pk=created["id"])
    assert stored.person.bsn == "999000019"
    assert stored.person.nationality_id == "0001"
    assert stored.residence_purpose == "gezinshereniging"
    assert stored.assigned_to == staff["kim"]
    assert stored.team.name == "Team Noord"
    assert stored.status == "aangemeld"
    assert events_of(stored) == ["client_file_registered"]
    assert AuditEvent.objects.get(client_file=stored).via == "api"
    assert created == api("kim").get(f"/api/v1/clients/{stored.pk}").json() | {"updated_at": created["updated_at"]}


def test_patch_changes_person_and_file_and_logs_only_what_changed(api, make_file):
    client_file = make_file()
    response = api("kim").patch(
        f"/api/v1/clients/{client_file.pk}",
        {"person": {"phone": "0611111111", "given_names": "Amal"}, "doelgroep": "overig", "registered_on": None},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["person"]["phone"] == "0611111111"
    assert body["doelgroep"] == "overig"
    person_event = AuditEvent.objects.get(client_file=client_file, event_type="person_updated")
    assert person_event.changes == {"phone": {"old": "", "new": "0611111111"}}
    file_event = AuditEvent.objects.get(client_file=client_file, event_type="client_file_updated")
    assert file_event.changes == {"doelgroep": {"old": "asielstatushouder", "new": "overig"}}


def test_an_empty_patch_changes_nothing(api, make_file):
    client_file = make_file()
    before = events_of(client_file)
    response = api("kim").patch(f"/api/v1/clients/{client_file.pk}", {})
    assert response.status_code == 200
    assert events_of(client_file) == before


def test_a_patch_of_the_pip_date_moves_the_next_deadline_from_the_rules(api, make_file):
    client_file = make_file()
    body = api("kim").patch(f"/api/v1/clients/{client_file.pk}", {"pip_dagtekening_on": "2025-09-01"}).json()
    stored = ClientFile.objects.get(pk=client_file.pk)
    assert body["next_deadline_kind"] == stored.next_deadline_kind != "pip_due"
    assert body["next_deadline_on"] == stored.next_deadline_on.isoformat()


def test_status_changes_are_appended_and_listed_newest_first(api, make_file):
    client_file = make_file()
    kim = api("kim")
    created = kim.post(f"/api/v1/clients/{client_file.pk}/status-changes", {"to_status": "intake", "reason": "Gepland"})
    assert created.status_code == 201
    assert created.json()["from_status"] == "aangemeld"
    assert created.json()["to_status"] == "intake"
    listing = kim.get(f"/api/v1/clients/{client_file.pk}/status-changes").json()
    assert listing["count"] == 2
    assert [(r["from_status"], r["to_status"]) for r in listing["results"]] == [
        ("aangemeld", "intake"),
        ("", "aangemeld"),
    ]
    assert listing["results"][0]["changed_by"]["display_name"] == "Kim de Vries"
    assert kim.get(f"/api/v1/clients/{client_file.pk}").json()["status"] == "intake"


def test_notes_and_their_corrections(api, make_file):
    client_file = make_file()
    kim = api("kim")
    first = kim.post(f"/api/v1/clients/{client_file.pk}/notes", {"body": "  Gebeld.  "}).json()
    assert first["body"] == "Gebeld."
    assert first["corrects"] is None
    correction = kim.post(f"/api/v1/clients/{client_file.pk}/notes", {"body": "Gemaild.", "corrects": first["id"]})
    assert correction.status_code == 201
    assert correction.json()["corrects"] == first["id"]
    listing = kim.get(f"/api/v1/clients/{client_file.pk}/notes").json()
    assert [(n["body"], n["corrects"]) for n in listing["results"]] == [("Gemaild.", first["id"]), ("Gebeld.", None)]
    assert Note.objects.filter(client_file=client_file).count() == 2
    assert events_of(client_file)[-3:] == ["note_added", "note_corrected", "notes_read"]


def test_notes_are_paged(api, make_file):
    client_file = make_file()
    kim = api("kim")
    for index in range(3):
        kim.post(f"/api/v1/clients/{client_file.pk}/notes", {"body": f"Notitie {index}"})
    page = kim.get(f"/api/v1/clients/{client_file.pk}/notes", {"page_size": 2, "page": 2}).json()
    assert page["count"] == 3
    assert [n["body"] for n in page["results"]] == ["Notitie 0"]
    assert page["next"] is None


def test_the_teamleider_reassigns_a_file(api, staff, make_file):
    client_file = make_file(assigned_to="kim")
    response = api("tamara").post(f"/api/v1/clients/{client_file.pk}/assignment", {"assigned_to": staff["youssef"].pk})
    assert response.status_code == 200
    assert response.json()["assigned_to"] == {"id": staff["youssef"].pk, "display_name": "Youssef El Amrani"}
    assert response.json()["team"]["name"] == "Team Noord"  # kept when left out
    event = AuditEvent.objects.get(client_file=client_file, event_type="client_file_reassigned")
    assert event.changes == {"assigned_to": {"old": staff["kim"].pk, "new": staff["youssef"].pk}}
    unassigned = api("tamara").post(f"/api/v1/clients/{client_file.pk}/assignment", {"assigned_to": None, "team": None})
    assert unassigned.json()["assigned_to"] is None
    assert unassigned.json()["team"] is None


def test_household_members_are_added_listed_and_ended(api, make_file):
    client_file = make_file()
    kim = api("kim")
    added = kim.post(
        f"/api/v1/clients/{client_file.pk}/household",
        {"relation": "kind", "started_on": "2025-07-01", "education_kind": "basisschool", "education_name": "De Linde",
         "person": {"given_names": "Sami", "surname": "Haddad", "birth_on": "2018-03-04"}},
    )  # fmt: skip
    assert added.status_code == 201, added.content
    member = added.json()
    assert member["relation"] == "kind"
    assert member["person"]["given_names"] == "Sami"
    members = kim.get(f"/api/v1/clients/{client_file.pk}/household").json()
    assert [(m["relation"], m["person"]["given_names"]) for m in members] == [("aanvrager", "Amal"), ("kind", "Sami")]
    ended = kim.post(
        f"/api/v1/clients/{client_file.pk}/household/{member['id']}/end",
        {"ended_on": "2025-09-01", "reason": "Uithuis"},
    )
    assert ended.status_code == 200
    assert ended.json()["ended_on"] == "2025-09-01"
    assert ended.json()["is_current"] is False
    assert [m["relation"] for m in kim.get(f"/api/v1/clients/{client_file.pk}/household").json()] == ["aanvrager"]
    everyone = kim.get(f"/api/v1/clients/{client_file.pk}/household", {"include_ended": "true"}).json()
    assert [m["relation"] for m in everyone] == ["aanvrager", "kind"]
    assert HouseholdMember.objects.get(pk=member["id"]).ended_reason == "Uithuis"
    again = kim.post(
        f"/api/v1/clients/{client_file.pk}/household/{member['id']}/end", {"ended_on": "2025-09-02", "reason": "x"}
    )
    assert again.status_code == 404


def test_a_known_person_is_reused_as_a_household_member(api, make_file):
    first = make_file()
    second = make_file()
    response = api("kim").post(
        f"/api/v1/clients/{second.pk}/household",
        {"relation": "partner", "started_on": "2025-07-01",
         "person": {"bsn": first.person.bsn, "given_names": "X", "surname": "Y", "birth_on": "1990-05-01"}},
    )  # fmt: skip
    assert response.status_code == 201
    assert response.json()["person"]["id"] == first.person_id
    assert Person.objects.count() == 2


def test_the_audit_list_shows_who_read_and_which_fields_changed_but_no_values(api, make_file):
    client_file = make_file()
    api("kim").get(f"/api/v1/clients/{client_file.pk}")
    api("kim").patch(f"/api/v1/clients/{client_file.pk}", {"person": {"phone": "0612345678"}})
    body = api("tamara").get(f"/api/v1/clients/{client_file.pk}/audit").json()
    rows = [
        (r["event_type"], r["actor"]["display_name"], r["actor_role"], r["via"], r["kind"]) for r in body["results"]
    ]
    assert rows == [
        ("file_audit_viewed", "Tamara Bakker", "teamleider", "api", "read"),
        ("person_updated", "Kim de Vries", "klantregisseur", "api", "change"),
        ("client_file_read", "Kim de Vries", "klantregisseur", "api", "read"),
        ("client_file_registered", "Kim de Vries", "klantregisseur", "ui", "change"),
    ]
    assert body["results"][1]["changed_fields"] == ["phone"]
    assert "0612345678" not in str(body)


def test_search_by_bsn_name_birth_date_and_v_number(api, make_file):
    target = make_file(person={"given_names": "Amal Noor", "surname": "Haddad", "v_number": "1234567890",
                               "birth_on": date(1991, 2, 3)})  # fmt: skip
    make_file(person={"given_names": "Omar", "surname": "Said"})
    kim = api("kim")
    for query in (target.person.bsn, "haddad", "noor hadd", "03-02-1991", "1991-02-03", "1234567890"):
        results = kim.post("/api/v1/persons/search", {"q": query}).json()
        assert [r["id"] for r in results] == [target.pk], query
    row = kim.post("/api/v1/persons/search", {"q": "haddad"}).json()[0]
    assert set(row) == {"id", "status", "opened_on", "person", "bsn_end", "assigned_to"}
    assert set(row["person"]) == {"id", "given_names", "surname_prefix", "surname", "birth_on"}
    assert row["bsn_end"] == target.person.bsn[-3:]
    event = AuditEvent.objects.filter(event_type="person_search_performed").latest("id")
    assert (event.changes, event.via, event.client_file_id) == ({"result_count": 1}, "api", None)


def test_a_search_without_results_is_logged_too(api):
    assert api("kim").post("/api/v1/persons/search", {"q": "niemand"}).json() == []
    assert AuditEvent.objects.filter(event_type="person_search_performed").latest("id").changes == {"result_count": 0}


def test_caseload_filters_orders_and_pages_in_the_database(api, staff, make_file):
    today = timezone.localdate()
    overdue = make_file(
        assigned_to="kim", person={"surname": "Bakr"}, file={"kennisgeving_on": today - timedelta(days=200)}
    )
    later = make_file(
        assigned_to="kim", person={"surname": "Abadi"}, file={"kennisgeving_on": today - timedelta(days=1)}
    )
    make_file(assigned_to="youssef")
    closed = make_file(assigned_to="kim")
    api("kim").post(f"/api/v1/clients/{closed.pk}/status-changes", {"to_status": "verhuisd", "reason": "Verhuisd"})
    kim = api("kim")
    rows = kim.get("/api/v1/caseload").json()["results"]
    assert [r["id"] for r in rows] == [overdue.pk, later.pk]
    assert rows[0]["is_overdue"] is True
    stored = ClientFile.objects.get(pk=overdue.pk)
    assert rows[0]["next_deadline_on"] == stored.next_deadline_on.isoformat()
    assert rows[0]["days_left"] == (stored.next_deadline_on - today).days
    assert [r["id"] for r in kim.get("/api/v1/caseload", {"ordering": "name"}).json()["results"]] == [
        later.pk,
        overdue.pk,
    ]
    assert [r["id"] for r in kim.get("/api/v1/caseload", {"due": "overdue"}).json()["results"]] == [overdue.pk]
    assert kim.get("/api/v1/caseload", {"status": "intake"}).json()["count"] == 0
    page = kim.get("/api/v1/caseload", {"page_size": 1, "page": 2}).json()
    assert (page["count"], [r["id"] for r in page["results"]]) == (2, [later.pk])
    team = api("tamara").get("/api/v1/caseload", {"scope": "team", "assigned_to": staff["youssef"].pk}).json()
    assert team["count"] == 1
    event = AuditEvent.objects.filter(event_type="caseload_viewed").latest("id")
    assert event.changes == {"scope": "team", "page": 1, "result_count": 1}
