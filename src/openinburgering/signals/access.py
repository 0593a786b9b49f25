"""The only doors to signal messages and file signals. Missing, other gemeente and missing capability: 404."""

from __future__ import annotations

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.core.errors import NotFound

from .choices import MessageStatus
from .models import FileSignal, SignalMessage


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def access_signal(actor: Actor | None, signal_id: int | str) -> SignalMessage:
    """A received message with its payload (personal data): needs view_signals in the message's gemeente."""
    if actor is None or not actor.can(Capability.VIEW_SIGNALS):
        raise NotFound()
    message = (
        SignalMessage.objects.select_related("client_file", "correction_of", "retraction_of")
        .filter(pk=_pk(signal_id), gemeente_id=actor.gemeente_id)
        .first()
    )
    if message is None:
        raise NotFound()
    return message


def access_quarantined_signal(actor: Actor | None, signal_id: int | str) -> SignalMessage:
    """A quarantined message, for purging: needs purge_signals (no payload is shown through this door)."""
    if actor is None or not actor.can(Capability.PURGE_SIGNALS):
        raise NotFound()
    message = (
        SignalMessage.objects.select_for_update()
        .filter(pk=_pk(signal_id), gemeente_id=actor.gemeente_id, status=MessageStatus.QUARANTINED)
        .first()
    )
    if message is None:
        raise NotFound()
    return message


def access_file_signal(actor: Actor | None, file_signal_id: int | str) -> FileSignal:
    if actor is None or not actor.can(Capability.VIEW_SIGNALS) or not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    signal = (
        FileSignal.objects.select_related("client_file")
        .filter(pk=_pk(file_signal_id), gemeente_id=actor.gemeente_id)
        .first()
    )
    if signal is None:
        raise NotFound()
    return signal
