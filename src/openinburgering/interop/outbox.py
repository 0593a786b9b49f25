"""The outbox engine: register a handler per kind, enqueue a message inside the transaction of a change, deliver it
from a background job with retries and exponential backoff.

Guarantees:
- **Never lost, never sent for a rolled-back change.** ``enqueue_outgoing`` writes the message row and its delivery
  job (django-tasks-db: a row in the same database) inside the caller's transaction.
- **Never doubled.** The idempotency ``key`` is unique: enqueueing the same key again returns the first message.
  A delivery attempt can still die half-way (a crash, a timeout after the receiver already acted), so a handler
  makes its *effect* at-most-once itself: it stores what the receiver confirmed with ``remember()`` (saved at once,
  outside any transaction) and, before creating something, looks it up by the receiver's id or by a stable
  identifier derived from the key. A retry then continues where the last attempt stopped.
- **Retried with backoff, then shown.** A failed attempt is retried after 30 s, 1, 2, 4 ... minutes (capped at
  6 hours); after ``MAX_ATTEMPTS`` the message is ``failed`` and waits for the functioneel beheerder's "opnieuw
  proberen" (page ``interop:outbox``).
- **Crash-safe claiming.** An attempt claims the message (state ``sending``) with a lease; a worker that dies leaves
  it ``sending`` until the lease ends, then the sweeper (``manage.py send_outbox``) picks it up again.

``last_error`` never holds personal data: handlers raise ``DeliveryError`` with a safe text (status code, which
step); any other exception is stored by its class name only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage, OutboxState

if TYPE_CHECKING:
    from openinburgering.accounts.models import Gemeente
    from openinburgering.clients.models import ClientFile

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=6)
LEASE = timedelta(minutes=5)
"""How long one attempt may take before the sweeper assumes its worker died (every HTTP call has a timeout far
below this)."""


class DeliveryError(Exception):
    """A delivery attempt failed; the text is stored and shown to the functioneel beheerder, so it must not hold
    personal data (say which step and which HTTP status, not what was sent)."""


class NotConfigured(DeliveryError):
    """The gemeente's connection for this kind is (no longer) configured; retried like any failure."""


Deliver = Callable[[OutboxMessage], None]
IsConfigured = Callable[["Gemeente"], bool]


@dataclass(frozen=True)
class Handler:
    kind: str
    label: str
    deliver: Deliver
    is_configured: IsConfigured


_HANDLERS: dict[str, Handler] = {}


def register_handler(kind: str, *, label: str, is_configured: IsConfigured) -> Callable[[Deliver], Deliver]:
    """Decorator: ``@register_handler("zgw.zaak", label="Zaak in het zaaksysteem", is_configured=...)`` on a function
    that takes the message and delivers it (raising ``DeliveryError`` when it fails). Register at import time from
    your app's ``AppConfig.ready``."""

    def decorate(deliver: Deliver) -> Deliver:
        if kind in _HANDLERS and _HANDLERS[kind].deliver is not deliver:
            raise ValueError(f"Outbox kind {kind!r} is registered twice.")
        _HANDLERS[kind] = Handler(kind=kind, label=label, deliver=deliver, is_configured=is_configured)
        return deliver

    return decorate


def unregister_handler(kind: str) -> None:
    """For tests that register a throwaway handler."""
    _HANDLERS.pop(kind, None)


