"""Acting on notifications the gemeente's other systems send to our webhook (#17 item 4).

``notificaties.receive`` stores every authorised notification (insert-only) and, for the ones in ``ACTIONS`` that are
about a client file, queues one outbox message ``nrc.ontvangen`` in the same transaction. Its handler decides
whether the change came from this application itself (then nothing happens) and otherwise puts a "Controle nodig"
signal on the file with a Dutch text saying what changed where and what to check, audited as
``integration_notification_signalled``. Nothing in the file is changed automatically: the file's status, dates and
contact data are this application's, set through its services and rules (a status set in the zaaksysteem is not a
reason to skip the four-eyes approval of a PIP, nor a checked voldaan).

What a gemeente gets per kanaal (decided here; the kanalen and resources are those the specs declare):

==================  ======================  =====================================================================
kanaal              resource, actie         action
==================  ======================  =====================================================================
zaken               zaak destroy            signal: the file's Zaak was deleted in the zaaksysteem
zaken               status create           signal when the Status is not one we set (our Statussen are known by
                                            their URL in the ``zgw.status`` messages)
zaken               resultaat create        signal: the Zaak got a resultaat (closed?) outside this application
zaken               zaakinformatieobject    signal when the document is not one of our letters (new post on the
                    create                  Zaak, e.g. a scanned bezwaarschrift): look at it in the zaaksysteem
zaken               zaakbesluit create      signal when the Zaak has more besluiten than we made (a besluit made
                                            elsewhere, e.g. a beslissing op bezwaar)
partijen (Open      partij update           signal when it is the person's Partij and the change is not our own
Klant 2)                                    digital address: the contact data may have changed (see them on the
                                            file and take them over)
inburgering         anything                nothing (our own kanaal)
other               anything                stored and audited only (documenten, besluiten and klantcontacten
                                            name their own object, not a Zaak or Partij we can tie to a file)
==================  ======================  =====================================================================

**Our own changes.** The zaaksysteem also notifies the Statussen, documents and besluiten we publish. The handler
waits (retried with backoff) while one of our messages of that kind for the file is still in the outbox, so what we
created is known by then. A besluit's ``zaakbesluit`` URL is not the besluit's URL, so there we count: a signal when
the Zaak has more distinct ``zaakbesluit`` notifications than besluiten we made. For a Partij update, a digital address
we wrote for the file within ``OWN_WINDOW`` of the notification's ``aanmaakdatum`` counts as ours (Open Klant says
nothing more specific; a change by the KCC in the same two minutes is then missed).

**Once.** The NRC may deliver a notification twice; the signal is raised once per resource URL (per Zaak for a
deletion, and while an earlier one is open for a Partij).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction

from openinburgering.audit.services import record_event

from .models import OutboxMessage, OutboxState, ReceivedNotification
from .outbox import DeliveryError, enqueue_outgoing, register_handler, remember

if TYPE_CHECKING:
    from openinburgering.accounts.models import Gemeente

KIND = "nrc.ontvangen"
PURPOSE = "uitwisseling met de systemen van de gemeente (Common Ground): wijzigingen van buiten controleren"
OWN_WINDOW = timedelta(minutes=2)
IN_FLIGHT = (OutboxState.PENDING, OutboxState.SENDING)


@dataclass(frozen=True)
class Action:
    summary: str
    ours_kind: str = ""  # our outbox kind that makes the same change (wait for it, then compare)
    ours_key: str = ""  # where that kind remembers the receiver's URL (exact match with resourceUrl)


ACTIONS: dict[tuple[str, str, str], Action] = {
    ("zaken", "zaak", "destroy"): Action(
        "De zaak van dit dossier is verwijderd in het zaaksysteem. Vraag de functioneel beheerder of het dossier "
        "een nieuwe zaak nodig heeft."
    ),
    ("zaken", "status", "create"): Action(
        "In het zaaksysteem is een status bij de zaak gezet die niet uit Open Inburgering komt. Controleer of de "
        "status van het dossier nog klopt.",
        ours_kind="zgw.status",
        ours_key="status",
    ),
    ("zaken", "resultaat", "create"): Action(
        "In het zaaksysteem is een resultaat bij de zaak vastgelegd: de zaak is daar misschien afgesloten. "
        "Controleer of het dossier ook afgesloten moet worden."
    ),
    ("zaken", "zaakinformatieobject", "create"): Action(
        "Er is een nieuw document bij de zaak in het zaaksysteem, bijvoorbeeld post van de inburgeraar. Bekijk het "
        "document in het zaaksysteem.",
        ours_kind="zgw.document",
        ours_key="zaakinformatieobject",
    ),
    ("zaken", "zaakbesluit", "create"): Action(
        "In het zaaksysteem is een besluit aan de zaak gekoppeld dat niet uit Open Inburgering komt, bijvoorbeeld "
        "een beslissing op bezwaar. Controleer of het dossier moet worden bijgewerkt.",
        ours_kind="zgw.besluit",
    ),
    ("partijen", "partij", "update"): Action(
        "De gegevens van deze persoon zijn gewijzigd in het klantcontactsysteem, misschien het e-mailadres of "
        "telefoonnummer. Bekijk de contactgegevens in het klantcontactsysteem op de pagina van het dossier.",
        ours_kind="openklant.digitaal_adres",
    ),
}


def partij_uuid(url: str) -> str:
    """The uuid at the end of a Partij URL (``.../partijen/<uuid>``), or ""."""
    head, _, tail = url.rstrip("/").rpartition("/")
    return tail if head.endswith("/partijen") else ""


def client_file_id_for_partij(gemeente: Gemeente, url: str) -> int | None:
    """The file whose person is this Partij: the Open Klant handlers remember the Partij they found by BSN."""
    uuid = partij_uuid(url)
    if not uuid:
        return None
    row = (
        OutboxMessage.objects.filter(gemeente=gemeente, kind__startswith="openklant.", progress__partij=uuid)
        .exclude(client_file=None)
        .values_list("client_file_id", flat=True)
        .first()
    )
    return row


def enqueue_action(notification: ReceivedNotification) -> OutboxMessage | None:
    """Call inside ``receive``'s transaction: queues the check of a notification about a file that may need action."""
    if notification.client_file_id is None or _action(notification) is None:
        return None
    return enqueue_outgoing(
        kind=KIND, key=f"nrc.ontvangen:{notification.pk}", payload={"notification_id": notification.pk},
        gemeente=notification.gemeente, client_file=notification.client_file,
    )  # fmt: skip


