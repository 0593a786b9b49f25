"""Sources of the PIP and around it: PIP events, bezwaar, voortgangsgesprekken, letters, signals."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.models import CharField, JSONField, OuterRef, Subquery
from django.db.models.functions import Cast, JSONObject

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.letters.models import Letter
from openinburgering.plans.models import Bezwaar, PipEvent, ProgressTalk
from openinburgering.signals.models import FileSignal

from .entries import SYSTEM_ACTOR, UNKNOWN_ACTOR, TimelineEntry, cut, day, full_name, who

# --- plans --------------------------------------------------------------------------------------------------------


def pip_events(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    """Every step of every PIP version: concept, ter goedkeuring, vastgesteld, teruggestuurd, vervangen, the
    client's response."""
    rows = (
        PipEvent.objects.filter(version__client_file=client_file)
        .select_related("version", "actor")
        .order_by("-occurred_at", "-id")
    )
    return [
        TimelineEntry(
            e.occurred_at,
            "pip",
            f"PIP versie {e.version.number}: {e.get_kind_display().lower()}",
            e.comment,
            who(e.actor),
        )
        for e in cut(rows, limit)
    ]


def pip_bezwaren(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        Bezwaar.objects.filter(version__client_file=client_file)
        .select_related("version", "registered_by")
        .order_by("-registered_at", "-id")
    )
    return [
        TimelineEntry(
            b.registered_at,
            "bezwaar",
            f"Bezwaar tegen PIP versie {b.version.number}",
            f"Ontvangen op {b.received_on:%d-%m-%Y}. Stand: {b.get_status_display().lower()}.",
            who(b.registered_by),
        )
        for b in cut(rows, limit)
    ]


def _moment(value: str | None) -> datetime | None:
    """A timestamp read back from JSON (ISO 8601; naive means UTC, as SQLite stores it)."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def talks(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    """Voortgangsgesprekken that were held; who recorded it is in the audit event of ``record_progress_talk``."""
    recorded = AuditEvent.objects.filter(
        client_file_id=OuterRef("client_file_id"),
        event_type="progress_talk_recorded",
        subject_type="progresstalk",
        subject_id=Cast(OuterRef("pk"), output_field=CharField()),
    ).order_by("-occurred_at", "-id")
    # One subquery for the four values: the audit table is partitioned by month, and each subquery on it is
    # planned for every partition (four took ~95 ms of planning per page on 100,000 clients, #18).
    recorded_json = recorded.values(
        data=JSONObject(
            at="occurred_at", first="actor__first_name", last="actor__last_name", username="actor__username"
        )
    )
    rows = (
        ProgressTalk.objects.filter(client_file=client_file, held_on__isnull=False)
        .annotate(recorded=Subquery(recorded_json[:1], output_field=JSONField()))
        .order_by("-held_on", "-id")
    )
    entries: list[TimelineEntry] = []
    for talk in cut(rows, limit):
        assert talk.held_on is not None  # filtered above
        recorded_by = talk.recorded or {}
        by = (
            full_name(recorded_by.get("first"), None, recorded_by.get("last"))
            or recorded_by.get("username")
            or UNKNOWN_ACTOR
        )
        entries.append(
            TimelineEntry(
                _moment(recorded_by.get("at")) or day(talk.held_on),
                "voortgang",
                f"Voortgangsgesprek gehouden op {talk.held_on:%d-%m-%Y}",
                talk.summary,
                by,
            )
        )
    return entries


# --- letters and signals ------------------------------------------------------------------------------------------


def letters(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        Letter.objects.filter(client_file=client_file)
        .defer("content")
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )
    return [
        TimelineEntry(
            letter.created_at,
            "letter",
            f"Brief gemaakt: {letter.title}",
            f"Aan {letter.recipient_name}.",
            who(letter.created_by),
        )
        for letter in cut(rows, limit)
    ]


def signals(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = FileSignal.objects.filter(client_file=client_file).select_related("resolved_by").order_by("-created_at")
    entries: list[TimelineEntry] = []
    for signal in cut(rows, limit):
        entries.append(
            TimelineEntry(
                signal.created_at, "signal", f"Signaal: {signal.get_kind_display()}", signal.summary, SYSTEM_ACTOR
            )
        )
        if signal.resolved_at is not None:
            entries.append(
                TimelineEntry(
                    signal.resolved_at,
                    "signal",
                    f"Signaal afgehandeld: {signal.get_kind_display()}",
                    signal.resolution,
                    who(signal.resolved_by),
                )
            )
    return entries
