"""Bad input never gives a 500 or a half-written record: types and formats are checked by the serializers,
business rules by the services, and both answer 400 Problem Details with a Dutch reason per field."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile, Note, Person, StatusChange
from openinburgering.households.models import HouseholdMember

from .conftest import invalid_params, problem

pytestmark = pytest.mark.django_db

PERSON = {"bsn": "999000019", "given_names": "Lina", "surname": "Saleh", "birth_on": "1995-01-02"}
TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()


def _counts():
    return (
        Person.objects.count(), ClientFile.objects.count(), StatusChange.objects.count(), Note.objects.count(),
        HouseholdMember.objects.count(), AuditEvent.objects.exclude(event_type="api_token_created").count(),
    )  # fmt: skip


# body → the invalid parameter names the answer must hold (exactly)
REGISTRATION_GARBAGE = [
    pytest.param({}, {"person"}, id="empty"),
    pytest.param({"person": None}, {"person"}, id="null-person"),
    pytest.param({"person": "Lina"}, {"person.nonFieldErrors"}, id="person-not-an-object"),
    pytest.param({"person": []}, {"person.nonFieldErrors"}, id="person-a-list"),
    pytest.param({"person": {**PERSON, "birth_on": "2025-02-30"}}, {"person.birth_on"}, id="impossible-date"),
    pytest.param({"person": {**PERSON, "birth_on": "30-01-1995"}}, {"person.birth_on"}, id="dutch-date-format"),
    pytest.param({"person": {**PERSON, "birth_on": 19950102}}, {"person.birth_on"}, id="date-as-number"),
    pytest.param({"person": {**PERSON, "birth_on": None}}, {"person.birth_on"}, id="null-date"),
    pytest.param({"person": {**PERSON, "birth_on": "1995-01-02T10:00:00"}}, {"person.birth_on"}, id="datetime"),
    pytest.param({"person": {**PERSON, "birth_on": TOMORROW}}, {"person.birth_on"}, id="born-tomorrow"),
    pytest.param({"person": {**PERSON, "birth_on": "1850-01-01"}}, {"person.birth_on"}, id="born-too-early"),
    pytest.param({"person": {**PERSON, "bsn": "123456789"}}, {"person.bsn"}, id="bsn-fails-elfproef"),
    pytest.param({"person": {**PERSON, "bsn": ["999000019"]}}, {"person.bsn"}, id="bsn-a-list"),
    pytest.param({"person": {**PERSON, "v_number": "12ab"}}, {"person.v_number"}, id="bad-v-number"),
    pytest.param({"person": {**PERSON, "given_names": ""}}, {"person.given_names"}, id="blank-name"),
    pytest.param({"person": {**PERSON, "given_names": None}}, {"person.given_names"}, id="null-name"),
    pytest.param({"person": {**PERSON, "surname": "x" * 201}}, {"person.surname"}, id="name-too-long"),
    pytest.param(
        {"person": {**PERSON, "surname": {"a": {"b": [1, {"c": None}]}}}}, {"person.surname"}, id="nested-junk"
    ),
    pytest.param({"person": {**PERSON, "surname": "Sal\u0000eh"}}, {"person.surname"}, id="nul-character"),
    pytest.param({"person": {**PERSON, "surname": "\ud800"}}, {"person.surname"}, id="lone-surrogate"),
    pytest.param({"person": {**PERSON, "sex": "X"}}, {"person.sex"}, id="unknown-sex-code"),
    pytest.param({"person": {**PERSON, "sex": ["M"]}}, {"person.sex"}, id="sex-a-list"),
    pytest.param({"person": {**PERSON, "nationality": "9999"}}, {"person.nationality"}, id="unknown-nationality"),
    pytest.param({"person": {**PERSON, "birth_country": "12345"}}, {"person.birth_country"}, id="country-too-long"),
    pytest.param({"person": {**PERSON, "email": "not-an-address"}}, {"person.email"}, id="bad-email"),
    pytest.param({"person": {**PERSON, "interpreter_needed": "perhaps"}}, {"person.interpreter_needed"}, id="bad-bool"),
    pytest.param({"person": {**PERSON, "interpreter_needed": [True]}}, {"person.interpreter_needed"}, id="bool-a-list"),
    pytest.param(
        {"person": {**PERSON, "interpreter_needed": True}}, {"person.interpreter_language"}, id="tolk-no-language"
    ),
    pytest.param({"person": PERSON, "doelgroep": "alien"}, {"doelgroep"}, id="unknown-doelgroep"),
    pytest.param({"person": PERSON, "doelgroep": None}, {"doelgroep"}, id="null-doelgroep"),
    pytest.param(
        {"person": PERSON, "residence": "asiel", "residence_purpose": "studie"},
        {"residence_purpose"},
        id="purpose-with-asiel",
    ),
    pytest.param({"person": PERSON, "kennisgeving_on": TOMORROW}, {"kennisgeving_on"}, id="kennisgeving-in-future"),
    pytest.param(
        {"person": PERSON, "kennisgeving_on": "1990-01-01"}, {"kennisgeving_on"}, id="kennisgeving-before-birth"
    ),
    pytest.param({"person": PERSON, "kennisgeving_on": "2025-13-01"}, {"kennisgeving_on"}, id="month-13"),
    pytest.param({"person": PERSON, "assigned_to": "kim"}, {"assigned_to"}, id="assigned-to-a-name"),
    pytest.param({"person": PERSON, "assigned_to": 10**30}, {"assigned_to"}, id="assigned-to-huge"),
    pytest.param({"person": PERSON, "assigned_to": -1}, {"assigned_to"}, id="assigned-to-negative"),
    pytest.param({"person": PERSON, "assigned_to": True}, {"assigned_to"}, id="assigned-to-bool"),
    pytest.param({"person": PERSON, "team": 987654}, {"team"}, id="unknown-team"),
    pytest.param({"person": PERSON, "status": "voldaan"}, {"status"}, id="read-only-field"),
    pytest.param({"person": {**PERSON, "id": 5}}, {"person.id"}, id="nested-read-only-field"),
    pytest.param({"person": PERSON, "surnme": "typo"}, {"surnme"}, id="unknown-field"),
    pytest.param(
        {"person": {**PERSON, "birth_on": "2025-02-30", "sex": "X"}, "doelgroep": "x", "extra": 1},
        {"person.birth_on", "person.sex", "doelgroep", "extra"},
        id="every-error-at-once",
    ),
]


@pytest.mark.parametrize(("body", "names"), REGISTRATION_GARBAGE)
def test_registration_garbage_gets_400_with_a_reason_per_field(body, names, api):
    before = _counts()
    response = api("kim").post("/api/v1/clients", body)
    params = invalid_params(response)
    assert set(params) == names
    assert all(reasons and all(reason.strip() for reason in reasons) for reasons in params.values())
    assert _counts() == before


def test_reasons_are_in_dutch(api):
    response = api("kim").post(
        "/api/v1/clients", {"person": {**PERSON, "birth_on": "2025-02-30", "bsn": "123456789"}, "extra": 1}
    )
    params = invalid_params(response)
    assert params["person.birth_on"] == [
        "Dit is geen geldige datum. Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2025-03-31."
    ]
    assert params["extra"] == ["Dit veld bestaat niet of kan niet worden meegestuurd."]
    body = problem(response)
    assert body["title"] == "Ongeldige invoer."


def test_a_business_rule_reason_comes_from_the_service(api):
    response = api("kim").post("/api/v1/clients", {"person": {**PERSON, "bsn": "123456789"}})
    assert invalid_params(response) == {
        "person.bsn": ["Dit BSN klopt niet. Een BSN heeft 9 cijfers en moet voldoen aan de elfproef."]
    }


def test_a_duplicate_open_file_is_refused(api):
    assert api("kim").post("/api/v1/clients", {"person": PERSON}).status_code == 201
    before = _counts()
    response = api("kim").post("/api/v1/clients", {"person": PERSON})
    assert set(invalid_params(response)) == {"person.bsn"}
    assert _counts() == before


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("{", id="truncated"),
        pytest.param("not json", id="text"),
        pytest.param("[" * 100_000 + "]" * 100_000, id="deeply-nested-array"),
        pytest.param('{"a":' * 50_000 + "1" + "}" * 50_000, id="deeply-nested-object"),
        pytest.param('{"person": NaN}', id="nan"),
        pytest.param(b"\xff\xfe{}", id="not-utf8"),
    ],
)
def test_a_body_that_is_not_json_gets_400(raw, api):
    before = _counts()
    response = api("kim").post("/api/v1/clients", raw=raw)
    assert response.status_code == 400
    assert problem(response)["detail"] == "De inhoud is geen geldige JSON."
    assert _counts() == before


@pytest.mark.parametrize("raw", ["[]", '"a string"', "42", "null", "true"])
def test_a_json_body_that_is_not_an_object_gets_400(raw, api):
    response = api("kim").post("/api/v1/clients", raw=raw)
    assert response.status_code == 400
    assert problem(response)["status"] == 400


def test_an_oversized_body_gets_413(api, settings):
    before = _counts()
    huge = json.dumps({"person": {**PERSON, "languages": "x" * (3 * 1024 * 1024)}})
    response = api("kim").post("/api/v1/clients", raw=huge)
    assert response.status_code == 413
    assert problem(response)["code"] == "request_too_large"
    assert _counts() == before


def test_an_oversized_form_body_with_a_session_gets_415_without_being_read(login):
    client = login("kim")
    client.handler.enforce_csrf_checks = True  # the CSRF check asks for the form fields first
    client.cookies["csrftoken"] = "a" * 32
    response = client.post(
        "/api/v1/clients", data="a=" + "x" * (3 * 1024 * 1024), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert problem(response)["status"] == 415


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_a_body_that_is_not_json_by_its_type_gets_415(content_type, api):
    response = api("kim").post("/api/v1/clients", raw="person=x", content_type=content_type)
    assert response.status_code == 415
    assert problem(response)["status"] == 415


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/v1/clients"), ("DELETE", "/api/v1/clients/1"), ("PUT", "/api/v1/clients/1"),
     ("DELETE", "/api/v1/clients/1/notes"), ("GET", "/api/v1/clients/1/assignment"), ("POST", "/api/v1/me")],
)  # fmt: skip
def test_a_wrong_method_gets_405_with_allow(method, path, api, make_file):
    response = api("kim").send(method, path, {}) if method != "GET" else api("kim").get(path)
    assert response.status_code == 405
    assert problem(response)["status"] == 405
    assert response["Allow"]


def test_there_is_no_list_of_all_clients(api, make_file):
    make_file()
    response = api("tamara").get("/api/v1/clients")
    assert response.status_code == 405


@pytest.mark.parametrize(
    "path", ["/api/v1/clients/99999999999999999999999", "/api/v1/clients/0", "/api/v1/nothing", "/api/v1/clients/1/"]
)
def test_unknown_paths_and_impossible_ids_get_404_problem_details(path, api):
    response = api("kim").get(path)
    assert response.status_code == 404
    assert problem(response)["status"] == 404


def test_a_huge_member_id_gets_404(api, make_file):
    client_file = make_file()
    response = api("kim").post(
        f"/api/v1/clients/{client_file.pk}/household/99999999999999999999999/end",
        {"ended_on": "2025-08-01", "reason": "x"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "a"}, "q"),
        ({"q": "1234"}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": "x" * 150}, "q"),
        ({"q": "ab\x00c"}, "q"),
        ({"q": "31-02-1990"}, "q"),
    ],
)
def test_bad_search_queries_get_400_on_q(params, name, api):
    before = AuditEvent.objects.filter(event_type="person_search_performed").count()
    response = api("kim").post("/api/v1/persons/search", params)
    assert response.status_code == 400
    assert problem(response)["status"] == 400
    assert set(invalid_params(response)) == {name}
    assert AuditEvent.objects.filter(event_type="person_search_performed").count() == before


def test_a_search_by_get_gets_405_and_does_not_search(api, make_file):
    client_file = make_file(person={"surname": "Zarif"})
    response = api("kim").get("/api/v1/persons/search", {"q": client_file.person.bsn})
    assert response.status_code == 405
    assert problem(response)["status"] == 405
    assert response["Allow"] == "POST, OPTIONS"
    assert client_file.person.bsn not in response.content.decode()
    assert not AuditEvent.objects.filter(event_type="person_search_performed").exists()


@pytest.mark.parametrize("body", [[], "zarif", None, {"q": ["zarif"]}, {"q": {"x": 1}}])
def test_a_search_body_that_is_not_an_object_with_a_text_q_gets_400(body, api):
    response = api("kim").post("/api/v1/persons/search", body)
    assert response.status_code == 400
    assert problem(response)["status"] == 400
    assert not AuditEvent.objects.filter(event_type="person_search_performed").exists()


def test_a_search_body_with_an_unknown_field_such_as_page_gets_400_on_that_field(api):
    response = api("kim").post("/api/v1/persons/search", {"q": "zarif", "page": 2})
    assert response.status_code == 400
    assert set(invalid_params(response)) == {"page"}
    assert not AuditEvent.objects.filter(event_type="person_search_performed").exists()


def test_a_search_body_that_is_not_json_gets_415(api):
    response = api("kim").post(
        "/api/v1/persons/search", raw="q=zarif", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert problem(response)["status"] == 415


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"scope": "everyone"}, {"scope"}),
        ({"status": "bogus"}, {"status"}),
        ({"doelgroep": "x"}, {"doelgroep"}),
        ({"due": "tomorrow"}, {"due"}),
        ({"assigned_to": "kim"}, {"assigned_to"}),
        ({"assigned_to": "-3"}, {"assigned_to"}),
        ({"assigned_to": "99999999999999999999999"}, {"assigned_to"}),
        ({"ordering": "bsn"}, {"ordering"}),
    ],
)
def test_bad_caseload_filters_get_400(params, names, api):
    response = api("tamara").get("/api/v1/caseload", {"scope": "team", **params} if "scope" not in params else params)
    assert set(invalid_params(response)) == names


@pytest.mark.parametrize("page", ["abc", "0", "999", "-1"])
def test_a_page_out_of_range_gets_404_problem_details(page, api, make_file):
    make_file(assigned_to="kim")
    response = api("kim").get("/api/v1/caseload", {"page": page})
    assert response.status_code == 404
    assert problem(response)["status"] == 404


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({}, {"to_status", "reason"}),
        ({"to_status": "gone", "reason": "x"}, {"to_status"}),
        ({"to_status": "voldaan", "reason": "x"}, {"to_status"}),
        ({"to_status": "intake", "reason": "   "}, {"reason"}),
        ({"to_status": "intake", "reason": None}, {"reason"}),
        ({"to_status": "intake", "reason": "x" * 2001}, {"reason"}),
        ({"to_status": "intake", "reason": "x", "changed_at": "2020-01-01"}, {"changed_at"}),
    ],
)
def test_bad_status_changes_get_400_and_change_nothing(body, names, api, make_file):
    client_file = make_file()
    before = _counts()
    response = api("kim").post(f"/api/v1/clients/{client_file.pk}/status-changes", body)
    assert set(invalid_params(response)) == names
    assert _counts() == before
    assert ClientFile.objects.get(pk=client_file.pk).status == "aangemeld"


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({}, {"body"}),
        ({"body": "  "}, {"body"}),
        ({"body": ["a"]}, {"body"}),
        ({"body": "x" * 10_001}, {"body"}),
        ({"body": "ok", "corrects": "first"}, {"corrects"}),
        ({"body": "ok", "corrects": 987654}, {"corrects"}),
        ({"body": "ok", "corrects": 10**30}, {"corrects"}),
        ({"body": "ok", "author": 1}, {"author"}),
    ],
)
def test_bad_notes_get_400_and_add_nothing(body, names, api, make_file):
    client_file = make_file()
    before = _counts()
    response = api("kim").post(f"/api/v1/clients/{client_file.pk}/notes", body)
    assert set(invalid_params(response)) == names
    assert _counts() == before


def test_a_correction_must_point_at_a_note_of_the_same_file(api, make_file):
    first, second = make_file(), make_file()
    note = api("kim").post(f"/api/v1/clients/{first.pk}/notes", {"body": "Eerste"}).json()
    before = _counts()
    response = api("kim").post(f"/api/v1/clients/{second.pk}/notes", {"body": "Correctie", "corrects": note["id"]})
    assert invalid_params(response) == {"corrects": ["Deze notitie bestaat niet in dit dossier."]}
    assert _counts() == before


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({}, {"assigned_to"}),
        ({"assigned_to": "tamara"}, {"assigned_to"}),
        ({"assigned_to": 987654}, {"assigned_to"}),
        ({"assigned_to": None, "team": "Noord"}, {"team"}),
    ],
)
def test_bad_assignments_get_400(body, names, api, make_file):
    client_file = make_file(assigned_to="kim")
    response = api("tamara").post(f"/api/v1/clients/{client_file.pk}/assignment", body)
    assert set(invalid_params(response)) == names
    assert ClientFile.objects.get(pk=client_file.pk).assigned_to.username == "kim"


def test_assigning_to_a_worker_of_another_gemeente_is_refused(api, staff, make_file):
    client_file = make_file(assigned_to="kim")
    response = api("tamara").post(f"/api/v1/clients/{client_file.pk}/assignment", {"assigned_to": staff["zeynep"].pk})
    assert invalid_params(response) == {"assigned_to": ["Deze medewerker werkt niet voor deze gemeente."]}


def test_assigning_to_someone_who_is_no_caseworker_is_refused_by_the_service(api, staff, make_file):
    client_file = make_file(assigned_to="kim")
    response = api("tamara").post(f"/api/v1/clients/{client_file.pk}/assignment", {"assigned_to": staff["bram"].pk})
    assert invalid_params(response) == {
        "assigned_to": ["Deze medewerker is geen klantregisseur of teamleider in deze gemeente."]
    }


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({"person": {"birth_on": "2025-02-30"}}, {"person.birth_on"}),
        ({"person": {"bsn": "123456789"}}, {"person.bsn"}),
        ({"person": {"given_names": ""}}, {"person.given_names"}),
        ({"person": "x"}, {"person.nonFieldErrors"}),
        ({"kennisgeving_on": "2025-02-29"}, {"kennisgeving_on"}),
        ({"kennisgeving_on": TOMORROW}, {"kennisgeving_on"}),
        ({"status": "voldaan"}, {"status"}),
        ({"assigned_to": 1}, {"assigned_to"}),
        ({"housed_under_taakstelling": None}, {"housed_under_taakstelling"}),
    ],
)
def test_bad_patches_get_400_and_change_nothing(body, names, api, make_file):
    client_file = make_file()
    before = (
        _counts(),
        ClientFile.objects.get(pk=client_file.pk).updated_at,
        Person.objects.get(pk=client_file.person_id).updated_at,
    )
    response = api("kim").patch(f"/api/v1/clients/{client_file.pk}", body)
    assert set(invalid_params(response)) == names
    after = (
        _counts(),
        ClientFile.objects.get(pk=client_file.pk).updated_at,
        Person.objects.get(pk=client_file.person_id).updated_at,
    )
    assert after == before


def test_a_patch_with_a_valid_person_and_an_invalid_file_field_changes_neither(api, make_file):
    client_file = make_file()
    response = api("kim").patch(
        f"/api/v1/clients/{client_file.pk}", {"person": {"phone": "0612345678"}, "kennisgeving_on": TOMORROW}
    )
    assert set(invalid_params(response)) == {"kennisgeving_on"}
    assert Person.objects.get(pk=client_file.person_id).phone == ""


def test_a_patch_to_a_bsn_of_another_person_is_refused(api, make_file):
    first, second = make_file(), make_file()
    response = api("kim").patch(f"/api/v1/clients/{second.pk}", {"person": {"bsn": first.person.bsn}})
    assert set(invalid_params(response)) == {"person.bsn"}


MEMBER = {
    "relation": "kind",
    "started_on": "2025-07-01",
    "person": {"given_names": "Sami", "surname": "Haddad", "birth_on": "2019-03-04"},
}


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({}, {"relation", "started_on", "person"}),
        ({**MEMBER, "relation": "aanvrager"}, {"relation"}),
        ({**MEMBER, "relation": "neef"}, {"relation"}),
        ({**MEMBER, "started_on": "2025-02-30"}, {"started_on"}),
        ({**MEMBER, "started_on": TOMORROW}, {"started_on"}),
        ({**MEMBER, "started_on": "2018-01-01"}, {"started_on"}),
        ({**MEMBER, "education_kind": "university"}, {"education_kind"}),
        ({**MEMBER, "person": {**MEMBER["person"], "bsn": "123"}}, {"person.bsn"}),
        ({**MEMBER, "person": {**MEMBER["person"], "birth_on": None}}, {"person.birth_on"}),
        ({**MEMBER, "person": {**MEMBER["person"], "birth_on": TOMORROW}}, {"person.birth_on"}),
        ({**MEMBER, "ended_on": "2025-08-01"}, {"ended_on"}),
    ],
)
def test_bad_household_members_get_400_and_add_nothing(body, names, api, make_file):
    client_file = make_file()
    before = _counts()
    response = api("kim").post(f"/api/v1/clients/{client_file.pk}/household", body)
    assert set(invalid_params(response)) == names
    assert _counts() == before


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({}, {"ended_on", "reason"}),
        ({"ended_on": "2025-02-30", "reason": "x"}, {"ended_on"}),
        ({"ended_on": "2025-06-30", "reason": "x"}, {"ended_on"}),
        ({"ended_on": TOMORROW, "reason": "x"}, {"ended_on"}),
        ({"ended_on": "2025-08-01", "reason": ""}, {"reason"}),
        ({"ended_on": "2025-08-01", "reason": "x" * 201}, {"reason"}),
    ],
)
def test_bad_household_endings_get_400_and_end_nothing(body, names, api, make_file, household_member):
    client_file = make_file()
    member = household_member(client_file)
    response = api("kim").post(f"/api/v1/clients/{client_file.pk}/household/{member.pk}/end", body)
    assert set(invalid_params(response)) == names
    assert HouseholdMember.objects.get(pk=member.pk).ended_on is None


def test_ending_the_client_self_is_refused(api, make_file, household_member):
    client_file = make_file()
    household_member(client_file)
    head = HouseholdMember.objects.get(person=client_file.person)
    response = api("kim").post(
        f"/api/v1/clients/{client_file.pk}/household/{head.pk}/end", {"ended_on": "2025-08-01", "reason": "x"}
    )
    assert response.status_code == 400
    assert problem(response)["detail"] == "De inburgeraar zelf blijft in het huishouden van dit dossier."
    assert HouseholdMember.objects.get(pk=head.pk).ended_on is None


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_bad_household_flag_gets_400(value, api, make_file):
    client_file = make_file()
    response = api("kim").get(f"/api/v1/clients/{client_file.pk}/household", {"include_ended": value})
    assert set(invalid_params(response)) == {"include_ended"}


def test_every_api_of_the_project_parses_bodies_with_the_safe_json_parser(settings):
    # Other apps' API views (e.g. signals) get the 413 and the clean 400s too, not only the views in api/.
    assert settings.REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] == ["openinburgering.api.parsers.JsonParser"]


# A blank reference code means "none" (CodeField): it is stored as null, never as "" (a foreign-key error, 500).
@pytest.mark.parametrize("field", ["nationality", "birth_country"])
@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_code_on_registration_is_stored_as_none(field, blank, api):
    response = api("kim").post("/api/v1/clients", {"person": {**PERSON, field: blank}})
    assert response.status_code == 201, response.content
    assert response.json()["person"][field] is None
    person = Person.objects.get(bsn=PERSON["bsn"])
    assert getattr(person, f"{field}_id") is None


@pytest.mark.parametrize("field", ["nationality", "birth_country"])
def test_a_blank_code_in_a_patch_clears_it(field, api, make_file):
    client_file = make_file(person={"nationality_id": "0001", "birth_country_id": "6030"})
    response = api("kim").patch(f"/api/v1/clients/{client_file.pk}", {"person": {field: ""}})
    assert response.status_code == 200, response.content
    assert response.json()["person"][field] is None
    assert getattr(Person.objects.get(pk=client_file.person_id), f"{field}_id") is None


@pytest.mark.parametrize("field", ["nationality", "birth_country"])
def test_a_blank_code_for_a_household_member_is_stored_as_none(field, api, make_file):
    client_file = make_file()
    body = {**MEMBER, "person": {**MEMBER["person"], field: ""}}
    response = api("kim").post(f"/api/v1/clients/{client_file.pk}/household", body)
    assert response.status_code == 201, response.content
    member = HouseholdMember.objects.get(pk=response.json()["id"])
    assert getattr(member.person, f"{field}_id") is None
