"""Background jobs of the portal. A notification says only that there is a message: the content never leaves the
portal (#15 item 7)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from .models import PortalMessage

NOTIFICATION_SUBJECT = "Nieuw bericht in Mijn Inburgering"
NOTIFICATION_BODY = (
    "U heeft een nieuw bericht van uw gemeente in Mijn Inburgering. Log in met DigiD om het te lezen.\n\n"
    "You have a new message in Mijn Inburgering. Log in with DigiD to read it."
)


@task()
def notify_new_message(message_id: int) -> bool:
    """E-mail the client that a message waits (no content); nothing when no e-mail address is known. Idempotent
    enough for a retry: at worst a second notice without content."""
    message = PortalMessage.objects.select_related("client_file__person").filter(pk=message_id).first()
    if message is None or not message.client_file.person.email:
        return False
    send_mail(
        NOTIFICATION_SUBJECT,
        NOTIFICATION_BODY,
        getattr(settings, "DEFAULT_FROM_EMAIL", "noreply@localhost"),
        [message.client_file.person.email],
    )
    return True
