"""What other apps call, inside the transaction of their change, to publish it to the gemeente's other systems:
the Zaak and its Statussen, Documenten and Besluiten (``zgw.py``) and a notification on the kanaal
``inburgering`` (``notificaties.py``). Each call only writes outbox messages (``outbox.enqueue_outgoing``), which
write nothing for a gemeente without that connection, so the callers need not know what is configured.

Payloads hold ids, dates and codes, no personal data: the handler reads the file or letter when it delivers.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.utils import timezone, translation

from .outbox import enqueue_outgoing

if TYPE_CHECKING:
    from openinburgering.accounts.models import Gemeente
    from openinburgering.clients.models import ClientFile, StatusChange
    from openinburgering.letters.models import Letter, LetterDispatch


def _zaak(client_file: ClientFile) -> None:
    """The Zaak of the file (once: the key is the file). Also from later changes, so a file registered before the
    gemeente connected its zaaksysteem gets its Zaak on its first change after."""
    enqueue_outgoing(
        kind="zgw.zaak", key=f"zgw.zaak:{client_file.pk}", payload={"client_file_id": client_file.pk},
        gemeente=client_file.gemeente, client_file=client_file,
    )  # fmt: skip


def _notify(client_file: ClientFile, *, actie: str, event: str, status: str) -> None:
    from .notificaties import notification_message

    enqueue_outgoing(
        kind="nrc.notificatie", key=f"nrc.notificatie:{client_file.pk}:{event}",
        payload=notification_message(client_file, actie=actie, status=status),
        gemeente=client_file.gemeente, client_file=client_file,
    )  # fmt: skip


def file_registered(client_file: ClientFile, change: StatusChange) -> None:
    """A new file: its Zaak, its first Status, a notification ``create``."""
    _zaak(client_file)
    status_changed(client_file, change, notify=False)
    _notify(client_file, actie="create", event=f"create:{change.pk}", status=change.to_status)


def status_changed(client_file: ClientFile, change: StatusChange, *, notify: bool = True) -> None:
    """A status change: a Status on the Zaak and a notification ``update`` with the new status."""
    _zaak(client_file)
    enqueue_outgoing(
        kind="zgw.status", key=f"zgw.status:{change.pk}",
        payload={
            "client_file_id": client_file.pk, "status": change.to_status,
            "changed_at": change.changed_at.isoformat(), "label": change.get_to_status_display(),
        },
        gemeente=client_file.gemeente, client_file=client_file,
    )  # fmt: skip
    if notify:
        _notify(client_file, actie="update", event=f"status:{change.pk}", status=change.to_status)


def file_changed(client_file: ClientFile, *, event: str) -> None:
    """Another change of the file (dates, assignment): a notification ``update`` (kenmerk status unchanged).
    ``event`` makes the idempotency key; pass something unique to this change (e.g. the audit event's id)."""
    _notify(client_file, actie="update", event=event, status=client_file.status)


def letter_created(letter: Letter) -> None:
    """A letter (also a beschikking): a document of the Zaak."""
    client_file = letter.client_file
    _zaak(client_file)
    enqueue_outgoing(
        kind="zgw.document", key=f"zgw.document:{letter.pk}", payload={"letter_id": letter.pk},
        gemeente=client_file.gemeente, client_file=client_file,
    )  # fmt: skip


def beschikking(
    client_file: ClientFile,
    *,
    besluit: str,
    subject_id: int,
    letter: Letter,
    datum: date,
    ingangsdatum: date,
    toelichting: str,
) -> None:
    """A beschikking (``besluit`` is ``pip`` or ``boete``): a Besluit on the Zaak with its letter as document, and a
    notification ``update``. Call after ``letters.services.create_letter`` (which enqueued the document)."""
    _zaak(client_file)
    enqueue_outgoing(
        kind="zgw.besluit", key=f"zgw.besluit:{besluit}:{subject_id}",
        payload={
            "client_file_id": client_file.pk, "besluit": besluit, "letter_id": letter.pk,
            "identificatie": f"OI-{besluit.upper()}-{subject_id}", "datum": datum.isoformat(),
            "ingangsdatum": ingangsdatum.isoformat(), "toelichting": toelichting,
        },
        gemeente=client_file.gemeente, client_file=client_file,
    )  # fmt: skip
    _notify(client_file, actie="update", event=f"besluit:{besluit}:{subject_id}", status=client_file.status)


def has_digital_post(gemeente: Gemeente) -> bool:
    from .letters_out import digital_post_configured

    return digital_post_configured(gemeente)


LETTER_KANAAL = {"post": "brief", "portaal": "portaal Mijn Inburgering", "digitaal": "digitale post"}
"""The klantcontact's kanaal per channel of sending (Open Klant has no code list for kanaal; free text, max 50)."""
OPROEP_KINDS = ("oproep", "waarschuwing")


def _sent_at(sent_on: date) -> datetime:
    """A send date as the moment of the klantcontact: the start of that day in Europe/Amsterdam (the dispatch records
    a day, not a time)."""
    return timezone.make_aware(datetime.combine(sent_on, time.min))


def letter_sent(letter: Letter, dispatch: LetterDispatch) -> None:
    """A letter recorded as sent: a contact moment in the gemeente's contact registry (every channel, key
    ``brief:Letter:<id>``: once per letter), and by portaal an e-mail that it waits in Mijn Inburgering, by digitaal
    the letter to the gemeente's digital-post channel (post needs no more: the print batch is the export)."""
    from openinburgering.letters.models import LetterKind

    from .klantinteracties import register_contact_moment

    client_file = letter.client_file
    with translation.override("nl"):  # stored text: Dutch, whatever language the thread has active
        label = str(LetterKind(letter.kind).label) if letter.kind in LetterKind.values else "Brief"
    kind = "oproep" if letter.kind in OPROEP_KINDS else "brief"
    register_contact_moment(
        client_file=client_file, kind=kind, key=f"brief:Letter:{letter.pk}", occurred_at=_sent_at(dispatch.sent_on),
        onderwerp=f"Brief verstuurd: {label}", kanaal=LETTER_KANAAL.get(dispatch.channel, "brief"),
    )  # fmt: skip
    if dispatch.channel == "portaal":
        enqueue_outgoing(
            kind="letter.email", key=f"letter.email:{letter.pk}", payload={"letter_id": letter.pk},
            gemeente=client_file.gemeente, client_file=client_file,
        )  # fmt: skip
    elif dispatch.channel == "digitaal":
        enqueue_outgoing(
            kind="letter.digitaal", key=f"letter.digitaal:{letter.pk}", payload={"letter_id": letter.pk},
            gemeente=client_file.gemeente, client_file=client_file,
        )  # fmt: skip
