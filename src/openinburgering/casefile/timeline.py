"""The timeline of a client file: every step, with who and when, built from the records themselves (issue #11
item 5).

Each *source* reads one kind of record of the file in one query (with its users joined) and turns its rows into
:class:`TimelineEntry` items; :func:`timeline_for` runs every source the actor may see and merges them, newest
first. So the timeline costs one query per source, however long the file's history (:data:`SOURCE_COUNT`).

With a ``limit`` every source reads at most ``limit`` rows and the merged list is cut to ``limit``: the newest
``limit`` entries (a row that gives two entries, such as an oproep planned and its outcome, is ordered by its
first moment). Without a limit the whole history is read ("toon alles").

Records without an actor of their own (a voortgangsgesprek, a household member) take the who from the audit
event their service wrote; what was written before there was an audit event says "niet vastgelegd".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import User
from openinburgering.accounts.roles import Capability
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile, Note, StatusChange
from openinburgering.clients.templatetags.client_pages import dutch_field_names
from openinburgering.followup.models import FollowUpRecord
from openinburgering.handhaving.models import (
    Achievement,
    DecisionOutcome,
    ExamConfirmation,
    FineBezwaar,
    FineDecision,
    FineProposal,
)
from openinburgering.households.models import HouseholdMember, Relation
from openinburgering.intakes.models import Intake, IntakeCall, LearnabilityTest, LeefgebiedAssessment, RouteAdvice
from openinburgering.letters.models import Letter
from openinburgering.plans.models import Bezwaar, PipEvent, ProgressTalk
from openinburgering.progress.models import AfschalenJudgement
from openinburgering.providers.models import EnrolmentEvent, ExamResult, ModuleMilestone
from openinburgering.signals.models import FileSignal

TIMELINE_KINDS = (
    "status", "note", "change", "household", "oproep", "intake", "toets", "route", "pip", "bezwaar", "voortgang",
    "letter", "signal", "plaatsing", "exam", "boete", "vervolg",
)  # fmt: skip
"""The kinds of entry (``TimelineEntry.kind``): a CSS modifier on the page and a code in the API."""

UNKNOWN_ACTOR = "niet vastgelegd"
SYSTEM_ACTOR = "systeem"


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # one of TIMELINE_KINDS
    title: str
    detail: str
    actor: str


@dataclass(frozen=True)
class Source:
    kind: str
    label: str  # what the source holds, in Dutch (for the legend and the API docs)
    read: Callable[[ClientFile, int | None], list[TimelineEntry]]
    capability: str | None = None  # only actors with this capability see these entries


def _who(user: User | None, *, system: bool = False) -> str:
    if user is None:
        return SYSTEM_ACTOR if system else UNKNOWN_ACTOR
    return user.display_name


def _cut(queryset: QuerySet[Any], limit: int | None) -> Iterable[Any]:
    return queryset if limit is None else queryset[:limit]


def _day(day: date) -> datetime:
    """A record with only a date is placed at noon of that day (Europe/Amsterdam)."""
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _name(given: str | None, prefix: str | None, surname: str | None) -> str:
    return " ".join(part for part in (given, prefix, surname) if part)


# --- clients and households -------------------------------------------------------------------------------------


def _status_changes(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = StatusChange.objects.filter(client_file=client_file).select_related("changed_by").order_by("-changed_at")
    return [
        TimelineEntry(
            c.changed_at, "status", f"Status: {c.get_to_status_display()}", c.reason, _who(c.changed_by, system=True)
        )
        for c in _cut(rows, limit)
    ]


def _notes(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = Note.objects.filter(client_file=client_file).select_related("author").order_by("-created_at", "-id")
    return [
        TimelineEntry(
            n.created_at, "note", "Correctie op notitie" if n.corrects_id else "Notitie", n.body, _who(n.author)
        )
        for n in _cut(rows, limit)
    ]


_CHANGE_TITLES = {
    "person_updated": "Persoonsgegevens gewijzigd",
    "client_file_updated": "Dossiergegevens gewijzigd",
    "client_file_reassigned": "Toegewezen aan andere medewerker",
}
_MEMBER_TITLES = {
    "household_member_added": "Gezinslid toegevoegd",
    "household_member_ended": "Gezinslid uit het huishouden",
}


def _changes(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    """Changes of person and file data (the audit event names the fields), and household members joining or
    leaving, with the member's name (HouseholdMember has no actor: the audit event of its service gives it)."""
    member = HouseholdMember.objects.annotate(key=Cast("pk", output_field=CharField())).filter(
        key=OuterRef("subject_id")
    )
    rows = (
        AuditEvent.objects.filter(client_file=client_file, event_type__in=[*_CHANGE_TITLES, *_MEMBER_TITLES])
        .select_related("actor")
        .annotate(
            member_given=Subquery(member.values("person__given_names")[:1]),
            member_prefix=Subquery(member.values("person__surname_prefix")[:1]),
            member_surname=Subquery(member.values("person__surname")[:1]),
            member_relation=Subquery(member.values("relation")[:1]),
        )
        .order_by("-occurred_at", "-id")
    )
    entries: list[TimelineEntry] = []
    for event in _cut(rows, limit):
        who = _who(event.actor, system=True)
        if event.event_type in _MEMBER_TITLES:
            name = _name(event.member_given, event.member_prefix, event.member_surname) or "onbekend"
            relation = str(dict(Relation.choices).get(event.member_relation, "")).lower()
            title = f"{_MEMBER_TITLES[event.event_type]}: {name}" + (f" ({relation})" if relation else "")
            detail = ""
            if event.event_type == "household_member_ended" and isinstance(event.changes, dict):
                ended = (event.changes.get("ended_on") or {}).get("new")
                detail = f"Uit het huishouden op {date.fromisoformat(ended):%d-%m-%Y}." if ended else ""
            entries.append(TimelineEntry(event.occurred_at, "household", title, detail, who))
        else:
            fields = ", ".join(sorted(event.changes)) if isinstance(event.changes, dict) else ""
            detail = f"Gewijzigd: {dutch_field_names(fields)}" if fields else ""
            entries.append(TimelineEntry(event.occurred_at, "change", _CHANGE_TITLES[event.event_type], detail, who))
    return entries


