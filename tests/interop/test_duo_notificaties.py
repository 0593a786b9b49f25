"""DUO's Notificatie API served by this application: a notification arrives over mutual TLS, is checked (certificate
OIN, bron and doel against the gemeente's DUO connection, DUO's Notificatie schema), queued once per berichtId, and
becomes a signal after the background job fetched DUO's data (and the BRP's person for a new file). Every answer is
validated against DUO's Notificatie OpenAPI file; every call to DUO and the BRP by the loopback servers."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import requests
import yaml
from django.core.wsgi import get_wsgi_application
from django.test import Client
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from werkzeug.serving import make_server

from openinburgering.audit.models import AuditEvent
from openinburgering.interop import outbox
from openinburgering.interop.models import OutboxMessage
from openinburgering.signals.models import FileSignal, SignalMessage

from .conftest import connect
from .duo_server import DUO_OIN, GEMEENTE_OIN, SPECS, server_context

URL = "/duo/v1/notificaties"
NOTIFICATIE_API = OpenAPI.from_dict(
    {
        **yaml.safe_load((SPECS / "Notificatie" / "openapi.yml").read_text(encoding="utf-8")),
        "servers": [{"url": "/duo/v1"}],
    }
)
LBT = {
    "resultaat": "B1-route haalbaar",
    "behaaldeScore": "31,00",
    "benodigdeScore": "28,00",
    "datumAfname": "2026-11-20",
}


def notificatie(code: str, bsn: str) -> dict[str, Any]:
    return {"registratieDatumTijd": "2026-12-01T09:30:00+01:00", "gebeurtenisId": code, "bsn": bsn}


def headers(bericht_id: str, *, bron: str = DUO_OIN, doel: str = GEMEENTE_OIN) -> dict[str, str]:
    return {"bron": bron, "doel": doel, "berichtId": bericht_id}


def assert_fits_spec(body: dict[str, Any], sent: dict[str, str], status: int, answer_headers: dict[str, str],
                     content: bytes = b"") -> None:  # fmt: skip
    request = MockRequest("https://gemeente.test", "post", URL, headers=sent, data=json.dumps(body),
                          content_type="application/json")  # fmt: skip
    assert NOTIFICATIE_API.unmarshal_request(request).errors == []
    response = MockResponse(content, status_code=status, headers=answer_headers,
                            content_type=answer_headers.get("Content-Type", "application/json"))  # fmt: skip
    NOTIFICATIE_API.validate_response(request, response)


def post(client: Client, body: dict[str, Any], sent: dict[str, str], *, cert_pem: bytes | None) -> Any:
    extra = {f"HTTP_{name.upper()}": value for name, value in sent.items()}
    if cert_pem is not None:
        extra["SSL_CLIENT_CERT"] = cert_pem.decode()
    return client.post(URL, data=body, content_type="application/json", **extra)


@pytest.fixture
def app_over_mtls(pki: Any, reference_data: None) -> Iterator[str]:
    """This application behind a TLS front that demands a client certificate from the PKIoverheid (test) root and
    passes the verified certificate to Django in SSL_CLIENT_CERT, as the gemeente's front would."""
    context = server_context(pki.duo_ca, pki.pkio_ca)
    server = make_server("127.0.0.1", 0, get_wsgi_application(), threaded=True, ssl_context=context)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db(transaction=True)
def test_a_duo_event_arrives_over_mutual_tls_and_becomes_a_signal(
    app_over_mtls: str, pki: Any, duo_server: Any, haarlem: Any, make_file: Any, tmp_path: Any
) -> None:
    from .conftest import connect_duo

    connect_duo(haarlem, duo_server.api_root, pki)
    client_file = make_file()
    bsn = client_file.person.bsn
    duo_server.lbt[bsn] = [LBT]
    cert, key = tmp_path / "duo.pem", tmp_path / "duo.key"
    cert.write_bytes(pki.duo_cert[0])
    key.write_bytes(pki.duo_cert[1])
    ca = tmp_path / "ca.pem"
    ca.write_bytes(pki.duo_ca.cert_pem.bytes())
    bericht_id = str(uuid.uuid4())
    body, sent = notificatie("SS131", bsn), headers(bericht_id)

    answer = requests.post(app_over_mtls + URL, json=body, headers=sent, cert=(str(cert), str(key)), verify=str(ca),
                           timeout=10)  # fmt: skip
    again = requests.post(app_over_mtls + URL, json=body, headers=sent, cert=(str(cert), str(key)), verify=str(ca),
                          timeout=10)  # fmt: skip

    assert (answer.status_code, again.status_code) == (201, 201)
    assert_fits_spec(body, sent, 201, dict(answer.headers))
    message = OutboxMessage.objects.get(kind="duo.notificatie")  # one, though DUO sent it twice
    assert AuditEvent.objects.filter(event_type="duo_notification_received").count() == 1
    assert outbox.deliver(message.pk) == "sent"
    signal_message = SignalMessage.objects.get(external_id=bericht_id)
    assert signal_message.status == "applied"
    assert signal_message.client_file_id == client_file.pk
    assert FileSignal.objects.get(client_file=client_file, kind="lbt_result")
    assert [r["path"] for r in duo_server.requests] == [f"/v1/personen/{bsn}/lbt/resultaten"]
    assert duo_server.spec_errors == []
    # Without a client certificate the TLS front does not even let the request reach Django.
    with pytest.raises(requests.exceptions.SSLError):
        requests.post(app_over_mtls + URL, json=body, headers=headers(str(uuid.uuid4())), verify=str(ca), timeout=10)


