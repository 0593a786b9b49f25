"""Quarantine purge, resolving file signals, and the audited reads of the signal inbox."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.audit.services import record_event
from openinburgering.core.errors import ApplicationError, NotFound

from ..choices import MessageStatus
from ..models import FileSignal, SignalMessage
from .common import PURPOSE_SIGNALS

# ---------------------------------------------------------------------------------------------------------------
# Quarantine purge, file signals


def _purge(messages: list[SignalMessage], *, actor: Actor | None, via: str) -> int:
    if not messages:
        return 0
    now = timezone.now()
    SignalMessage.objects.filter(pk__in=[m.pk for m in messages]).purge_payloads(purged_at=now)
    for message in messages:
        record_event(
            actor=actor,
            gemeente=message.gemeente,
            event_type="signal_purged",
            purpose=PURPOSE_SIGNALS,
            subject_type="signalmessage",
            subject_id=str(message.pk),
            via=via,
            changes={
                "status": {"old": MessageStatus.QUARANTINED, "new": MessageStatus.PURGED},
                "payload_sha256": message.payload_sha256,
            },
        )
    return len(messages)


@transaction.atomic
def purge_signal(*, actor: Actor, message: SignalMessage, via: str = "ui") -> SignalMessage:
    """Erase one quarantined message's payload now (reached through access_quarantined_signal)."""
    if not actor.can(Capability.PURGE_SIGNALS) or message.gemeente_id != actor.gemeente_id:
        raise NotFound()
    if message.status != MessageStatus.QUARANTINED:
        raise ApplicationError("Alleen berichten in quarantaine kunnen worden gewist.")
    _purge([message], actor=actor, via=via)
    return SignalMessage.objects.get(pk=message.pk)


@transaction.atomic
def purge_quarantined_signals(
    *, actor: Actor | None = None, gemeente_id: int | None = None, older_than_days: int = 0, via: str = "command"
) -> int:
    """Erase the payload of quarantined messages received at least ``older_than_days`` days ago (0: all now).
    The row stays (type, times, SHA-256 of the payload, reason) as the record that something came in and was
    purged; each purge writes ``signal_purged``. With an actor: only the actor's gemeente, and only with
    purge_signals. Without one (the scheduled command): every gemeente, or ``gemeente_id``."""
    if older_than_days < 0:
        raise ApplicationError(
            "Het aantal dagen kan niet negatief zijn.", field_errors={"days": ["Vul 0 of meer dagen in."]}
        )
    if actor is not None:
        if not actor.can(Capability.PURGE_SIGNALS):
            raise NotFound()
        gemeente_id = actor.gemeente_id
    cutoff = timezone.now() - timedelta(days=older_than_days)
    queryset = (
        SignalMessage.objects.select_for_update(of=("self",))
        .select_related("gemeente")
        .filter(status=MessageStatus.QUARANTINED, received_at__lte=cutoff)
    )
    if gemeente_id is not None:
        queryset = queryset.filter(gemeente_id=gemeente_id)
    return _purge(list(queryset.defer("payload", "result").order_by("pk")), actor=actor, via=via)


@transaction.atomic
def resolve_file_signal(*, actor: Actor, file_signal: FileSignal, resolution: str, via: str = "ui") -> FileSignal:
    if not actor.can(Capability.CHANGE_CLIENT_FILES) or file_signal.gemeente_id != actor.gemeente_id:
        raise NotFound()
    text = resolution.strip()
    if not text:
        raise ApplicationError(
            "Schrijf wat u heeft gedaan.", field_errors={"resolution": ["Schrijf wat u heeft gedaan."]}
        )
    if len(text) > 2000:
        raise ApplicationError(
            "De toelichting is te lang.", field_errors={"resolution": ["Gebruik maximaal 2000 tekens."]}
        )
    current = FileSignal.objects.select_for_update().get(pk=file_signal.pk)
    if current.resolved_at is not None:
        raise ApplicationError("Dit signaal is al afgehandeld.")
    current.resolved_at = timezone.now()
    current.resolved_by = actor.user
    current.resolution = text
    current.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    record_event(
        actor=actor,
        event_type="file_signal_resolved",
        purpose=PURPOSE_SIGNALS,
        client_file=current.client_file,
        subject=current,
        via=via,
        changes={"resolved": {"old": False, "new": True}},
    )
    return current


def record_signal_read(*, actor: Actor, message: SignalMessage, via: str = "ui") -> None:
    """A read of a message's payload (personal data) is logged, against the linked file when there is one."""
    record_event(
        actor=actor,
        event_type="signal_viewed",
        purpose=PURPOSE_SIGNALS,
        subject=message,
        client_file=message.client_file,
        via=via,
    )


def record_inbox_read(*, actor: Actor, count: int, via: str = "ui") -> None:
    record_event(
        actor=actor,
        event_type="signals_listed",
        purpose=PURPOSE_SIGNALS,
        subject_type="signalmessage",
        subject_id=f"{count} results",
        via=via,
    )
