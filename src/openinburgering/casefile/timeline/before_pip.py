"""Sources before the PIP: status, notes, changed data and the household, oproepen, intake, toets, route.

Each source is one or more branches of the timeline's union (:func:`.entries.shape`): the rows' columns, and how
one row becomes an entry."""

from __future__ import annotations

import json
from datetime import date

from django.db.models import BigIntegerField, Case, JSONField, OuterRef, QuerySet, Subquery, When
from django.db.models.functions import Cast, JSONObject
from django.utils import timezone

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile, Note, StatusChange
from openinburgering.clients.templatetags.client_pages import dutch_field_names
from openinburgering.households.models import HouseholdMember, Relation
from openinburgering.intakes.models import Intake, IntakeCall, LearnabilityTest, LeefgebiedAssessment, RouteAdvice

from .entries import Branch, Row, TimelineEntry, full_name, is_true, label, shape, who_of

# --- clients and households -------------------------------------------------------------------------------------

STATUS_CHANGES = (
    Branch(
        lambda f, src: shape(
            StatusChange.objects.filter(client_file=f), src, at="changed_at", texts=("to_status", "reason"),
            by="changed_by",
        ),
        lambda r: TimelineEntry(
            r.at, "status", f"Status: {label(StatusChange, 'to_status', r.t1)}", r.t2 or "", who_of(r, system=True)
        ),
    ),
)  # fmt: skip

NOTES = (
    Branch(
        lambda f, src: shape(
            Note.objects.filter(client_file=f), src, at="created_at", texts=("corrects_id", "body"), by="author"
        ),
        lambda r: TimelineEntry(
            r.at, "note", "Correctie op notitie" if r.t1 is not None else "Notitie", r.t2 or "", who_of(r)
        ),
    ),
)

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


def _change(r: Row) -> TimelineEntry:
    """Changes of person and file data (the audit event names the fields), and household members joining or
    leaving, with the member's name (HouseholdMember has no actor: the audit event of its service gives it)."""
    by = who_of(r, system=True)
    event_type = r.t1 or ""
    changes = json.loads(r.t2) if r.t2 else None
    if event_type in _MEMBER_TITLES:
        member = (json.loads(r.t3) if r.t3 else None) or {}
        name = full_name(member.get("given"), member.get("prefix"), member.get("surname")) or "onbekend"
        relation = str(dict(Relation.choices).get(member.get("relation") or "", "")).lower()
        title = f"{_MEMBER_TITLES[event_type]}: {name}" + (f" ({relation})" if relation else "")
        detail = ""
        if event_type == "household_member_ended" and isinstance(changes, dict):
            ended = (changes.get("ended_on") or {}).get("new")
            detail = f"Uit het huishouden op {date.fromisoformat(ended):%d-%m-%Y}." if ended else ""
        return TimelineEntry(r.at, "household", title, detail, by)
    fields = ", ".join(sorted(changes)) if isinstance(changes, dict) else ""
    detail = f"Gewijzigd: {dutch_field_names(fields)}" if fields else ""
    return TimelineEntry(r.at, "change", _CHANGE_TITLES[event_type], detail, by)


CHANGES = (
    Branch(
        lambda f, src: shape(
            change_events(f), src, at="occurred_at", texts=("event_type", "changes", "member"), by="actor"
        ),
        _change,
    ),
)


def _outcome(r: Row) -> TimelineEntry:
    step = f" Volgende stap: {label(IntakeCall, 'next_step', r.t4)}." if r.t4 else ""
    return TimelineEntry(
        r.at,
        "oproep",
        f"Oproep {r.t1}: {label(IntakeCall, 'outcome', r.t2).lower()}",
        f"{r.t3 or ''}{step}".strip(),
        who_of(r),
    )