def _oproepen(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        IntakeCall.objects.filter(client_file=client_file)
        .select_related("created_by", "outcome_recorded_by")
        .order_by("-created_at", "-id")
    )
    entries: list[TimelineEntry] = []
    for call in _cut(rows, limit):
        planned = timezone.localtime(call.planned_at)
        entries.append(
            TimelineEntry(
                call.created_at,
                "oproep",
                f"Oproep {call.sequence} gepland",
                f"Op {planned:%d-%m-%Y %H:%M} in {call.location}.",
                _who(call.created_by),
            )
        )
        if call.outcome_recorded_at is not None:
            step = f" Volgende stap: {call.get_next_step_display()}." if call.next_step else ""
            entries.append(
                TimelineEntry(
                    call.outcome_recorded_at,
                    "oproep",
                    f"Oproep {call.sequence}: {call.get_outcome_display().lower()}",
                    f"{call.outcome_note}{step}".strip(),
                    _who(call.outcome_recorded_by),
                )
            )
    return entries


# --- intakes ------------------------------------------------------------------------------------------------------


def _intakes(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        Intake.objects.filter(client_file=client_file)
        .select_related("person", "started_by", "completed_by")
        .order_by("-started_at", "-id")
    )
    entries: list[TimelineEntry] = []
    for intake in _cut(rows, limit):
        name = intake.person.full_name
        entries.append(
            TimelineEntry(intake.started_at, "intake", f"Brede intake gestart: {name}", "", _who(intake.started_by))
        )
        if intake.completed_at is not None:
            detail = f"Zonder de persoon: {intake.absence_reason}" if intake.in_absence else ""
            entries.append(
                TimelineEntry(
                    intake.completed_at, "intake", f"Brede intake afgerond: {name}", detail, _who(intake.completed_by)
                )
            )
    return entries


def _leefgebieden(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    """Each step of the brede intake: a leefgebied saved (its last save; the content stays on the intake page)."""
    rows = (
        LeefgebiedAssessment.objects.filter(intake__client_file=client_file)
        .select_related("intake__person", "updated_by")
        .order_by("-updated_at", "-id")
    )
    return [
        TimelineEntry(
            a.updated_at,
            "intake",
            f"Leefgebied {a.get_leefgebied_display().lower()} vastgelegd",
            f"Brede intake van {a.intake.person.full_name}.",
            _who(a.updated_by),
        )
        for a in _cut(rows, limit)
    ]


def _toetsen(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        LearnabilityTest.objects.filter(client_file=client_file)
        .select_related("created_by", "result_recorded_by")
        .order_by("-created_at", "-id")
    )
    entries: list[TimelineEntry] = []
    for test in _cut(rows, limit):
        planned = f"Op {timezone.localtime(test.planned_at):%d-%m-%Y %H:%M}." if test.planned_at else ""
        entries.append(
            TimelineEntry(test.created_at, "toets", "Leerbaarheidstoets gepland", planned, _who(test.created_by))
        )
        if test.result_recorded_at is not None:
            score = f" Score {test.score} van 40." if test.score is not None else ""
            entries.append(
                TimelineEntry(
                    test.result_recorded_at,
                    "toets",
                    "Uitslag leerbaarheidstoets",
                    f"{test.get_outcome_display()}.{score}",
                    _who(test.result_recorded_by),
                )
            )
    return entries


def _routes(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = RouteAdvice.objects.filter(client_file=client_file).select_related("created_by").order_by("-created_at")
    return [
        TimelineEntry(
            r.created_at,
            "route",
            f"Leerroute gekozen: {r.get_chosen_route_display()}",
            f"Advies: {r.get_advised_route_display()}.",
            _who(r.created_by),
        )
        for r in _cut(rows, limit)
    ]


# --- plans --------------------------------------------------------------------------------------------------------


def _pip_events(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
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
            _who(e.actor),
        )
        for e in _cut(rows, limit)
    ]


def _pip_bezwaren(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
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
            _who(b.registered_by),
        )
        for b in _cut(rows, limit)
    ]


