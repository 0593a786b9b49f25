"""Sources before the PIP: status, notes, changed data and the household, oproepen, intake, toets, route."""

from __future__ import annotations

from datetime import date

from django.db.models import BigIntegerField, Case, JSONField, OuterRef, QuerySet, Subquery, When
from django.db.models.functions import Cast, JSONObject
from django.utils import timezone

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile, Note, StatusChange
from openinburgering.clients.templatetags.client_pages import dutch_field_names
from openinburgering.households.models import HouseholdMember, Relation
from openinburgering.intakes.models import Intake, IntakeCall, LearnabilityTest, LeefgebiedAssessment, RouteAdvice

from .entries import TimelineEntry, cut, full_name, who

# --- clients and households -------------------------------------------------------------------------------------


def status_changes(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = StatusChange.objects.filter(client_file=client_file).select_related("changed_by").order_by("-changed_at")
    return [
        TimelineEntry(
            c.changed_at, "status", f"Status: {c.get_to_status_display()}", c.reason, who(c.changed_by, system=True)
        )
        for c in cut(rows, limit)
    ]


def notes(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = Note.objects.filter(client_file=client_file).select_related("author").order_by("-created_at", "-id")
    return [
        TimelineEntry(
            n.created_at, "note", "Correctie op notitie" if n.corrects_id else "Notitie", n.body, who(n.author)
        )
        for n in cut(rows, limit)
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


def change_events(client_file: ClientFile) -> QuerySet[AuditEvent]:
    """The audit events of changed data and household members, newest first, each with its member's name and
    relation (``member``: a dict, or None)."""
    # The member is looked up by its primary key: the event's subject id cast to a number (only for the member
    # events, and only when it is all digits), never the member's id cast to text. That comparison cannot use the
    # primary key index: on 235,000 household members it scanned them all for each row, 6.4 s per page (#18).
    member_id = Case(
        When(
            event_type__in=list(_MEMBER_TITLES),
            subject_id__regex=r"^[0-9]{1,18}$",
            then=Cast("subject_id", BigIntegerField()),
        ),
        default=None,
        output_field=BigIntegerField(),
    )
    member = (
        HouseholdMember.objects.filter(pk=OuterRef("member_id"))
        .order_by()
        .values(
            data=JSONObject(
                given="person__given_names",
                prefix="person__surname_prefix",
                surname="person__surname",
                relation="relation",
            )
        )
    )
    return (
        AuditEvent.objects.filter(client_file=client_file, event_type__in=[*_CHANGE_TITLES, *_MEMBER_TITLES])
        .select_related("actor")
        .annotate(member_id=member_id)
        .annotate(member=Subquery(member[:1], output_field=JSONField()))
        .order_by("-occurred_at", "-id")
    )


def changes(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    """Changes of person and file data (the audit event names the fields), and household members joining or
    leaving, with the member's name (HouseholdMember has no actor: the audit event of its service gives it)."""
    rows = change_events(client_file)
    entries: list[TimelineEntry] = []
    for event in cut(rows, limit):
        by = who(event.actor, system=True)
        if event.event_type in _MEMBER_TITLES:
            member = event.member or {}
            name = full_name(member.get("given"), member.get("prefix"), member.get("surname")) or "onbekend"
            relation = str(dict(Relation.choices).get(member.get("relation") or "", "")).lower()
            title = f"{_MEMBER_TITLES[event.event_type]}: {name}" + (f" ({relation})" if relation else "")
            detail = ""
            if event.event_type == "household_member_ended" and isinstance(event.changes, dict):
                ended = (event.changes.get("ended_on") or {}).get("new")
                detail = f"Uit het huishouden op {date.fromisoformat(ended):%d-%m-%Y}." if ended else ""
            entries.append(TimelineEntry(event.occurred_at, "household", title, detail, by))
        else:
            fields = ", ".join(sorted(event.changes)) if isinstance(event.changes, dict) else ""
            detail = f"Gewijzigd: {dutch_field_names(fields)}" if fields else ""
            entries.append(TimelineEntry(event.occurred_at, "change", _CHANGE_TITLES[event.event_type], detail, by))
    return entries


def oproepen(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        IntakeCall.objects.filter(client_file=client_file)
        .select_related("created_by", "outcome_recorded_by")
        .order_by("-created_at", "-id")
    )
    entries: list[TimelineEntry] = []
    for call in cut(rows, limit):
        planned = timezone.localtime(call.planned_at)
        entries.append(
            TimelineEntry(
                call.created_at,
                "oproep",
                f"Oproep {call.sequence} gepland",
                f"Op {planned:%d-%m-%Y %H:%M} in {call.location}.",
                who(call.created_by),
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
                    who(call.outcome_recorded_by),
                )
            )
    return entries


# --- intakes ------------------------------------------------------------------------------------------------------


def intakes(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        Intake.objects.filter(client_file=client_file)
        .select_related("person", "started_by", "completed_by")
        .order_by("-started_at", "-id")
    )
    entries: list[TimelineEntry] = []
    for intake in cut(rows, limit):
        name = intake.person.full_name
        entries.append(
            TimelineEntry(intake.started_at, "intake", f"Brede intake gestart: {name}", "", who(intake.started_by))
        )
        if intake.completed_at is not None:
            detail = f"Zonder de persoon: {intake.absence_reason}" if intake.in_absence else ""
            entries.append(
                TimelineEntry(
                    intake.completed_at, "intake", f"Brede intake afgerond: {name}", detail, who(intake.completed_by)
                )
            )
    return entries


def leefgebieden(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
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
            who(a.updated_by),
        )
        for a in cut(rows, limit)
    ]


def toetsen(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = (
        LearnabilityTest.objects.filter(client_file=client_file)
        .select_related("created_by", "result_recorded_by")
        .order_by("-created_at", "-id")
    )
    entries: list[TimelineEntry] = []
    for test in cut(rows, limit):
        planned = f"Op {timezone.localtime(test.planned_at):%d-%m-%Y %H:%M}." if test.planned_at else ""
        entries.append(
            TimelineEntry(test.created_at, "toets", "Leerbaarheidstoets gepland", planned, who(test.created_by))
        )
        if test.result_recorded_at is not None:
            score = f" Score {test.score} van 40." if test.score is not None else ""
            entries.append(
                TimelineEntry(
                    test.result_recorded_at,
                    "toets",
                    "Uitslag leerbaarheidstoets",
                    f"{test.get_outcome_display()}.{score}",
                    who(test.result_recorded_by),
                )
            )
    return entries


def routes(client_file: ClientFile, limit: int | None) -> list[TimelineEntry]:
    rows = RouteAdvice.objects.filter(client_file=client_file).select_related("created_by").order_by("-created_at")
    return [
        TimelineEntry(
            r.created_at,
            "route",
            f"Leerroute gekozen: {r.get_chosen_route_display()}",
            f"Advies: {r.get_advised_route_display()}.",
            who(r.created_by),
        )
        for r in cut(rows, limit)
    ]