def _action(notification: ReceivedNotification) -> Action | None:
    return ACTIONS.get((notification.kanaal, notification.resource, notification.actie))


def _is_ours(notification: ReceivedNotification, action: Action) -> bool:
    ours = OutboxMessage.objects.filter(client_file_id=notification.client_file_id, kind=action.ours_kind)
    if action.ours_key:
        return ours.filter(**{f"progress__{action.ours_key}": notification.resource_url}).exists()
    if action.ours_kind == "zgw.besluit":
        # The n-th distinct zaakbesluit of the Zaak is ours while we made at least n besluiten (a repeat of the same
        # notification counts from its first arrival, so it gets the same answer).
        zaakbesluiten = ReceivedNotification.objects.filter(
            client_file_id=notification.client_file_id, kanaal="zaken", resource="zaakbesluit", actie="create"
        )
        first = zaakbesluiten.filter(resource_url=notification.resource_url).order_by("pk").values_list("pk", flat=True)
        position = zaakbesluiten.filter(pk__lte=first[0]).values("resource_url").distinct().count()
        return position <= ours.filter(progress__has_key="besluit").count()
    if action.ours_kind == "openklant.digitaal_adres":
        at = notification.aanmaakdatum
        return ours.filter(sent_at__gte=at - OWN_WINDOW, sent_at__lte=at + OWN_WINDOW).exists()
    return False


def _already_signalled(notification: ReceivedNotification) -> bool:
    from openinburgering.signals.models import FileSignal

    signals = FileSignal.objects.filter(client_file_id=notification.client_file_id, data__kanaal=notification.kanaal)
    if notification.kanaal == "partijen":
        return signals.filter(resolved_at__isnull=True).exists()
    return signals.filter(data__resource_url=notification.resource_url).exists()


@register_handler(KIND, label="Notificatie van een ander systeem controleren", is_configured=lambda gemeente: True)
def process_notification(message: OutboxMessage) -> None:
    from openinburgering.signals.choices import FileSignalKind
    from openinburgering.signals.models import FileSignal
    from openinburgering.signals.system import system_actor

    if message.progress.get("result"):
        return
    notification = ReceivedNotification.objects.select_related("gemeente", "client_file").get(
        pk=message.payload["notification_id"]
    )
    action = _action(notification)
    if action is None or notification.client_file is None:
        remember(message, result="geen actie")
        return
    if (
        action.ours_kind
        and OutboxMessage.objects.filter(
            client_file_id=notification.client_file_id, kind=action.ours_kind, state__in=IN_FLIGHT
        ).exists()
    ):
        raise DeliveryError("Notificatie controleren: wacht tot de eigen berichten voor dit dossier verstuurd zijn.")
    if action.ours_kind and _is_ours(notification, action):
        remember(message, result="eigen wijziging")
        return
    with transaction.atomic():
        if _already_signalled(notification):
            remember(message, result="al gemeld")
            return
        data: dict[str, Any] = {
            "kanaal": notification.kanaal, "resource": notification.resource, "actie": notification.actie,
            "resource_url": notification.resource_url, "notification": notification.pk,
        }  # fmt: skip
        signal = FileSignal.objects.create(
            gemeente_id=notification.gemeente_id, client_file=notification.client_file,
            kind=FileSignalKind.REVIEW_NEEDED, summary=action.summary, data=data,
        )  # fmt: skip
        record_event(
            actor=system_actor(notification.gemeente), event_type="integration_notification_signalled",
            purpose=PURPOSE, client_file=notification.client_file, subject=signal, via="job",
            changes={"signal": {"old": None, "new": signal.pk},
                     **{key: {"old": None, "new": data[key]} for key in ("kanaal", "resource", "actie")}},
        )  # fmt: skip
    remember(message, result="signaal", signal_id=signal.pk)