def _talks(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
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
    for talk in _cut(rows, limit):
        assert talk.held_on is not None  # filtered above
        who = _name(talk.recorded_first, None, talk.recorded_last) or talk.recorded_username or UNKNOWN_ACTOR
        entries.append(
            TimelineEntry(
                talk.recorded_at or _day(talk.held_on),
                "voortgang",
                f"Voortgangsgesprek gehouden op {talk.held_on:%d-%m-%Y}",
                talk.summary,
                who,
            )
        )
    return entries


# --- letters and signals ------------------------------------------------------------------------------------------


def _letters(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
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
            _who(letter.created_by),
        )
        for letter in _cut(rows, limit)
    ]


def _signals(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = FileSignal.objects.filter(client_file=client_file).select_related("resolved_by").order_by("-created_at")
    entries: list[TimelineEntry] = []
    for signal in _cut(rows, limit):
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
                    _who(signal.resolved_by),
                )
            )
    return entries


# --- providers: plaatsingen, voortgang and exams ------------------------------------------------------------------


def _plaatsingen(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        EnrolmentEvent.objects.filter(enrolment__client_file=client_file)
        .select_related("enrolment__provider", "actor")
        .order_by("-occurred_at", "-id")
    )
    return [
        TimelineEntry(
            e.occurred_at,
            "plaatsing",
            f"Plaatsing {e.enrolment.get_component_display().lower()}: {e.get_to_status_display().lower()}",
            f"Bij {e.enrolment.provider.name}." + (f" {e.reason}" if e.reason else ""),
            _who(e.actor),
        )
        for e in _cut(rows, limit)
    ]


def _milestones(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        ModuleMilestone.objects.filter(enrolment__client_file=client_file)
        .select_related("enrolment__provider", "recorded_by")
        .order_by("-recorded_at", "-id")
    )
    return [
        TimelineEntry(
            m.recorded_at,
            "voortgang",
            f"{m.get_kind_display()} van {m.enrolment.provider.name}",
            m.note,
            _who(m.recorded_by),
        )
        for m in _cut(rows, limit)
    ]


def _exams(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        ExamResult.objects.filter(enrolment__client_file=client_file)
        .select_related("enrolment__provider", "recorded_by")
        .order_by("-recorded_at", "-id")
    )
    return [
        TimelineEntry(
            x.recorded_at,
            "exam",
            f"Examen {x.get_part_display()}{f' {x.level}' if x.level else ''}: "
            f"{'gehaald' if x.passed else 'niet gehaald'}",
            f"Examen op {x.exam_on:%d-%m-%Y}, gemeld door {x.enrolment.provider.name}.",
            _who(x.recorded_by),
        )
        for x in _cut(rows, limit)
    ]


# --- handhaving, progress and followup ----------------------------------------------------------------------------


def _exam_confirmations(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        ExamConfirmation.objects.filter(client_file=client_file)
        .select_related("exam_result", "confirmed_by")
        .order_by("-confirmed_at", "-id")
    )
    return [
        TimelineEntry(
            c.confirmed_at,
            "exam",
            f"Examen {c.exam_result.get_part_display()} bevestigd door de gemeente",
            f"Gezien: {c.evidence}.",
            _who(c.confirmed_by),
        )
        for c in _cut(rows, limit)
    ]


