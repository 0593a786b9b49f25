"""Sources of the PIP and around it: PIP events, bezwaar, voortgangsgesprekken, letters, signals."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, DateTimeField, Func, JSONField, OuterRef, Subquery
from django.db.models.functions import Cast, JSONObject
from django.db.models.sql.compiler import SQLCompiler

from openinburgering.audit.models import AuditEvent
from openinburgering.letters.models import Letter
from openinburgering.plans.models import Bezwaar, PipEvent, ProgressTalk
from openinburgering.signals.models import FileSignal

from .entries import SYSTEM_ACTOR, UNKNOWN_ACTOR, Branch, Row, TimelineEntry, day, full_name, label, shape, who_of

# --- plans --------------------------------------------------------------------------------------------------------

PIP_EVENTS = (
    # Every step of every PIP version: concept, ter goedkeuring, vastgesteld, teruggestuurd, vervangen, the
    # client's response.
    Branch(
        lambda f, src: shape(
            PipEvent.objects.filter(version__client_file=f), src, at="occurred_at",
            texts=("version__number", "kind", "comment"), by="actor",
        ),
        lambda r: TimelineEntry(
            r.at, "pip", f"PIP versie {r.t1}: {label(PipEvent, 'kind', r.t2).lower()}", r.t3 or "", who_of(r)
        ),
    ),
)  # fmt: skip

PIP_BEZWAREN = (
    Branch(
        lambda f, src: shape(
            Bezwaar.objects.filter(version__client_file=f), src, at="registered_at", d="received_on",
            texts=("version__number", "status"), by="registered_by",
        ),
        lambda r: TimelineEntry(
            r.at, "bezwaar", f"Bezwaar tegen PIP versie {r.t1}",
            f"Ontvangen op {r.d:%d-%m-%Y}. Stand: {label(Bezwaar, 'status', r.t2).lower()}.", who_of(r),
        ),
    ),
)  # fmt: skip


def _moment(value: str | None) -> datetime | None:
    """A timestamp read back from JSON (ISO 8601; naive means UTC, as SQLite stores it)."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class Noon(Func):
    """Noon of a date in the site's time zone, as :func:`.entries.day` places it (on SQLite noon UTC, close
    enough for ordering: the entry itself shows :func:`.entries.day`)."""

    output_field = DateTimeField()

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"(({sql} + TIME '12:00') AT TIME ZONE %s)", (*params, settings.TIME_ZONE)
        return f"datetime({sql}, '+12 hours')", tuple(params)


def _talks(client_file: Any, src: int) -> Any:
    """Voortgangsgesprekken that were held; who recorded it (and when) is in the audit event of
    ``record_progress_talk``. One subquery for all its values: the audit table is partitioned by month, and each
    subquery on it is planned for every partition (four took ~95 ms of planning per page on 100,000 clients,
    #18). The union takes the moment from that JSON (``Branch.at_in_json``), else noon of the day."""
    recorded = AuditEvent.objects.filter(
        client_file_id=OuterRef("client_file_id"),
        event_type="progress_talk_recorded",
        subject_type="progresstalk",
        subject_id=Cast(OuterRef("pk"), output_field=CharField()),
    ).order_by("-occurred_at", "-id")
    recorded_json = recorded.values(
        data=JSONObject(
            at="occurred_at", first="actor__first_name", last="actor__last_name", username="actor__username"
        )
    )
    rows = ProgressTalk.objects.filter(client_file=client_file, held_on__isnull=False).annotate(
        recorded=Subquery(recorded_json[:1], output_field=JSONField())
    )
    return shape(rows, src, at=Noon("held_on"), d="held_on", texts=("summary", "recorded"))


def _talk(r: Row) -> TimelineEntry:
    recorded_by: dict[str, Any] = (json.loads(r.t2) if r.t2 else None) or {}
    by = (
        full_name(recorded_by.get("first"), None, recorded_by.get("last"))
        or recorded_by.get("username")
        or UNKNOWN_ACTOR
    )
    assert r.d is not None  # filtered on held_on
    at = _moment(recorded_by.get("at")) or day(r.d)
    return TimelineEntry(at, "voortgang", f"Voortgangsgesprek gehouden op {r.d:%d-%m-%Y}", r.t1 or "", by)


TALKS = (Branch(_talks, _talk, at_in_json="t2"),)


# --- letters and signals ------------------------------------------------------------------------------------------

LETTERS = (
    Branch(
        lambda f, src: shape(
            Letter.objects.filter(client_file=f), src, at="created_at", texts=("title", "recipient_name"),
            by="created_by",
        ),
        lambda r: TimelineEntry(r.at, "letter", f"Brief gemaakt: {r.t1}", f"Aan {r.t2}.", who_of(r)),
    ),
)  # fmt: skip

SIGNALS = (
    Branch(
        lambda f, src: shape(
            FileSignal.objects.filter(client_file=f), src, at="created_at", texts=("kind", "summary")
        ),
        lambda r: TimelineEntry(
            r.at, "signal", f"Signaal: {label(FileSignal, 'kind', r.t1)}", r.t2 or "", SYSTEM_ACTOR
        ),
    ),
    Branch(
        lambda f, src: shape(
            FileSignal.objects.filter(client_file=f, resolved_at__isnull=False), src, at="resolved_at",
            texts=("kind", "resolution"), by="resolved_by",
        ),
        lambda r: TimelineEntry(
            r.at, "signal", f"Signaal afgehandeld: {label(FileSignal, 'kind', r.t1)}", r.t2 or "", who_of(r)
        ),
    ),
)  # fmt: skip
