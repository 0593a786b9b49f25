"""Notificaties API 1.0 (NRC): publishing a notification on each change of a client file, and receiving
notifications from the gemeente's other systems through a webhook.

Publishing (kind ``nrc.notificatie``, through the outbox): kanaal ``inburgering``, ``hoofdObject`` and
``resourceUrl`` the file in this application's API (``<public_url>/api/v1/clients/<id>``), resource ``dossier``,
actie ``create`` or ``update``, kenmerken ``gemeente`` (CBS code) and ``status`` (the file status). The kanaal is
declared with notifications-api-common's ``Kanaal`` (kenmerken checked against the model). No personal data in a
notification: a subscriber that is allowed to fetches the file through the API. Effect at-least-once: the NRC
has no lookup, so a worker dying after the POST and before it was recorded sends it again on retry; notification
consumers are idempotent by the standard's design (they fetch ``resourceUrl``).

Receiving (``POST /api/v1/notificaties/<gemeente code>``): the NRC calls the abonnement's callback with the
``auth`` value the gemeente configured there as the ``Authorization`` header; we compare it in constant time with
the value in the gemeente's Notificaties connection (``options.callback_auth``). The body is checked with
notifications-api-common's ``NotificatieSerializer``. A notification about a Zaak this application published
(e.g. a new document on the Zaak), or about the person's Partij in Open Klant, is linked to its file; what is acted
on, and how, is in ``notificaties_in``.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from notifications_api_common.kanalen import Kanaal

from openinburgering.accounts.models import Gemeente
from openinburgering.audit.services import record_event
from openinburgering.clients.models import ClientFile

from .connections import client_for, connection_for, has_connection
from .models import OutboxMessage, ReceivedNotification, System
from .outbox import DeliveryError, NotConfigured, register_handler

if TYPE_CHECKING:
    pass

KANAAL = Kanaal(
    "inburgering",
    main_resource=ClientFile,
    kenmerken=("gemeente", "status"),
    extra_kwargs={
        "gemeente": {"help_text": "CBS-code van de gemeente (GMxxxx)."},
        "status": {"help_text": "Status van het dossier na de wijziging."},
    },
)
RESOURCE = "dossier"
PURPOSE_NOTIFICATIONS = "uitwisseling met de systemen van de gemeente (Common Ground)"


def public_url(gemeente: Gemeente | int) -> str:
    connection = connection_for(gemeente, System.NOTIFICATIES)
    return (connection.option("public_url") if connection else "").rstrip("/")


def is_configured(gemeente: Gemeente) -> bool:
    return has_connection(gemeente, System.NOTIFICATIES) and bool(public_url(gemeente))


def notification_message(client_file: ClientFile, *, actie: str, status: str) -> dict[str, Any]:
    """The notification of a change of ``client_file`` (Notificaties API ``Message``)."""
    url = f"{public_url(client_file.gemeente_id)}/api/v1/clients/{client_file.pk}"
    kenmerken = KANAAL.get_kenmerken(client_file, data={"gemeente": client_file.gemeente.code, "status": status})
    return {
        "kanaal": KANAAL.label,
        "hoofdObject": url,
        "resource": RESOURCE,
        "resourceUrl": url,
        "actie": actie,
        "aanmaakdatum": timezone.now().isoformat(),
        "kenmerken": {str(k): str(v) for k, v in kenmerken.items()},
    }


@register_handler("nrc.notificatie", label="Notificatie (kanaal inburgering)", is_configured=is_configured)
def deliver_notification(message: OutboxMessage) -> None:
    connection = connection_for(message.gemeente_id, System.NOTIFICATIES)
    if connection is None:
        raise NotConfigured("De koppeling met de Notificaties API is niet (meer) ingesteld.")
    from .zgw import call

    with client_for(connection) as client:
        call(client, "POST", "notificaties", json=message.payload, expected=(200, 201, 204), step="Notificatie")


# --- receiving -----------------------------------------------------------------------------------------------------


class Unauthorised(Exception):
    """The webhook's Authorization header is missing or wrong (or the gemeente has no Notificaties connection)."""


def check_authorisation(gemeente_code: str, header: str) -> Gemeente:
    """The gemeente whose callback this is, when ``header`` is its configured ``callback_auth``; else
    Unauthorised (the same for an unknown gemeente, so the answer does not tell which gemeenten exist)."""
    gemeente = Gemeente.objects.filter(code=gemeente_code).first()
    connection = connection_for(gemeente, System.NOTIFICATIES) if gemeente is not None else None
    expected = connection.option("callback_auth") if connection is not None else ""
    if gemeente is None or not expected or not hmac.compare_digest(header.encode(), expected.encode()):
        raise Unauthorised
    return gemeente


def _client_file_for(gemeente: Gemeente, hoofd_object: str) -> ClientFile | None:
    """The file whose Zaak is ``hoofd_object`` (the URL the zaaksysteem gave when we created it)."""
    row = (
        OutboxMessage.objects.filter(gemeente=gemeente, kind="zgw.zaak", progress__zaak=hoofd_object)
        .values("client_file_id")
        .first()
    )
    if row is None or row["client_file_id"] is None:
        return None
    return ClientFile.objects.filter(pk=row["client_file_id"], gemeente=gemeente).first()


def _client_file_of(gemeente: Gemeente, kanaal: str, hoofd_object: str) -> ClientFile | None:
    """The file a notification is about: by its Zaak, or (kanaal ``partijen`` of Open Klant) by the person's Partij."""
    if kanaal != "partijen":
        return _client_file_for(gemeente, hoofd_object)
    from .notificaties_in import client_file_id_for_partij

    file_id = client_file_id_for_partij(gemeente, hoofd_object)
    return ClientFile.objects.filter(pk=file_id, gemeente=gemeente).first() if file_id is not None else None


@transaction.atomic
def receive(*, gemeente: Gemeente, data: dict[str, Any]) -> ReceivedNotification:
    """Stores a checked notification (``data`` as NotificatieSerializer's validated_data), audits it and, when it
    may need action on a file, queues its check (``notificaties_in``)."""
    from .notificaties_in import enqueue_action

    client_file = _client_file_of(gemeente, str(data["kanaal"]), str(data["hoofd_object"]))
    notification = ReceivedNotification.objects.create(
        gemeente=gemeente, client_file=client_file, kanaal=data["kanaal"], resource=data["resource"],
        actie=data["actie"], hoofd_object=data["hoofd_object"], resource_url=data["resource_url"],
        kenmerken=dict(data.get("kenmerken") or {}), aanmaakdatum=data["aanmaakdatum"],
    )  # fmt: skip
    record_event(
        actor=None, gemeente=gemeente, event_type="integration_notification_received",
        purpose=PURPOSE_NOTIFICATIONS, client_file=client_file, subject=notification,
        changes={"kanaal": {"old": None, "new": notification.kanaal},
                 "resource": {"old": None, "new": notification.resource},
                 "actie": {"old": None, "new": notification.actie}},
        via="api",
    )  # fmt: skip
    enqueue_action(notification)
    return notification


__all__ = ["KANAAL", "DeliveryError", "Unauthorised", "check_authorisation", "notification_message", "receive"]