def _achievements(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = Achievement.objects.filter(client_file=client_file).select_related("recorded_by").order_by("-recorded_at")
    return [
        TimelineEntry(
            a.recorded_at,
            "exam",
            a.get_kind_display(),
            f"Op {a.achieved_on:%d-%m-%Y}." + (f" {a.note}" if a.note else ""),
            _who(a.recorded_by),
        )
        for a in _cut(rows, limit)
    ]


def _fine_proposals(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = FineProposal.objects.filter(client_file=client_file).select_related("proposed_by").order_by("-proposed_at")
    return [
        TimelineEntry(
            p.proposed_at,
            "boete",
            f"Boetevoorstel: {p.get_ground_display().lower()}",
            _money(p.amount),
            _who(p.proposed_by),
        )
        for p in _cut(rows, limit)
    ]


def _money(amount: Decimal) -> str:
    return f"€ {amount:.2f}".replace(".", ",")


def _fine_decisions(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        FineDecision.objects.filter(proposal__client_file=client_file)
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
    )
    entries: list[TimelineEntry] = []
    for decision in _cut(rows, limit):
        imposed = decision.outcome == DecisionOutcome.OPGELEGD
        detail = " ".join(part for part in (_money(decision.amount) + "." if imposed else "", decision.reason) if part)
        entries.append(
            TimelineEntry(
                decision.decided_at,
                "boete",
                f"Boetebesluit: {decision.get_outcome_display().lower()}",
                detail,
                _who(decision.decided_by),
            )
        )
    return entries


def _fine_bezwaren(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        FineBezwaar.objects.filter(decision__proposal__client_file=client_file)
        .select_related("registered_by")
        .order_by("-registered_at", "-id")
    )
    return [
        TimelineEntry(
            b.registered_at,
            "bezwaar",
            "Bezwaar tegen een boetebesluit",
            f"Ontvangen op {b.received_on:%d-%m-%Y}.",
            _who(b.registered_by),
        )
        for b in _cut(rows, limit)
    ]


def _afschalen(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        AfschalenJudgement.objects.filter(client_file=client_file)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
    )
    return [
        TimelineEntry(
            j.recorded_at,
            "voortgang",
            "Afschalen beoordeeld: " + ("mag" if j.allowed else "mag niet"),
            j.reasoning,
            _who(j.recorded_by),
        )
        for j in _cut(rows, limit)
    ]


def _vervolg(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = FollowUpRecord.objects.filter(client_file=client_file).select_related("recorded_by").order_by("-recorded_at")
    return [
        TimelineEntry(
            f.recorded_at,
            "vervolg",
            f"Vervolg: {f.get_situation_display().lower()}",
            f"Contact op {f.contact_on:%d-%m-%Y}." + (f" {f.organisation}." if f.organisation else ""),
            _who(f.recorded_by),
        )
        for f in _cut(rows, limit)
    ]


SOURCES: tuple[Source, ...] = (
    Source("status", "Statuswijzigingen", _status_changes),
    Source("note", "Notities", _notes),
    Source("change", "Gewijzigde gegevens en het huishouden", _changes),
    Source("oproep", "Oproepen en hun uitkomst", _oproepen),
    Source("intake", "Brede intake", _intakes),
    Source("intake_step", "Stappen van de brede intake (leefgebieden)", _leefgebieden),
    Source("toets", "Leerbaarheidstoets", _toetsen),
    Source("route", "Gekozen leerroute", _routes),
    Source("pip", "PIP-versies: concept, goedkeuring, reactie", _pip_events),
    Source("bezwaar", "Bezwaar tegen een PIP", _pip_bezwaren),
    Source("voortgang", "Voortgangsgesprekken", _talks),
    Source("letter", "Brieven", _letters),
    Source("signal", "Signalen van DUO en COA", _signals, capability=Capability.VIEW_SIGNALS),
    Source("plaatsing", "Plaatsingen bij aanbieders", _plaatsingen),
    Source("milestone", "Voortgang van de aanbieder", _milestones),
    Source("exam", "Examens", _exams),
    Source("exam_confirmation", "Examens bevestigd door de gemeente", _exam_confirmations),
    Source("achievement", "Behaalde onderdelen", _achievements),
    Source("fine_proposal", "Boetevoorstellen", _fine_proposals),
    Source("fine_decision", "Boetebesluiten", _fine_decisions),
    Source("fine_bezwaar", "Bezwaar tegen een boete", _fine_bezwaren),
    Source("afschalen", "Afschalen", _afschalen),
    Source("vervolg", "Vervolg na de inburgering", _vervolg),
)
SOURCE_COUNT = len(SOURCES)
"""One query per source: the timeline of a file costs at most this many queries, however long its history."""


def timeline_for(*, actor: Actor, client_file: ClientFile, limit: int | None = None) -> list[TimelineEntry]:
    """Everything that happened in the file that the actor may see, newest first (at most ``limit`` entries).
    The caller has opened the file through ``access_client_file`` and audits the read."""
    entries: list[TimelineEntry] = []
    for source in SOURCES:
        if source.capability is None or actor.can(source.capability):
            entries.extend(source.read(client_file, limit))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries if limit is None else entries[:limit]
