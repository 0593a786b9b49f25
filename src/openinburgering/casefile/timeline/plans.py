"""Sources of the PIP and around it: PIP events, bezwaar, voortgangsgesprekken, letters, signals."""

from __future__ import annotations

from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast

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


def talks(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    """Voortgangsgesprekken that were held; who recorded it is in the audit event of ``record_progress_talk``."""
    recorded = AuditEvent.objects.filter(
        client_file_id=OuterRef("client_file_id"),
        event_type="progress_talk_recorded",
        subject_type="progresstalk",
        subject_id=Cast(OuterRef("pk"), output_field=CharField()),
    ).order_by("-occurred_at", "-id")
    rows = (
        ProgressTalk.objects.filter(client_file=client_file, held_on__isnull=False)
        .annotate(
            recorded_at=Subquery(recorded.values("occurred_at")[:1]),
            recorded_first=Subquery(recorded.values("actor__first_name")[:1]),
            recorded_last=Subquery(recorded.values("actor__last_name")[:1]),
            recorded_username=Subquery(recorded.values("actor__username")[:1]),
        )
        .order_by("-held_on", "-id")
    )
    entries: list[TimelineEntry] = []
    for talk in cut(rows, limit):
        assert talk.held_on is not None  # filtered above
        by = full_name(talk.recorded_first, None, talk.recorded_last) or talk.recorded_username or UNKNOWN_ACTOR
        entries.append(
            TimelineEntry(
                talk.recorded_at or day(talk.held_on),
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