def test_a_new_person_gets_a_file_with_the_brp_data(
    client: Client, pki: Any, duo_server: Any, duo_connection: Any, brp_server: Any, haarlem: Any
) -> None:
    connect(haarlem, "brp", brp_server.api_root, doelbinding="BRPACT-Inburgering-Haarlem")
    bsn = "999970872"  # an official BRP test person (Deepak Sankrityayan)
    duo_server.plicht[bsn] = {"indicatorInburgeringsplicht": True, "begindatum": "2026-10-01",
                              "datumKennisgevingInburgeringsplicht": "2026-10-15"}  # fmt: skip
    duo_server.doelgroep[bsn] = {"indeling": "Gezinsmigrant en overige migrant", "begindatum": "2026-10-01",
                                 "gedetailleerdeDoelgroep": "Gezinsvormer"}  # fmt: skip
    bericht_id = str(uuid.uuid4())

    answer = post(client, notificatie("SS101", bsn), headers(bericht_id), cert_pem=pki.duo_cert[0])
    assert answer.status_code == 201
    outbox.sweep()

    signal_message = SignalMessage.objects.get(external_id=bericht_id)
    assert signal_message.status == "applied", signal_message.reason
    person = signal_message.client_file.person
    assert (person.bsn, person.given_names, person.surname) == (bsn, "Deepak", "Sankrityayan")
    assert AuditEvent.objects.filter(event_type="duo_data_fetched").count() == 1
    assert duo_server.spec_errors == []
    assert brp_server.spec_errors == []


def test_duo_being_down_retries_the_notification(client: Client, pki: Any, duo_server: Any, duo_connection: Any,
                                                 make_file: Any) -> None:  # fmt: skip
    bsn = make_file().person.bsn
    duo_server.lbt[bsn] = [LBT]
    duo_server.fail_next = 1
    bericht_id = str(uuid.uuid4())
    assert post(client, notificatie("SS131", bsn), headers(bericht_id), cert_pem=pki.duo_cert[0]).status_code == 201
    message = OutboxMessage.objects.get(kind="duo.notificatie")

    assert outbox.deliver(message.pk) == "pending"
    message.refresh_from_db()
    assert "HTTP 503" in message.last_error
    assert not SignalMessage.objects.filter(external_id=bericht_id).exists()
    assert outbox.deliver(message.pk, now=message.next_attempt_at) == "sent"
    assert SignalMessage.objects.get(external_id=bericht_id).status == "applied"


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("no certificate", 401),
        ("certificate of another organisation", 403),
        ("bron is not DUO", 403),
        ("doel is not a gemeente with a DUO connection", 403),
        ("berichtId is not a UUID", 400),
        ("body does not fit the schema", 400),
    ],
)
def test_a_call_that_is_not_duos_or_not_valid_is_refused(
    client: Client, pki: Any, duo_connection: Any, case: str, status: int
) -> None:
    body, sent, cert = notificatie("SS131", "999993653"), headers(str(uuid.uuid4())), pki.duo_cert[0]
    if case == "no certificate":
        cert = None
    elif case == "certificate of another organisation":
        cert = pki.gemeente_cert[0]
    elif case == "bron is not DUO":
        sent["bron"] = GEMEENTE_OIN
        cert = pki.gemeente_cert[0]
    elif case == "doel is not a gemeente with a DUO connection":
        sent["doel"] = "0" * 20
    elif case == "berichtId is not a UUID":
        sent["berichtId"] = "bericht-1"
    else:
        body["gebeurtenisId"] = "ss131"

    answer = post(client, body, sent, cert_pem=cert)

    assert answer.status_code == status
    assert answer["API-Version"] == "1.8.0"
    assert not OutboxMessage.objects.exists()
    if status != 400:
        assert_fits_spec(notificatie("SS131", "999993653"), headers(str(uuid.uuid4())), status, dict(answer.items()))
        assert AuditEvent.objects.filter(event_type="duo_notification_refused").count() == 1


def test_a_certificate_passed_by_nginx_url_encoded_is_read(client: Client, pki: Any, duo_connection: Any,
                                                           settings: Any) -> None:  # fmt: skip
    settings.DUO_CLIENT_CERT_META = "HTTP_X_SSL_CLIENT_CERT"
    sent = headers(str(uuid.uuid4()))
    extra = {f"HTTP_{k.upper()}": v for k, v in sent.items()}
    extra["HTTP_X_SSL_CLIENT_CERT"] = quote(pki.duo_cert[0].decode())
    answer = client.post(URL, data=notificatie("SS131", "999993653"), content_type="application/json", **extra)
    assert answer.status_code == 201
    # The environ variable is ignored once a header is configured (only the front sets that header).
    settings.DUO_CLIENT_CERT_META = "HTTP_X_SSL_CLIENT_CERT"
    assert post(client, notificatie("SS131", "999993653"), headers(str(uuid.uuid4())),
                cert_pem=pki.duo_cert[0]).status_code == 401  # fmt: skip
