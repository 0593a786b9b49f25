"""Notices without content (#15 item 7): when the klantregisseur answers in the portal or a letter for the client is
made, the client gets an e-mail (or, without an e-mail address, an SMS) saying only that something new waits in
Mijn Inburgering. The content never leaves the portal.

Delivery goes through the outbox (interop.outbox): the notice is queued in the transaction of the answer or letter
(never sent for a rolled-back change, never twice for the same message or letter: the key is unique) and delivered
by a background job with retries. The address is read at delivery time, so it is not copied into the outbox.

- **E-mail** goes through Django's e-mail backend (EMAIL_BACKEND; SMTP in production, the console in `make run`,
  memory in the tests).
- **SMS is SIMULATED.** No SMS gateway is connected: the handler logs "SIMULATED SMS" with the last two digits of
  the number and remembers ``channel="sms-simulated"`` on the outbox message. A gemeente that wants SMS connects
  its gateway in ``_send_sms``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from openinburgering.accounts.models import Gemeente
from openinburgering.audit.services import record_event
from openinburgering.clients.models import ClientFile
from openinburgering.interop.models import OutboxMessage
from openinburgering.interop.outbox import DeliveryError, enqueue_outgoing, register_handler, remember

from .languages import clean_language
from .models import PortalAccount
from .signals import PURPOSE_PORTAL

logger = logging.getLogger(__name__)

KIND = "mijn.melding"
MESSAGE = "bericht"
LETTER = "brief"


def _always(gemeente: Gemeente) -> bool:
    """The portal's notices need no connection of the gemeente (e-mail goes through Django's backend)."""
    return True


def queue_notice(*, client_file: ClientFile, about: str, object_id: int) -> OutboxMessage | None:
    """Queue a notice without content in the caller's transaction (once per message or letter), audited. Nothing
    when the client has no portal account yet (they have never logged in) or neither an e-mail address nor a phone
    number is known."""
    person = client_file.person
    if not PortalAccount.objects.filter(bsn=person.bsn).exists() or not (person.email or person.phone):
        return None
    message = enqueue_outgoing(
        kind=KIND, key=f"{KIND}.{about}.{object_id}", payload={"about": about, "id": object_id},
        gemeente=client_file.gemeente, client_file=client_file,
    )  # fmt: skip
    record_event(
        event_type="portal_notification_queued", purpose=PURPOSE_PORTAL, client_file=client_file,
        gemeente=client_file.gemeente, subject_type="outbox", subject_id=str(message.pk if message else ""),
        changes={"about": {"old": None, "new": about}},
    )  # fmt: skip
    return message


def notice_text(about: str, language: str) -> tuple[str, str]:
    """Subject and body in the client's language; no content of the message or letter."""
    with translation.override(clean_language(language)):
        subject = _("Nieuw in Mijn Inburgering")
        if about == LETTER:
            body = _("U heeft een nieuwe brief van uw gemeente. Log in met DigiD in Mijn Inburgering om hem te lezen.")
        else:
            body = _("U heeft een nieuw bericht van uw gemeente. Log in met DigiD in Mijn Inburgering om het te lezen.")
    return subject, body


@register_handler(KIND, label="Melding aan de inburgeraar (zonder inhoud)", is_configured=_always)
def deliver_notice(message: OutboxMessage) -> None:
    if message.progress.get("channel"):
        return  # sent by an earlier attempt that died before it was marked sent
    client_file = (
        ClientFile.objects.select_related("person").filter(pk=message.client_file_id).first()
        if message.client_file_id is not None
        else None
    )
    if client_file is None:
        raise DeliveryError("Dossier niet gevonden.")
    person = client_file.person
    account = PortalAccount.objects.filter(bsn=person.bsn).first()
    subject, body = notice_text(str(message.payload.get("about", "")), account.language if account else "nl")
    if person.email:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
        except OSError as error:  # SMTP down or refused: retried by the outbox
            raise DeliveryError(f"E-mail niet verstuurd ({error.__class__.__name__}).") from None
        remember(message, channel="email")
    elif person.phone:
        _send_sms(person.phone, body)
        remember(message, channel="sms-simulated")
    else:
        remember(message, channel="none")  # the address was removed after queueing: nothing to send


def _send_sms(phone: str, body: str) -> None:
    """SIMULATED: no SMS gateway is connected. Logs that an SMS would go out (no number, no text)."""
    logger.info("SIMULATED SMS (no gateway connected) to a number ending in %s, %d characters", phone[-2:], len(body))


def on_letter_created(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """post_save of letters.Letter: a new letter for a client with a portal account gets a notice."""
    if created and not raw and instance.client_file_id is not None:
        queue_notice(client_file=instance.client_file, about=LETTER, object_id=instance.pk)