OPROEPEN = (
    Branch(
        lambda f, src: shape(
            IntakeCall.objects.filter(client_file=f), src, at="created_at", moment="planned_at",
            texts=("sequence", "location"), by="created_by",
        ),
        lambda r: TimelineEntry(
            r.at, "oproep", f"Oproep {r.t1} gepland",
            f"Op {timezone.localtime(r.moment):%d-%m-%Y %H:%M} in {r.t2}.", who_of(r),
        ),
    ),
    Branch(
        lambda f, src: shape(
            IntakeCall.objects.filter(client_file=f, outcome_recorded_at__isnull=False), src,
            at="outcome_recorded_at", texts=("sequence", "outcome", "outcome_note", "next_step"),
            by="outcome_recorded_by",
        ),
        _outcome,
    ),
)  # fmt: skip


# --- intakes ------------------------------------------------------------------------------------------------------

_PERSON = ("person__given_names", "person__surname_prefix", "person__surname")


def _completed(r: Row) -> TimelineEntry:
    detail = f"Zonder de persoon: {r.t5 or ''}" if is_true(r.t4) else ""
    return TimelineEntry(r.at, "intake", f"Brede intake afgerond: {full_name(r.t1, r.t2, r.t3)}", detail, who_of(r))


INTAKES = (
    Branch(
        lambda f, src: shape(
            Intake.objects.filter(client_file=f), src, at="started_at", texts=_PERSON, by="started_by"
        ),
        lambda r: TimelineEntry(
            r.at, "intake", f"Brede intake gestart: {full_name(r.t1, r.t2, r.t3)}", "", who_of(r)
        ),
    ),
    Branch(
        lambda f, src: shape(
            Intake.objects.filter(client_file=f, completed_at__isnull=False), src, at="completed_at",
            texts=(*_PERSON, "in_absence", "absence_reason"), by="completed_by",
        ),
        _completed,
    ),
)  # fmt: skip

LEEFGEBIEDEN = (
    # Each step of the brede intake: a leefgebied saved (its last save; the content stays on the intake page).
    Branch(
        lambda f, src: shape(
            LeefgebiedAssessment.objects.filter(intake__client_file=f), src, at="updated_at",
            texts=("leefgebied", *(f"intake__{field}" for field in _PERSON)), by="updated_by",
        ),
        lambda r: TimelineEntry(
            r.at, "intake", f"Leefgebied {label(LeefgebiedAssessment, 'leefgebied', r.t1).lower()} vastgelegd",
            f"Brede intake van {full_name(r.t2, r.t3, r.t4)}.", who_of(r),
        ),
    ),
)  # fmt: skip


def _toets_result(r: Row) -> TimelineEntry:
    score = f" Score {r.t1} van 40." if r.t1 is not None else ""
    return TimelineEntry(
        r.at, "toets", "Uitslag leerbaarheidstoets", f"{label(LearnabilityTest, 'outcome', r.t2)}.{score}", who_of(r)
    )


TOETSEN = (
    Branch(
        lambda f, src: shape(
            LearnabilityTest.objects.filter(client_file=f), src, at="created_at", moment="planned_at",
            by="created_by",
        ),
        lambda r: TimelineEntry(
            r.at, "toets", "Leerbaarheidstoets gepland",
            f"Op {timezone.localtime(r.moment):%d-%m-%Y %H:%M}." if r.moment else "", who_of(r),
        ),
    ),
    Branch(
        lambda f, src: shape(
            LearnabilityTest.objects.filter(client_file=f, result_recorded_at__isnull=False), src,
            at="result_recorded_at", texts=("score", "outcome"), by="result_recorded_by",
        ),
        _toets_result,
    ),
)  # fmt: skip

ROUTES = (
    Branch(
        lambda f, src: shape(
            RouteAdvice.objects.filter(client_file=f), src, at="created_at", texts=("chosen_route", "advised_route"),
            by="created_by",
        ),
        lambda r: TimelineEntry(
            r.at, "route", f"Leerroute gekozen: {label(RouteAdvice, 'chosen_route', r.t1)}",
            f"Advies: {label(RouteAdvice, 'advised_route', r.t2)}.", who_of(r),
        ),
    ),
)  # fmt: skip
