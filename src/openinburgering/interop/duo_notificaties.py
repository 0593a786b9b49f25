"""The Notificatie API that DUO calls (DUO's ``API/Notificatie/openapi.yml`` 1.8.0, ``POST /notificaties``), served by
this application at ``/duo/v1/notificaties``.

Authorisation, as DUO's M2M README prescribes (Digikoppeling REST over Diginetwerk, PKIoverheid), checked in order:

1. **Mutual TLS.** DUO presents its PKIoverheid certificate. TLS ends in front of Django (the gemeente's reverse
   proxy, or a WSGI server that terminates TLS itself); that front checks the chain against the PKIoverheid
   private root and passes the verified certificate to Django in the WSGI variable named by the setting
   ``DUO_CLIENT_CERT_META`` (default ``SSL_CLIENT_CERT``, which HTTP clients cannot set; behind nginx use a header
   such as ``HTTP_X_SSL_CLIENT_CERT`` filled with ``$ssl_client_escaped_cert``, and make nginx overwrite it).
   No certificate: **401**.
2. **The certificate is DUO's.** PKIoverheid certificates carry the organisation's OIN in the subject
   ``serialNumber``; it must equal the ``bron`` header. **403** otherwise.
3. **The headers fit a configured DUO connection.** ``doel`` must be the OIN of a gemeente with an active DUO
   connection (``options.oin``), and ``bron`` the DUO OIN configured there (``options.duo_oin``). **403** otherwise.

Then the body is checked against DUO's ``Notificatie`` schema (**400** without body, as the spec says), and the
notification is queued in the outbox (``duo.notificatie``, key per gemeente and ``berichtId``) in the same
transaction as its audit event: **201**. The same ``berichtId`` again answers 201 and changes nothing. The
fetching of DUO's data and the intake happen in the background (``duo_handlers.process_notification``).
Every answer carries the ``API-Version`` header the spec requires.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from cryptography import x509
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from openinburgering.audit.services import record_event

from .duo_handlers import PURPOSE_DUO, notification_key
from .models import GemeenteConnection, OutboxMessage, System
from .outbox import enqueue_outgoing

API_VERSION = "1.8.0"
OIN = re.compile(r"^[0-9]{20}$")
EVENT_CODE = re.compile(r"^[0-9A-Z]{1,6}$")
BSN = re.compile(r"^\d{9}$")


def _empty(status: int) -> HttpResponse:
    response = HttpResponse(status=status)
    response["API-Version"] = API_VERSION
    return response


def _error(status: int, text: str) -> HttpResponse:
    """A ``Foutmelding`` body for the statuses whose spec allows one (503); others answer without a body."""
    response = JsonResponse({"fouttekst": text[:200]}, status=status)
    response["API-Version"] = API_VERSION
    return response


def client_certificate(request: HttpRequest) -> x509.Certificate | None:
    """The TLS client certificate the front passed (PEM, maybe URL-encoded as nginx does), or None."""
    raw = request.META.get(settings.DUO_CLIENT_CERT_META, "")
    if not raw:
        return None
    pem = unquote(raw) if "%" in raw else raw
    try:
        return x509.load_pem_x509_certificate(pem.encode("ascii"))
    except ValueError:
        return None


def certificate_oin(certificate: x509.Certificate) -> str:
    """The OIN in a PKIoverheid certificate's subject ``serialNumber`` (empty when absent)."""
    values = certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    return str(values[0].value) if values else ""


def _refused(reason: str, *, gemeente: Any = None) -> None:
    with transaction.atomic():
        record_event(
            event_type="duo_notification_refused", purpose=PURPOSE_DUO, gemeente=gemeente,
            subject_type="duo_notificatie", changes={"reason": {"old": None, "new": reason}}, via="duo-m2m",
        )  # fmt: skip


def _valid_body(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    registered, code = data.get("registratieDatumTijd"), data.get("gebeurtenisId")
    if not isinstance(registered, str) or not isinstance(code, str) or not EVENT_CODE.match(code):
        return False
    try:
        datetime.fromisoformat(registered.replace("Z", "+00:00"))
    except ValueError:
        return False
    bsn, v_number = data.get("bsn"), data.get("vNummer")
    if bsn is not None and (not isinstance(bsn, str) or not BSN.match(bsn)):
        return False
    if v_number is None:
        return True
    return isinstance(v_number, int) and not isinstance(v_number, bool) and 0 <= v_number <= 9_999_999_999


@csrf_exempt
@require_POST
def notificaties(request: HttpRequest) -> HttpResponse:
    certificate = client_certificate(request)
    if certificate is None:
        _refused("geen clientcertificaat")
        return _empty(401)
    bron, doel = request.headers.get("bron", ""), request.headers.get("doel", "")
    bericht_id = request.headers.get("berichtId", "")
    if not OIN.match(bron) or not OIN.match(doel):
        return _empty(400)
    try:
        bericht_id = str(uuid.UUID(bericht_id))
    except ValueError:
        return _empty(400)
    if certificate_oin(certificate) != bron:
        _refused("certificaat hoort niet bij het bron-OIN")
        return _empty(403)
    connection = (
        GemeenteConnection.objects.select_related("gemeente")
        .filter(system=System.DUO, is_active=True, options__oin=doel, options__duo_oin=bron)
        .first()
    )
    if connection is None:
        _refused("geen DUO-koppeling voor dit doel- en bron-OIN")
        return _empty(403)
    if request.content_type != "application/json":
        return _empty(400)
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _empty(400)
    if not _valid_body(data):
        return _empty(400)
    gemeente = connection.gemeente
    payload = {
        "berichtId": bericht_id, "gebeurtenisId": data["gebeurtenisId"],
        "registratieDatumTijd": data["registratieDatumTijd"],
        **{key: data[key] for key in ("bsn", "vNummer") if data.get(key) is not None},
    }  # fmt: skip
    key = notification_key(gemeente, bericht_id)
    with transaction.atomic():
        known = OutboxMessage.objects.filter(key=key).exists()
        message = enqueue_outgoing(kind="duo.notificatie", key=key, payload=payload, gemeente=gemeente)
        if message is None:  # the connection lost its OINs between the lookup and now
            return _error(503, "De DUO-koppeling van de gemeente is niet volledig ingesteld.")
        if not known:
            record_event(
                event_type="duo_notification_received", purpose=PURPOSE_DUO, gemeente=gemeente, subject=message,
                changes={"gebeurtenisId": {"old": None, "new": data["gebeurtenisId"]},
                         "berichtId": {"old": None, "new": bericht_id}},
                via="duo-m2m",
            )  # fmt: skip
    return _empty(201)
