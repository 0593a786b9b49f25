"""The portal API (#15 item 11): /api/v1/mijn/… with the portal's DigiD session, only the client's own file;
another client's letter or upload is 404 like a missing one; staff tokens and sessions get 401; every read is
audited with via=api; the responses match openapi.yaml's schema (schemathesis, as tests/api/test_fuzz.py)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.test import Client
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from openinburgering.audit.models import AuditEvent
from openinburgering.letters.models import Letter
from openinburgering.mijn.models import PortalMessage, PortalSettings
from tests.api.conftest import token  # noqa: F401 -- the token fixture

from .conftest import digid_login
from .helpers import portal_items

GETS = ("me", "plan", "progress", "appointments", "documents", "messages", "access-log")


def test_every_portal_endpoint_answers_the_client_s_own_data(portal):
    client, client_file = portal()
    me = client.get("/api/v1/mijn/me").json()
    assert me["given_names"] == "Amal"
    assert me["gemeente"] == client_file.gemeente.name
    assert me["parts"] == {"plan": True, "appointments": True, "documents": True, "messages": True, "access_log": True}
    plan = client.get("/api/v1/mijn/plan").json()
    assert plan["has_plan"] is True
    assert plan["leerroute"] == "b1"
    assert plan["termijn_end_on"] is not None
    assert plan["route_switch_on"] is not None
    appointments = client.get("/api/v1/mijn/appointments").json()
    assert [row["kind"] for row in appointments["appointments"]][:1] == ["oproep"]
    assert appointments["appointments"][0]["location"] == "Stadhuis Haarlem, Grote Markt 2"
    assert [task["kind"] for task in appointments["tasks"]] == ["upload_diploma"]
    documents = client.get("/api/v1/mijn/documents").json()
    letter = Letter.objects.filter(client_file=client_file).first()
    assert [row["id"] for row in documents["letters"]] == [letter.pk]
    pdf = client.get(documents["letters"][0]["pdf_url"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert bytes(pdf.content) == bytes(letter.content)
    audited = set(AuditEvent.objects.filter(client_file=client_file, via="api").values_list("event_type", flat=True))
    assert audited == {
        "portal_data_read", "portal_plan_viewed", "portal_appointments_viewed", "portal_documents_viewed",
        "portal_letter_downloaded",
    }  # fmt: skip


def test_sending_a_message_through_the_api(portal):
    logged_in, client_file = portal()
    client = Client(enforce_csrf_checks=True)
    client.cookies = logged_in.cookies  # the same DigiD session, now in a client that checks CSRF like a browser
    refused = client.post("/api/v1/mijn/messages", {"body": "Hallo"}, content_type="application/json")
    assert refused.status_code == 403  # no CSRF token: a session API refuses a cross-site post
    client.get("/mijn/berichten/")
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/mijn/messages", {"body": "Hallo"}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert response.status_code == 201, response.content
    assert response.json()["direction"] == "from_client"
    empty = client.post(
        "/api/v1/mijn/messages", {"body": ""}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert empty.status_code == 400
    assert PortalMessage.objects.filter(client_file=client_file).count() == 1
    listed = client.get("/api/v1/mijn/messages").json()
    assert [row["body"] for row in listed] == ["Hallo"]


def test_another_client_s_letter_and_upload_are_404_in_the_api(portal, portal_file, staff):
    client, _own = portal()
    other = portal_file()
    _request, other_upload = portal_items(other, staff)
    other_letter = Letter.objects.filter(client_file=other).first()
    for path in (
        f"/api/v1/mijn/letters/{other_letter.pk}",
        f"/api/v1/mijn/uploads/{other_upload.pk}",
        "/api/v1/mijn/letters/999999",
        f"/api/v1/clients/{other.pk}",
        f"/api/v1/clients/{other.pk}/letters",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
    assert not AuditEvent.objects.filter(client_file=other, via="api").exists()
    owner = digid_login(other.person.bsn)
    assert owner.get(f"/api/v1/mijn/uploads/{other_upload.pk}").content == other_upload.file.open("rb").read()


def test_staff_and_strangers_get_401(portal, login, token):  # noqa: F811 -- the fixture imported above
    _client, _client_file = portal()
    kim_session = login("kim")
    _token, secret = token("kim")
    for name in GETS:
        assert Client().get(f"/api/v1/mijn/{name}").status_code == 401, name
        assert kim_session.get(f"/api/v1/mijn/{name}").status_code == 401, name
        assert Client().get(f"/api/v1/mijn/{name}", headers={"Authorization": f"Token {secret}"}).status_code == 401
    body = Client().get("/api/v1/mijn/me").json()
    assert body["status"] == 401


def test_a_part_the_gemeente_switched_off_is_404_in_the_api(portal):
    client, client_file = portal()
    PortalSettings.objects.create(gemeente=client_file.gemeente, messages_on=False)
    assert client.get("/api/v1/mijn/messages").status_code == 404
    assert client.get("/api/v1/mijn/me").json()["parts"]["messages"] is False
    assert client.get("/api/v1/mijn/plan").status_code == 200


def test_options_with_a_portal_session(portal):
    client, _client_file = portal()
    response = client.options("/api/v1/mijn/messages")
    assert response.status_code == 200
    assert sorted(m.strip() for m in response["Allow"].split(",")) == ["GET", "HEAD", "OPTIONS", "POST"]
    assert Client().options("/api/v1/mijn/messages").status_code == 401


@pytest.fixture(scope="module")
def schema() -> Any:
    path = Path(tempfile.mkdtemp()) / "openapi.yaml"
    call_command("spectacular", "--file", str(path))
    return schemathesis.openapi.from_path(str(path))


def test_the_portal_responses_match_the_openapi_schema(portal, staff, schema):
    client, client_file = portal()
    _request, upload = portal_items(client_file, staff)
    client.post("/mijn/berichten/", {"body": "Een vraag"})
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    letter = Letter.objects.filter(client_file=client_file).first()
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/api/v1/mijn/"):
            continue
        parameters = {"id": letter.pk if "letters" in operation.path else upload.pk}
        kwargs: dict[str, Any] = {"path_parameters": parameters} if "{id}" in operation.path else {}
        if operation.method.upper() == "POST":
            kwargs |= {"body": {"body": "Via de app"}, "media_type": "application/json"}
        case = operation.Case(**kwargs)
        django_response = client.generic(
            operation.method.upper(), case.formatted_path, json.dumps(case.body) if "body" in kwargs else "",
            content_type="application/json",
        )  # fmt: skip
        assert django_response.status_code < 300, (operation.label, django_response.content[:300])
        case.validate_response(_as_requests(django_response, case), checks=checks)
        checked += 1
    assert checked == 10


def _as_requests(response: Any, case: Any) -> Any:
    """A Django test response as the response schemathesis validates."""
    import requests
    from schemathesis.core.transport import Response

    request = requests.Request(case.method, "http://testserver" + case.formatted_path).prepare()
    return Response(
        status_code=response.status_code, headers={k.lower(): [v] for k, v in response.headers.items()},
        content=response.content, request=request, elapsed=0.0, message="", encoding="utf-8", http_version="1.1",
        verify=False,
    )  # fmt: skip
