"""Services of the functioneel beheerder on the koppelingen: putting an outgoing message back in the queue, and
logging that the list of outgoing messages was read. Keyword-only, atomic, audited in the same transaction."""

from __future__ import annotations

from django.db import transaction

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.audit.services import record_event
from openinburgering.core.errors import ApplicationError, NotFound

from . import outbox
from .models import OutboxMessage, OutboxState

PURPOSE_INTEGRATIONS = "beheer van koppelingen met andere systemen"


def record_outbox_viewed(*, actor: Actor, via: str = "ui") -> None:
    record_event(actor=actor, event_type="integration_outbox_viewed", purpose=PURPOSE_INTEGRATIONS, via=via)


@transaction.atomic
def retry_message(*, actor: Actor, message_id: int, via: str = "ui") -> OutboxMessage:
    """Puts a failed or waiting message of the actor's gemeente back in the queue now (functioneel beheerder)."""
    if not actor.can(Capability.MANAGE_INTEGRATIONS):
        raise NotFound()
    message = OutboxMessage.objects.select_for_update().filter(pk=message_id, gemeente=actor.gemeente).first()
    if message is None:
        raise NotFound()
    if message.state not in (OutboxState.FAILED, OutboxState.PENDING):
        raise ApplicationError("Dit bericht is al verzonden of wordt nu verzonden; opnieuw proberen kan niet.")
    old_state = message.state
    outbox.reschedule(message)
    record_event(
        actor=actor, event_type="integration_message_retried", purpose=PURPOSE_INTEGRATIONS, subject=message,
        changes={"state": {"old": old_state, "new": message.state}}, via=via,
    )  # fmt: skip
    return message