def handler_for(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise ValueError(f"No outbox handler for kind {kind!r}: register one with register_handler().") from None


def label_for(kind: str) -> str:
    handler = _HANDLERS.get(kind)
    return handler.label if handler is not None else kind


def backoff(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: 30 s doubled per failed attempt, at most 6 hours."""
    wait: timedelta = FIRST_BACKOFF * (2 ** max(attempts - 1, 0))
    return min(wait, MAX_BACKOFF)


def _enqueue_job(message: OutboxMessage, *, run_after: datetime | None = None) -> None:
    from .tasks import deliver_outbox_message

    task = deliver_outbox_message if run_after is None else deliver_outbox_message.using(run_after=run_after)
    task.enqueue(message.pk)


def enqueue_outgoing(
    *,
    kind: str,
    key: str,
    payload: dict[str, Any],
    gemeente: Gemeente,
    client_file: ClientFile | None = None,
) -> OutboxMessage | None:
    """Records one outgoing message and its delivery job in the caller's transaction (call it inside the service
    that makes the change). Returns None, writing nothing, when the gemeente has not configured this connection
    (the demo, or a gemeente without a zaaksysteem). The same ``key`` twice returns the first message unchanged.
    ``payload`` must be JSON; keep personal data in it to what the receiver needs."""
    handler = handler_for(kind)
    if not handler.is_configured(gemeente):
        return None
    if len(key) > 200:
        raise ValueError("Outbox key longer than 200 characters.")
    with transaction.atomic():
        message, created = OutboxMessage.objects.get_or_create(
            key=key,
            defaults={"kind": kind, "payload": payload, "gemeente": gemeente, "client_file": client_file},
        )
        if created:
            _enqueue_job(message)
    return message


def remember(message: OutboxMessage, **values: Any) -> None:
    """Stores what the receiver confirmed (an id, a URL) at once, so a retry does not redo that step. Call it from a
    handler right after each step succeeds."""
    message.progress = {**message.progress, **values}
    OutboxMessage.objects.filter(pk=message.pk).update(progress=message.progress)


def _claim(message_id: int, now: datetime) -> OutboxMessage | None:
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, state__in=[OutboxState.PENDING, OutboxState.SENDING], next_attempt_at__lte=now)
            .first()
        )
        if message is None:
            return None
        message.state = OutboxState.SENDING
        message.attempts += 1
        message.next_attempt_at = now + LEASE
        message.save(update_fields=["state", "attempts", "next_attempt_at"])
    return message


def _safe_error(exc: Exception) -> str:
    if isinstance(exc, DeliveryError):
        return str(exc)[:500]
    return f"Onverwachte fout ({type(exc).__name__})."


def deliver(message_id: int, *, now: datetime | None = None) -> str | None:
    """One delivery attempt of one message, if it is due. Returns the new state, or None when the message was not
    due (already sent, claimed by another worker, or waiting for its backoff)."""
    now = now or timezone.now()
    message = _claim(message_id, now)
    if message is None:
        return None
    try:
        handler_for(message.kind).deliver(message)
    except Exception as exc:
        logger.warning("outbox_delivery_failed", extra={"message_id": message.pk, "kind": message.kind})
        with transaction.atomic():
            message.last_error = _safe_error(exc)
            if message.attempts >= MAX_ATTEMPTS:
                message.state = OutboxState.FAILED
            else:
                message.state = OutboxState.PENDING
                message.next_attempt_at = timezone.now() + backoff(message.attempts)
                _enqueue_job(message, run_after=message.next_attempt_at)
            message.save(update_fields=["state", "next_attempt_at", "last_error"])
        return str(message.state)
    message.state = OutboxState.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["state", "sent_at", "last_error"])
    return str(message.state)


def sweep(*, now: datetime | None = None, limit: int = 500) -> int:
    """Delivers every due message (stragglers: a lost job, a worker that died while sending). Returns how many
    attempts it made."""
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(
        state__in=[OutboxState.PENDING, OutboxState.SENDING], next_attempt_at__lte=now
    ).values_list("pk", flat=True)[:limit]
    return sum(1 for message_id in list(due) if deliver(message_id, now=now) is not None)


def reschedule(message: OutboxMessage) -> None:
    """Puts a failed (or waiting) message back in the queue now, with a fresh count of attempts. Call inside a
    transaction (``services.retry_message`` does, with its audit event)."""
    message.state = OutboxState.PENDING
    message.attempts = 0
    message.next_attempt_at = timezone.now()
    message.save(update_fields=["state", "attempts", "next_attempt_at"])
    _enqueue_job(message)
