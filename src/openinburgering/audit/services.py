"""record_event(): the one way to write an audit event; record_events(): many of one kind in one insert (a list page
or a bulk import keeps a constant number of queries). Call them inside the service's transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from django.utils import timezone

from openinburgering.core.bulk import insert_rows
from openinburgering.core.context import current_request_id

from .catalogue import EVENT_CODES
from .chain import canonical_content
from .models import AuditEvent

if TYPE_CHECKING:
    from openinburgering.accounts.actor import Actor
    from openinburgering.accounts.models import Gemeente, User
    from openinburgering.clients.models import ClientFile


def record_event(
    *,
    event_type: str,
    purpose: str,
    actor: Actor | None = None,
    actor_user: User | None = None,
    gemeente: Gemeente | None = None,
    client_file: ClientFile | None = None,
    subject: Any = None,
    subject_type: str = "",
    subject_id: str = "",
    changes: dict[str, Any] | None = None,
    via: str = "ui",
) -> AuditEvent:
    """Writes one insert-only event. `changes` holds {"field": {"old": …, "new": …}} for changes; never
    personal data in free text beyond what the change itself is."""
    if event_type not in EVENT_CODES:
        raise ValueError(f"Unknown audit event type {event_type!r}: add it to audit/catalogue.py first.")
    if subject is not None:
        subject_type = subject_type or subject._meta.model_name
        subject_id = subject_id or str(subject.pk)
    if gemeente is None and actor is not None:
        gemeente = actor.gemeente
    if gemeente is None and client_file is not None:
        gemeente = client_file.gemeente
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor=actor.user if actor is not None else actor_user,
        actor_role=actor.role_code if actor is not None else "",
        gemeente=gemeente,
        client_file=client_file,
        event_type=event_type,
        subject_type=subject_type,
        subject_id=subject_id,
        purpose=purpose,
        changes=changes or {},
        request_id=current_request_id(),
        via=via,
    )


EVENT_COLUMNS = (
    "occurred_at", "actor_id", "actor_role", "gemeente_id", "client_file_id", "event_type", "subject_type",
    "subject_id", "purpose", "changes", "request_id", "via", "content_hash",
)  # fmt: skip


class EventSubject(NamedTuple):
    """One row of record_events: the file it concerns and what it is about."""

    gemeente_id: int | None
    client_file_id: int | None
    subject_type: str
    subject_id: str
    changes: dict[str, Any] | None = None
    event_type: str | None = None  # None: the event type of the record_events call


def record_events(
    *, event_type: str, purpose: str, actor: Actor, subjects: Iterable[EventSubject], via: str = "ui"
) -> None:
    """One insert-only event per subject, all written in ONE insert, with the same fields as record_event. A
    subject with an ``event_type`` of its own is an event of that type (a page that shows several things of one
    file writes its reads in one insert)."""
    subjects = list(subjects)
    for code in {event_type, *(subject.event_type for subject in subjects if subject.event_type)}:
        if code not in EVENT_CODES:
            raise ValueError(f"Unknown audit event type {code!r}: add it to audit/catalogue.py first.")
    now = timezone.now()
    request_id = current_request_id()
    actor_id, role = actor.user.pk, actor.role_code
    rows = []
    for subject in subjects:
        changes = subject.changes or {}
        kind = subject.event_type or event_type
        content = canonical_content(
            occurred_at=now, actor_id=actor_id, actor_role=role, gemeente_id=subject.gemeente_id,
            client_file_id=subject.client_file_id, event_type=kind, subject_type=subject.subject_type,
            subject_id=subject.subject_id, purpose=purpose, changes=changes, request_id=request_id, via=via,
        )  # fmt: skip
        rows.append(
            (
                now, actor_id, role, subject.gemeente_id, subject.client_file_id, kind, subject.subject_type,
                subject.subject_id, purpose, changes, request_id, via, hashlib.sha256(content.encode()).hexdigest(),
            )
        )  # fmt: skip
    # One statement for all of them (PostgreSQL COPY): 10,000 events of a payment run were seconds as model
    # instances. The content hash is computed here as AuditEventQuerySet.bulk_create does; the database seals.
    insert_rows(AuditEvent, EVENT_COLUMNS, rows)
