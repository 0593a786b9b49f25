"""The DUO M2M client against a loopback DUO over mutual TLS, every request and response validated with openapi-core
against DUO's own OpenAPI files: headers (bron, doel, berichtId), the PIP registration through the outbox (at most
once, DUO's refusals as a signal, retries with backoff), hours, the termijn, and the masked request log."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

import pytest
from cryptography import x509
from django.core.files.base import ContentFile
from log_outgoing_requests.models import OutgoingRequestsLog

from openinburgering.audit.models import AuditEvent
from openinburgering.interop import outbox
from openinburgering.interop.duo import DuoClient, DuoError, DuoRefused, DuoUnavailable, NotConfigured
from openinburgering.interop.duo_uren import enqueue_uren
from openinburgering.interop.models import OutboxMessage, OutboxState
from openinburgering.interop.request_log import MaskedDatabaseHandler
from openinburgering.signals.models import FileSignal

from .duo_server import DUO_OIN, GEMEENTE_OIN

pytestmark = pytest.mark.django_db


def _oin_of(pem: str) -> str:
    cert = x509.load_pem_x509_certificate(pem.encode())
    return str(cert.subject.get_attributes_for_oid(x509.oid.NameOID.SERIAL_NUMBER)[0].value)


def test_a_call_goes_over_mutual_tls_with_the_oins_and_a_fresh_bericht_id(duo_server: Any, duo_connection: Any) -> None:
    duo_server.termijnen["999993653"] = {"startdatum": "2025-03-02", "einddatum": "2028-03-02"}

    with DuoClient(duo_connection) as client:
        termijn = client.get_termijn("999993653")
        assert client.get_termijn("999990019") is None  # 404: DUO does not know a termijn

    assert termijn is not None
    assert (termijn.startdatum, termijn.einddatum) == (date(2025, 3, 2), date(2028, 3, 2))
    first, second = duo_server.requests
    assert first["headers"]["Bron"] == GEMEENTE_OIN
    assert first["headers"]["Doel"] == DUO_OIN
    assert first["headers"]["Berichtid"] != second["headers"]["Berichtid"]  # a new UUID per request, as DUO says
    assert _oin_of(first["client_cert"]) == GEMEENTE_OIN  # the gemeente's PKIoverheid certificate was presented
    assert duo_server.spec_errors == []


def test_without_the_client_certificate_duo_refuses_the_connection(duo_server: Any, duo_connection: Any) -> None:
    duo_connection.service.client_certificate = None
    duo_connection.service.save()

    with pytest.raises(DuoUnavailable, match=r"beveiligde verbinding|niet bereikbaar"), DuoClient(duo_connection) as c:
        c.get_termijn("999993653")
    assert duo_server.requests == []  # the TLS handshake failed before any request


def test_an_untrusted_duo_server_is_refused(duo_server: Any, duo_connection: Any, pki: Any) -> None:
    duo_connection.service.server_certificate.public_certificate.save(
        "other-ca.pem", ContentFile(pki.pkio_ca.cert_pem.bytes())
    )

    with pytest.raises(DuoUnavailable, match="beveiligde verbinding"), DuoClient(duo_connection) as client:
        client.get_termijn("999993653")


def test_a_connection_without_oins_is_not_used(duo_connection: Any) -> None:
    duo_connection.options = {"oin": "123"}
    duo_connection.save()

    with pytest.raises(NotConfigured, match="OIN"):
        DuoClient(duo_connection)


def test_duo_errors_become_dutch_messages_without_personal_data(duo_server: Any, duo_connection: Any) -> None:
    duo_server.fail_next = 1
    with DuoClient(duo_connection) as client:
        with pytest.raises(DuoUnavailable, match="HTTP 503") as unavailable:
            client.get_pip("999993653")
        with pytest.raises(DuoRefused) as refused:
            client.register_pip("999993653", {"dagtekeningPip": "2026-01-05", "leerroute": "O", "niveau": "A2"})
        with pytest.raises(DuoError, match="BSN is ongeldig"):
            client.get_pip("123456789")
    assert "999993653" not in str(unavailable.value)
    assert refused.value.foutteksten == ["Niveau A2 mag niet in combinatie met de onderwijsroute worden aangeleverd."]
    duo_server.stop()
    with pytest.raises(DuoUnavailable, match="niet bereikbaar"), DuoClient(duo_connection) as client:
        client.get_pip("999993653")
    assert duo_server.spec_errors == []


def test_approving_a_pip_registers_it_at_duo_once(duo_server: Any, duo_connection: Any, pip_file, vastgesteld) -> None:
    client_file = pip_file()
    version = vastgesteld(client_file)

    message = OutboxMessage.objects.get(kind="duo.pip")
    assert message.client_file_id == client_file.pk
    assert message.key == f"duo.pip:{version.pk}"
    assert outbox.deliver(message.pk) == OutboxState.SENT

    bsn = client_file.person.bsn
    assert duo_server.pips[bsn]["pip"] == {"dagtekeningPip": version.dagtekening_on.isoformat(), "leerroute": "B"}
    assert duo_server.pip_posts == 1
    assert AuditEvent.objects.filter(event_type="duo_pip_registered", client_file=client_file).count() == 1
    # A worker that died after DUO answered, before the outbox heard back: the retry finds the PIP at DUO.
    message.refresh_from_db()
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=OutboxState.PENDING, progress={}, next_attempt_at=message.created_at, sent_at=None
    )
    assert outbox.deliver(message.pk) == OutboxState.SENT
    assert duo_server.pip_posts == 1
    message.refresh_from_db()
    assert message.progress == {"registered": True, "found_at_duo": True}
    assert duo_server.spec_errors == []


def test_the_intensity_goes_only_with_the_b1_route_of_an_asielstatushouder(
    duo_server: Any, duo_connection: Any, pip_file, vastgesteld
) -> None:
    asiel = pip_file()
    vastgesteld(asiel, estimated_b1_intensity=600)
    outbox.sweep()
    assert duo_server.pips[asiel.person.bsn]["pip"]["geschatteIntensiteitB1Route"] == 600
    assert duo_server.spec_errors == []


def test_duo_refusing_the_pip_raises_a_signal_and_is_not_retried(
    duo_server: Any, duo_connection: Any, pip_file, vastgesteld
) -> None:
    client_file = pip_file()
    rule = "De datum dagtekening mag niet voor de vestiging van de inburgeraar bij de gemeente liggen."
    duo_server.refuse[client_file.person.bsn] = [rule]
    vastgesteld(client_file)
    message = OutboxMessage.objects.get(kind="duo.pip")

    assert outbox.deliver(message.pk) == OutboxState.SENT  # delivered: DUO answered, with a refusal

    signal = FileSignal.objects.get(client_file=client_file)
    assert signal.kind == "review_needed"
    assert rule in signal.summary
    assert AuditEvent.objects.filter(event_type="duo_request_refused", client_file=client_file).count() == 1
    assert duo_server.pip_posts == 1
    assert client_file.person.bsn not in duo_server.pips
    assert duo_server.spec_errors == []


def test_duo_down_is_retried_with_backoff_and_then_delivered(
    duo_server: Any, duo_connection: Any, pip_file, vastgesteld
) -> None:
    client_file = pip_file()
    vastgesteld(client_file)
    message = OutboxMessage.objects.get(kind="duo.pip")
    duo_server.fail_next = 1  # the GET of the current PIP answers 503

    assert outbox.deliver(message.pk) == OutboxState.PENDING
    message.refresh_from_db()
    assert "HTTP 503" in message.last_error
    assert client_file.person.bsn not in message.last_error
    assert outbox.deliver(message.pk) is None  # waiting for its backoff
    duo_server.stop()
    later = message.next_attempt_at + timedelta(seconds=1)
    assert outbox.deliver(message.pk, now=later) == OutboxState.PENDING
    message.refresh_from_db()
    assert "niet bereikbaar" in message.last_error
    duo_server.start()  # same port, data intact
    assert outbox.deliver(message.pk, now=message.next_attempt_at + timedelta(seconds=1)) == OutboxState.SENT
    assert client_file.person.bsn in duo_server.pips
    assert duo_server.spec_errors == []


def test_without_a_duo_connection_nothing_is_queued(pip_file, vastgesteld, haarlem: Any) -> None:
    vastgesteld(pip_file())
    assert not OutboxMessage.objects.filter(kind="duo.pip").exists()


def test_hours_are_put_as_totals(duo_server: Any, duo_connection: Any, make_file) -> None:
    client_file = make_file()
    message = enqueue_uren(client_file=client_file, kind="participatietaalles", uren=120, as_of="2026-12-01")
    assert enqueue_uren(client_file=client_file, kind="participatietaalles", uren=120, as_of="2026-12-01") == message
    assert message is not None
    assert outbox.deliver(message.pk) == OutboxState.SENT
    assert duo_server.uren[client_file.person.bsn] == {"participatietaalles": 120}
    assert AuditEvent.objects.filter(event_type="duo_uren_registered", client_file=client_file).count() == 1
    assert duo_server.spec_errors == []


def test_the_request_log_masks_the_bsn_in_duo_paths(duo_server: Any, duo_connection: Any, settings: Any) -> None:
    settings.LOG_OUTGOING_REQUESTS_DB_SAVE = True
    handler = MaskedDatabaseHandler()
    logger = logging.getLogger("log_outgoing_requests")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        with DuoClient(duo_connection) as client:
            client.get_pip("999993653")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)

    log = OutgoingRequestsLog.objects.get()
    assert "999993653" not in log.url
    assert log.url.endswith("/v1/personen/*********/PIP")
    assert f"bron: {GEMEENTE_OIN}" in log.req_headers
