"""Letters that leave by another channel than paper (#17 item 6), through the outbox:

- ``letter.email`` (channel portaal): an e-mail to the person's address saying a letter waits in Mijn Inburgering.
  It holds no personal data besides the address it goes to (no name, no subject of the letter), sent with
  Django's e-mail backend (the gemeente's SMTP relay, ``EMAIL_*`` settings). At-most-once is not possible with
  SMTP: a worker dying between the relay's acceptance and our record sends the notice again (harmless text).
- ``letter.digitaal`` (channel digitaal): the letter as PDF to the gemeente's digital-post channel (a Berichtenbox
  connector), configured as the gemeente's ``digitale_post`` connection (a zgw-consumers Service: endpoint,
  credentials, certificates). SIMULATED CONTRACT: there is no national open API for the Berichtenbox for
  gemeenten; the body we POST (``berichten``: ``kenmerk``, ``bsn``, ``onderwerp``, ``inhoud`` base64 PDF) is our own
  and the connector must map it. The ``kenmerk`` (``OI-BRIEF-<id>``) lets the connector refuse a double.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from django.core.mail import send_mail

from .connections import client_for, connection_for, has_connection
from .models import OutboxMessage, System
from .outbox import DeliveryError, NotConfigured, register_handler

if TYPE_CHECKING:
    from openinburgering.accounts.models import Gemeente

EMAIL_SUBJECT = "Er staat een brief voor u klaar in Mijn Inburgering"
EMAIL_BODY = (
    "Beste meneer of mevrouw,\n\n"
    "Er staat een nieuwe brief van de gemeente voor u klaar in Mijn Inburgering. Log in met DigiD om de brief te "
    "lezen.\n\nDit is een automatisch bericht. U kunt niet op deze e-mail antwoorden.\n\nMet vriendelijke groet,\n"
    "Team Inburgering"
)


def digital_post_configured(gemeente: Gemeente) -> bool:
    return has_connection(gemeente, System.DIGITALE_POST)


@register_handler("letter.email", label="E-mail: brief staat klaar in Mijn Inburgering", is_configured=lambda g: True)
def deliver_email(message: OutboxMessage) -> None:
    from openinburgering.letters.models import Letter

    letter = Letter.objects.select_related("client_file__person").defer("content").get(pk=message.payload["letter_id"])
    address = letter.client_file.person.email
    if not address:
        raise DeliveryError("E-mail: van de persoon is geen e-mailadres (meer) bekend.")
    try:
        send_mail(EMAIL_SUBJECT, EMAIL_BODY, None, [address], fail_silently=False)
    except OSError as exc:  # smtplib errors are OSErrors
        raise DeliveryError(f"E-mail: de mailserver weigert of is niet bereikbaar ({type(exc).__name__}).") from None


@register_handler("letter.digitaal", label="Brief naar digitale post", is_configured=digital_post_configured)
def deliver_digital(message: OutboxMessage) -> None:
    from openinburgering.letters.models import Letter

    from .zgw import call, document_identificatie

    connection = connection_for(message.gemeente_id, System.DIGITALE_POST)
    if connection is None:
        raise NotConfigured("Het kanaal voor digitale post is niet (meer) ingesteld.")
    letter = Letter.objects.select_related("client_file__person").get(pk=message.payload["letter_id"])
    body = {
        "kenmerk": document_identificatie(letter.pk),
        "bsn": letter.client_file.person.bsn,
        "onderwerp": letter.title,
        "bestandsnaam": letter.filename,
        "inhoud": base64.b64encode(bytes(letter.content)).decode("ascii"),
    }
    with client_for(connection) as client:
        call(client, "POST", "berichten", json=body, expected=(200, 201, 202, 409), step="Digitale post")
