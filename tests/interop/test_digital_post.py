"""The digital-post channel of letters (#17 item 6) against a loopback connector. SIMULATED CONTRACT: there is no
national open Berichtenbox API for gemeenten, so the body (``kenmerk``, ``bsn``, ``onderwerp``, ``bestandsnaam``,
``inhoud``) and the answers (201, 409 for a kenmerk it already has) are this application's own, as documented in
``interop/letters_out.py`` and docs/interop.md; this loopback plays a connector that implements exactly that and
validates nothing against any official specification (none exists)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest
from django.utils import timezone
from werkzeug.wrappers import Request, Response

from openinburgering.core.dates import today
from openinburgering.interop import outbox
from openinburgering.interop.models import OutboxMessage, OutboxState
from openinburgering.letters import services as letters
from openinburgering.letters.models import Letter

from .loopback import LoopbackServer, json_response

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7 a letter"


class DigitalPostConnector(LoopbackServer):
    """Keeps the berichten it accepted by kenmerk; a second one with the same kenmerk is refused with 409."""

    def __init__(self) -> None:
        super().__init__()
        self.berichten: dict[str, dict[str, Any]] = {}

    def handle(self, request: Request) -> Response:
        if request.method != "POST" or request.path != "/api/berichten":
            return json_response({"detail": "Niet gevonden."}, status=404)
        body = request.get_json()
        if body["kenmerk"] in self.berichten:
            return json_response({"detail": "Dit kenmerk is al ontvangen."}, status=409)
        self.berichten[body["kenmerk"]] = body
        return json_response({"kenmerk": body["kenmerk"]}, status=201)


@pytest.fixture
def connector(haarlem: Any) -> Any:
    from zgw_consumers.constants import APITypes, AuthTypes
    from zgw_consumers.models import Service

    from openinburgering.interop.models import GemeenteConnection

    server = DigitalPostConnector()
    server.start()
    service = Service.objects.create(
        label="GM0392 digitale post", slug="gm0392-digitale-post", api_type=APITypes.orc,
        api_root=f"{server.base_url}/api/", auth_type=AuthTypes.api_key, header_key="Authorization",
        header_value="Token post", timeout=5,
    )  # fmt: skip
    GemeenteConnection.objects.create(gemeente=haarlem, system="digitale_post", service=service)
    yield server
    server.stop()


def test_a_letter_sent_digitally_is_posted_to_the_connector_once(connector: Any, make_file: Any, staff: Any, actor):
    client_file = make_file(assigned_to="kim")
    letter = Letter.objects.create(
        client_file=client_file, kind="oproep", title="Oproep brede intake", recipient_name="A. Client", content=PDF,
        sha256=hashlib.sha256(PDF).hexdigest(), size=len(PDF), created_at=timezone.now(), created_by=staff["kim"],
    )  # fmt: skip

    letters.record_sent(actor=actor("kim"), letter=letter, channel="digitaal", sent_on=today())
    message = OutboxMessage.objects.get(kind="letter.digitaal")
    assert outbox.deliver(message.pk) == OutboxState.SENT

    bericht = connector.berichten[f"OI-BRIEF-{letter.pk}"]
    assert (bericht["bsn"], bericht["onderwerp"], bericht["bestandsnaam"]) == (
        client_file.person.bsn, "Oproep brede intake", letter.filename,
    )  # fmt: skip
    assert base64.b64decode(bericht["inhoud"]) == PDF
    assert connector.requests[0]["headers"]["Authorization"] == "Token post"
    # A worker that died after the connector accepted it: the retry's 409 (kenmerk known) counts as delivered.
    OutboxMessage.objects.filter(pk=message.pk).update(state=OutboxState.PENDING, next_attempt_at=timezone.now())
    assert outbox.deliver(message.pk) == OutboxState.SENT
    assert len(connector.berichten) == 1
