"""Reads of PIP versions, their agreements, events, bezwaren and voortgangsgesprekken, in a constant number of
queries (select_related/prefetch_related). Callers reach the file through access_client_file first."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Case, DateField, F, Prefetch, QuerySet, When
from django.db.models.expressions import OrderBy

from openinburgering.accounts.actor import Actor
from openinburgering.clients.deadlines import DEADLINE_LABELS, KIND_GROUPS
from openinburgering.clients.models import ClientFile
from openinburgering.core import sql
from openinburgering.intakes.choices import Leefgebied

from .choices import OPEN_PIP_STATUSES, PipStatus
from .models import Bezwaar, PipAgreement, PipEvent, PipVersion, ProgressTalk


@dataclass(frozen=True)
class IntakePrefill:
    """What the brede intake gives a first PIP draft: the chosen leerroute and the wishes per leefgebied."""

    chosen_route: str = ""
    wishes: list[tuple[str, str]] = field(default_factory=list)


def intake_prefill(client_file: ClientFile) -> IntakePrefill:
    """The latest route advice and the leefgebied wishes of the file's intakes (two queries).

    The intakes app offers ``latest_route_advice`` and ``assessments_for_pip`` in its selectors; while those are
    not there yet this reads ``intakes.models`` directly (the same rows: the newest advice by created_at and the
    assessments with non-empty wishes). Only this function knows where the intake data comes from."""
    try:
        from openinburgering.intakes import selectors as intake_selectors

        latest = intake_selectors.latest_route_advice
        assessments_for_pip = intake_selectors.assessments_for_pip
    except (ImportError, AttributeError):
        from openinburgering.intakes.models import LeefgebiedAssessment, RouteAdvice

        def latest(client_file: ClientFile) -> Any:
            return RouteAdvice.objects.filter(client_file=client_file).order_by("-created_at", "-id").first()

        def assessments_for_pip(client_file: ClientFile) -> Any:
            return (
                LeefgebiedAssessment.objects.filter(intake__client_file=client_file)
                .exclude(wishes="")
                .select_related("intake__person")
                .order_by("intake_id", "id")
            )

    advice = latest(client_file)
    wishes: list[tuple[str, str]] = []
    seen: set[str] = set()
    for row in assessments_for_pip(client_file):
        text = (row.wishes or "").strip()
        key = " ".join(text.split()).casefold()
        # Health data (AVG art. 9) stays in the intake's gezondheid step: it is not copied into the plan, which
        # more people read and the beschikking carries. A wish told in several leefgebieden becomes one agreement
        # (the first), not the same text three times (#11).
        if not text or row.leefgebied == Leefgebied.GEZONDHEID or key in seen:
            continue
        seen.add(key)
        wishes.append((row.leefgebied, text))
    return IntakePrefill(chosen_route=advice.chosen_route if advice is not None else "", wishes=wishes)


def versions_of(client_file: ClientFile) -> QuerySet[PipVersion]:
    """Every version of a file, newest first, with the people who drafted and approved it (one query)."""
    return (
        PipVersion.objects.filter(client_file=client_file)
        .select_related("drafted_by", "submitted_by", "approved_by")
        .order_by("-number")
    )


def version_with_history(client_file: ClientFile, version_id: int) -> PipVersion | None:
    """One version with its agreements, events, bezwaren and voortgangsgesprekken (five queries)."""
    return (
        versions_of(client_file)
        .select_related("beschikking_letter")
        .defer("beschikking_letter__content")
        .prefetch_related(
            Prefetch("agreements", queryset=PipAgreement.objects.order_by("position", "id")),
            Prefetch("events", queryset=PipEvent.objects.select_related("actor").order_by("occurred_at", "id")),
            Prefetch(
                "bezwaren", queryset=Bezwaar.objects.select_related("registered_by").order_by("-received_on", "-id")
            ),
            Prefetch("progress_talks", queryset=ProgressTalk.objects.order_by("planned_on", "id")),
        )
        .filter(pk=version_id)
        .first()
    )


@dataclass(frozen=True)
class PipOverview:
    """The PIP block of the file page: the current vastgestelde version, the open one, and how many exist."""

    current: PipVersion | None
    open: PipVersion | None
    count: int


def pip_overview(client_file: ClientFile) -> PipOverview:
    """One query, whatever the number of versions."""
    rows = list(
        PipVersion.objects.filter(client_file=client_file)
        .only(
            "id",
            "number",
            "status",
            "leerroute",
            "level",
            "dagtekening_on",
            "termijn_start_on",
            "termijn_end_on",
            "submitted_at",
            "drafted_at",
            "client_file_id",
            "beschikking_letter_id",
        )
        .order_by("-number")
    )
    current = next((row for row in rows if row.status == PipStatus.VASTGESTELD), None)
    open_version = next((row for row in rows if row.status in OPEN_PIP_STATUSES), None)
    return PipOverview(current=current, open=open_version, count=len(rows))


def current_version(client_file: ClientFile) -> PipVersion | None:
    return PipVersion.objects.filter(client_file=client_file, status=PipStatus.VASTGESTELD).first()


def progress_talks_of(client_file: ClientFile) -> QuerySet[ProgressTalk]:
    return ProgressTalk.objects.filter(client_file=client_file).select_related("version").order_by("planned_on", "id")


@dataclass(frozen=True)
class VersionRow:
    """A version as the PIP page lists it: the values shown, labels and names as text."""

    pk: int
    number: int
    status_label: str
    leerroute_label: str  # empty while no leerroute is chosen
    dagtekening_on: date | None
    drafted_by: str
    approved_by: str  # empty while not approved


@dataclass(frozen=True)
class TalkRow:
    """A voortgangsgesprek as the PIP page lists it."""

    pk: int
    planned_on: date
    held_on: date | None
    summary: str


@dataclass(frozen=True)
class PipIndex:
    versions: list[VersionRow]  # newest first, as versions_of
    talks: list[TalkRow]  # by planned day, as progress_talks_of


def _as_date(value: Any) -> date | None:
    """A date column as read: a date from PostgreSQL, ISO text from SQLite."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _display_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """User.display_name from the columns (get_full_name() or the username)."""
    return f"{first_name or ''} {last_name or ''}".strip() or (username or "")


@functools.cache
def _pip_index_sql(vendor: str) -> str:
    """The PIP page's one query (#18): the versions (with who drafted and approved them) and the voortgangsgesprekken
    of a file as UNION ALL of the columns the page shows. Plain SQL, so no ORM compiling per request; names quoted
    from the models (``vendor`` only keys the cache: quoting depends on the database)."""
    from openinburgering.accounts.models import User

    def v(name: str) -> str:
        return sql.column(PipVersion, name)

    def t(name: str) -> str:
        return sql.column(ProgressTalk, name)

    def u(name: str) -> str:
        return sql.column(User, name)

    # Only quoted model identifiers are formatted in; the file id is a parameter.
    return (
        f"SELECT 0, v.{v('id')}, v.{v('number')}, v.{v('status')}, v.{v('leerroute')}, v.{v('dagtekening_on')}, "  # noqa: S608 -- see above
        f"NULL, NULL, d.{u('first_name')}, d.{u('last_name')}, d.{u('username')}, a.{u('first_name')}, "
        f"a.{u('last_name')}, a.{u('username')} "
        f"FROM {sql.table(PipVersion)} v INNER JOIN {sql.table(User)} d ON d.{u('id')} = v.{v('drafted_by')} "
        f"LEFT OUTER JOIN {sql.table(User)} a ON a.{u('id')} = v.{v('approved_by')} WHERE v.{v('client_file')} = %s "
        f"UNION ALL SELECT 1, t.{t('id')}, NULL, NULL, NULL, t.{t('planned_on')}, t.{t('held_on')}, t.{t('summary')}, "
        f"NULL, NULL, NULL, NULL, NULL, NULL FROM {sql.table(ProgressTalk)} t WHERE t.{t('client_file')} = %s"
    )


def pip_index_of(client_file: ClientFile) -> PipIndex:
    """What the PIP page lists (one query): the rows of ``versions_of`` and ``progress_talks_of`` with only the values
    shown (tests/plans/test_pip_index.py compares them)."""
    statuses = {str(value): str(label) for value, label in PipStatus.choices}
    routes = {str(value): str(label) for value, label in PipVersion._meta.get_field("leerroute").flatchoices}
    versions: list[VersionRow] = []
    talks: list[TalkRow] = []
    with connection.cursor() as cursor:
        cursor.execute(_pip_index_sql(connection.vendor), [client_file.pk, client_file.pk])
        for kind, pk, number, status, route, day, held_on, summary, *names in cursor.fetchall():
            if kind == 0:
                versions.append(
                    VersionRow(
                        pk=pk, number=number, status_label=statuses.get(status, status),
                        leerroute_label=routes.get(route, route) if route else "", dagtekening_on=_as_date(day),
                        drafted_by=_display_name(*names[:3]), approved_by=_display_name(*names[3:]),
                    )
                )  # fmt: skip
            else:
                talks.append(TalkRow(pk=pk, planned_on=_as_date(day), held_on=_as_date(held_on), summary=summary))  # type: ignore[arg-type]  # planned_on is NOT NULL
    versions.sort(key=lambda row: -row.number)
    talks.sort(key=lambda row: (row.planned_on, row.pk))
    return PipIndex(versions=versions, talks=talks)


def bezwaren_of(version: PipVersion) -> QuerySet[Bezwaar]:
    return Bezwaar.objects.filter(version=version).select_related("registered_by").order_by("-received_on", "-id")


# The PIP deadline is the file's stored next step (clients.deadlines, from rules.pip_deadline) while that step is
# "PIP vaststellen" (one of its bases, B 5.3); it is read here, never computed again.
PIP_DEADLINE_KINDS: tuple[str, ...] = KIND_GROUPS["pip_due"]

APPROVAL_ORDERINGS: dict[str, tuple[str | OrderBy, ...]] = {
    # Versions without a PIP deadline (a later version, or a file whose next step is another one) go last.
    "deadline": (F("pip_due_on").asc(nulls_last=True), "submitted_at", "id"),
    "-deadline": (F("pip_due_on").desc(nulls_last=True), "submitted_at", "id"),
    "submitted": ("submitted_at", "id"),
    "-submitted": ("-submitted_at", "-id"),
}


def approval_queue(actor: Actor, *, ordering: str = "deadline") -> QuerySet[PipVersion]:
    """The versions waiting for a teamleider in the actor's gemeente (page in the database), each with
    ``pip_due_on``: the file's PIP deadline, or None when its stored next step is not the PIP. Sorted by that
    deadline (earliest first) unless ``ordering`` says otherwise (a key of :data:`APPROVAL_ORDERINGS`)."""
    return (
        PipVersion.objects.filter(status=PipStatus.TER_GOEDKEURING, client_file__gemeente_id=actor.gemeente_id)
        .select_related("client_file", "client_file__person", "drafted_by", "submitted_by")
        .annotate(
            pip_due_on=Case(
                When(
                    client_file__pip_dagtekening_on__isnull=True,
                    client_file__next_deadline_kind__in=PIP_DEADLINE_KINDS,
                    then=F("client_file__next_deadline_on"),
                ),
                default=None,
                output_field=DateField(),
            )
        )
        .order_by(*APPROVAL_ORDERINGS.get(ordering, APPROVAL_ORDERINGS["deadline"]))
    )


@dataclass(frozen=True)
class PipDeadline:
    """The PIP deadline of a file as the PIP and intake pages show it ("PIP uiterlijk 15-06-2027").

    ``state``: "open" (a date, not passed), "today", "overdue" (passed, the PIP is not vastgesteld), "waiting"
    (the rules cannot know the date yet), "other_step" (the file's next step is an earlier one: ``step_label`` on
    ``step_on``), "vastgesteld" (the first PIP has its dagtekening: no PIP deadline any more) or "none"."""

    state: str
    due_on: date | None = None
    days: int | None = None  # days left (open) or late (overdue)
    step_label: str = ""
    step_on: date | None = None

    @property
    def is_overdue(self) -> bool:
        return self.state == "overdue"


def dated_pip_deadline(due_on: date, *, as_of: date) -> PipDeadline:
    """A known PIP deadline seen on ``as_of``: open, today or overdue, with the days left or late."""
    left = (due_on - as_of).days
    if left < 0:
        return PipDeadline("overdue", due_on=due_on, days=-left)
    return PipDeadline("today" if left == 0 else "open", due_on=due_on, days=left)


def pip_deadline_of(client_file: ClientFile, *, as_of: date) -> PipDeadline:
    """Reads the stored deadline of the (already loaded) file: no query."""
    if client_file.pip_dagtekening_on is not None:
        return PipDeadline("vastgesteld", due_on=client_file.pip_dagtekening_on)
    kind, due_on = client_file.next_deadline_kind, client_file.next_deadline_on
    if kind in PIP_DEADLINE_KINDS and due_on is not None:
        return dated_pip_deadline(due_on, as_of=as_of)
    if kind == "pip_waiting":
        return PipDeadline("waiting")
    if kind:
        return PipDeadline("other_step", step_label=str(DEADLINE_LABELS.get(kind, "")), step_on=due_on)
    return PipDeadline("none")
