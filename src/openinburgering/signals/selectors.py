"""Reads of signal messages and file signals, always scoped to one gemeente."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.clients.access import health_readable_persons
from openinburgering.clients.choices import CLOSED_STATUSES
from openinburgering.clients.models import ClientFile
from openinburgering.core.errors import NotFound

from .choices import FileSignalKind, MessageStatus
from .models import FileSignal, SignalMessage


def open_file_for_bsn(*, gemeente_id: int, bsn: str) -> ClientFile | None:
    """The person's open file in this gemeente (at most one, by database constraint). For message processing."""
    if not bsn:
        return None
    return (
        ClientFile.objects.filter(gemeente_id=gemeente_id, person__bsn=bsn).exclude(status__in=CLOSED_STATUSES).first()
    )


def lock_file(pk: int) -> ClientFile:
    return ClientFile.objects.select_for_update(of=("self",)).select_related("person").get(pk=pk)


def _with_state(queryset: QuerySet[SignalMessage]) -> QuerySet[SignalMessage]:
    return queryset.annotate(
        is_retracted=Exists(SignalMessage.objects.filter(retraction_of=OuterRef("pk"))),
        is_corrected=Exists(SignalMessage.objects.filter(correction_of=OuterRef("pk"))),
    )


def signal_inbox(*, actor: Actor, status: str = "", source: str = "") -> QuerySet[SignalMessage]:
    """The gemeente's received messages, newest first; filters in the database. Constant queries per page."""
    if not actor.can(Capability.VIEW_SIGNALS):
        raise NotFound()
    queryset = SignalMessage.objects.filter(gemeente_id=actor.gemeente_id)
    if status:
        queryset = queryset.filter(status=status)
    if source:
        queryset = queryset.filter(source=source)
    return _with_state(
        queryset.select_related("correction_of", "retraction_of").defer(
            "payload",
            "result",
            "correction_of__payload",
            "correction_of__result",
            "retraction_of__payload",
            "retraction_of__result",
        )
    ).order_by("-received_at", "-id")


def quarantined_signals(*, actor: Actor) -> QuerySet[SignalMessage]:
    """Quarantined messages for the purge page: metadata only, no payload."""
    if not actor.can(Capability.PURGE_SIGNALS):
        raise NotFound()
    return (
        SignalMessage.objects.filter(gemeente_id=actor.gemeente_id, status=MessageStatus.QUARANTINED)
        .defer("payload", "result")
        .order_by("received_at", "id")
    )


def open_file_signals(*, actor: Actor, mismatches_only: bool = False) -> QuerySet[FileSignal]:
    """Open signals on the gemeente's files (mismatches with DUO first of all), for /signalen/ and worklists."""
    if not actor.can(Capability.VIEW_SIGNALS):
        raise NotFound()
    from .choices import MISMATCH_KINDS

    queryset = FileSignal.objects.filter(gemeente_id=actor.gemeente_id, resolved_at__isnull=True)
    if mismatches_only:
        queryset = queryset.filter(kind__in=MISMATCH_KINDS)
    return queryset.select_related("client_file", "client_file__person").order_by("-created_at", "-id")


def file_signals_for(*, client_file: ClientFile, open_only: bool = False) -> QuerySet[FileSignal]:
    """The signals of one file the caller already reached through access_client_file (for the file page)."""
    queryset = FileSignal.objects.filter(client_file=client_file, gemeente_id=client_file.gemeente_id)
    if open_only:
        queryset = queryset.filter(resolved_at__isnull=True)
    return queryset.select_related("message").order_by("-created_at", "-id")


HEALTH_KEY = "gezondheid"  # the COA koppeling's block of health signals


def health_shown(actor: Actor, message: SignalMessage) -> bool:
    """Whether the COA health signals in this message may be shown to the actor: only for a role with the gezondheid
    section of the linked file while the person's consent stands in the file's consent register (#12 item 1, one
    source of truth for health consent)."""
    client_file = message.client_file
    return client_file is not None and client_file.person_id in health_readable_persons(actor, client_file)


def shown_payload(message: SignalMessage, *, health: bool) -> dict[str, Any]:
    """The stored payload, without its health block when that may not be shown."""
    payload: dict[str, Any] = dict(message.payload or {})
    if not health:
        payload.pop(HEALTH_KEY, None)
    return payload


def shown_file_signal_data(signal: FileSignal, *, health: bool) -> dict[str, Any]:
    """A file signal's data; a health signal's only when it may be shown."""
    if signal.kind == FileSignalKind.HEALTH_SIGNAL and not health:
        return {}
    return dict(signal.data or {})


class DuoTermijn(NamedTuple):
    """A termijn as DUO reported it (SS102): its startdatum, its exclusive einddatum and the day it came in."""

    start_on: date
    einddatum_on: date
    reported_on: date


def duo_termijn_reports(ids: Sequence[int]) -> dict[int, DuoTermijn]:
    """Per file the newest inburgeringstermijn DUO reported (SS102, kept as a 'termijn gestart' signal on the
    file; a retracted message does not count). One query. The DUO import stores it on the file
    (``clients.services.record_duo_termijn``); whether it extends the termijn is for ``rules.file_termijn`` to say."""
    newest: dict[int, DuoTermijn] = {}
    for file_id, data, created_at in (
        FileSignal.objects.filter(client_file_id__in=ids, kind=FileSignalKind.TERMIJN_STARTED)
        .exclude(message__retractions__isnull=False)
        .order_by("client_file_id", "created_at", "id")
        .values_list("client_file_id", "data", "created_at")
    ):
        try:
            start, einddatum = (date.fromisoformat(str(data.get(key, ""))) for key in ("startdatum", "einddatum"))
        except ValueError:
            continue  # the handler always stores ISO dates; anything else is not a termijn
        newest[file_id] = DuoTermijn(start, einddatum, timezone.localdate(created_at))
    return newest
