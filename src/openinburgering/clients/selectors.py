"""Scoped reads. Every query filters on the actor's gemeente; lists use a constant number of queries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, F, FloatField, Func, OrderBy, Q, QuerySet, Value, When
from django.db.models.functions import Greatest, Upper

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Membership, Team, User
from openinburgering.accounts.roles import Capability, RoleCode
from openinburgering.audit.catalogue import EVENT_TYPES
from openinburgering.audit.models import AuditEvent
from openinburgering.core.bsn import normalise_bsn
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.progress import selectors as progress_selectors

from .choices import CLOSED_STATUSES, Doelgroep
from .deadlines import KIND_GROUPS
from .models import ClientFile, Country, Nationality, Note, StatusChange

SEARCH_LIMIT = 50
_DATE_NL = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _parse_date(text: str) -> date | None:
    for pattern, order in ((_DATE_NL, (3, 2, 1)), (_DATE_ISO, (1, 2, 3))):
        match = pattern.match(text)
        if match:
            year, month, day = (int(match.group(i)) for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                raise ApplicationError(f"'{text}' is geen bestaande datum.") from None
    return None


def _file_list_queryset(actor: Actor) -> QuerySet[ClientFile]:
    return ClientFile.objects.filter(gemeente_id=actor.gemeente_id).select_related("person", "assigned_to", "team")


def search_client_files(*, actor: Actor, query: str) -> list[ClientFile]:
    """Search-first access: by BSN, V-nummer, birth date (dd-mm-jjjj or jjjj-mm-dd) or (part of) the name.
    Returns at most SEARCH_LIMIT files; there is no way to list every client of a gemeente."""
    if not actor.can(Capability.SEARCH_PERSONS):
        raise NotFound()
    text = " ".join(query.split())
    if len(text) < 2:
        raise ApplicationError("Typ minstens 2 tekens, een BSN, V-nummer of geboortedatum.")
    if len(text) > 100:
        raise ApplicationError("De zoekvraag is te lang (maximaal 100 tekens).")
    queryset = _file_list_queryset(actor)
    digits = normalise_bsn(text)
    birth_on = _parse_date(text)
    if birth_on is not None:
        queryset = queryset.filter(person__birth_on=birth_on)
    elif digits.isdigit() and len(digits) == 9:
        queryset = queryset.filter(person__bsn=digits)
    elif digits.isdigit() and len(digits) == 10:
        queryset = queryset.filter(person__v_number=digits)
    elif digits.isdigit():
        raise ApplicationError("Een BSN heeft 9 cijfers, een V-nummer 10.")
    else:
        return _search_by_name(queryset, text.split(" "))
    return list(queryset.order_by("person__surname", "person__given_names", "-opened_on", "pk")[:SEARCH_LIMIT])


class _WordSimilar(Func):
    """`word <% column` of pg_trgm: the word matches a stretch of the column by trigram word similarity above
    pg_trgm.word_similarity_threshold (0.6). On UPPER(column), so the trigram indexes of clients 0003 serve it."""

    arg_joiner = " <%% "  # doubled: the SQL goes through the driver's %-placeholders
    template = "(%(expressions)s)"
    output_field = BooleanField()


class _WordSimilarity(Func):
    function = "WORD_SIMILARITY"
    output_field = FloatField()


def _search_by_name(queryset: QuerySet[ClientFile], words: list[str]) -> list[ClientFile]:
    """Every word in the surname, given names or as the prefix (a part, any case). On PostgreSQL also a word
    that is like a stretch of the surname or given names by trigram similarity (#18: "Nasr" finds "Nasser"),
    ranked after the exact matches by how alike they are; on SQLite (the demo) the exact matches only."""
    exact = Q()
    for word in words:
        exact &= (
            Q(person__surname__icontains=word)
            | Q(person__given_names__icontains=word)
            | Q(person__surname_prefix__iexact=word)
        )
    if connection.vendor != "postgresql":
        ordered = queryset.filter(exact).order_by("person__surname", "person__given_names", "-opened_on", "pk")
        return list(ordered[:SEARCH_LIMIT])
    alike = Q()
    similarity: Any = Value(0.0)
    for word in words:
        upper = Upper(Value(word))
        surname, given = Upper("person__surname"), Upper("person__given_names")
        alike &= (
            Q(person__surname__icontains=word)
            | Q(person__given_names__icontains=word)
            | Q(person__surname_prefix__iexact=word)
            | Q(_WordSimilar(upper, surname))
            | Q(_WordSimilar(upper, given))
        )
        similarity = similarity + Greatest(_WordSimilarity(upper, surname), _WordSimilarity(upper, given))
    ranked = queryset.filter(alike).annotate(
        search_rank=Case(When(exact, then=Value(float(len(words)) + 1)), default=similarity, output_field=FloatField())
    )
    # The primary key last: two files with the same name and opening date keep one order (and one cut at the limit).
    ordering = ("-search_rank", "person__surname", "person__given_names", "-opened_on", "pk")
    return list(ranked.order_by(*ordering)[:SEARCH_LIMIT])


CASELOAD_ORDERINGS: dict[str, tuple[str | OrderBy, ...]] = {
    # Files without a deadline go last in both directions, on SQLite as on PostgreSQL.
    "deadline": (F("next_deadline_on").asc(nulls_last=True), "pk"),
    "-deadline": (F("next_deadline_on").desc(nulls_last=True), "pk"),
    "name": ("person__surname", "person__given_names", "pk"),
    "-name": ("-person__surname", "-person__given_names", "pk"),
    "status": ("status", "next_deadline_on", "pk"),
    "opened": ("opened_on", "pk"),
    "-opened": ("-opened_on", "pk"),
}


WEEK_DAYS = 7  # "Deze week": due today or in the 6 days after it


@dataclass(frozen=True)
class CaseloadFilters:
    status: str = ""
    doelgroep: str = ""
    due: str = ""  # "", "overdue", "week", "soon"
    assigned_to: int | None = None
    ordering: str = "deadline"
    kind: str = ""  # a key of deadlines.KIND_GROUPS ("Soort stap")
    overdue: bool = False  # API: only files whose next step is past
    due_within_days: int | None = None  # API: due from today up to and including today + n - 1 days
    low_attendance: bool = False  # "Signaal: lage aanwezigheid": rate of the last 4 weeks under the threshold


def _deadline_filters(
    queryset: QuerySet[ClientFile], filters: CaseloadFilters, as_of: date, soon_days: int
) -> QuerySet[ClientFile]:
    """Te laat / Deze week / Binnenkort / Soort stap, all on the stored next step (indexed columns)."""
    if filters.due == "overdue" or filters.overdue:
        queryset = queryset.filter(next_deadline_on__lt=as_of)
    if filters.due == "week":
        queryset = queryset.filter(next_deadline_on__gte=as_of, next_deadline_on__lt=as_of + timedelta(days=WEEK_DAYS))
    elif filters.due == "soon":
        queryset = queryset.filter(next_deadline_on__lte=as_of + timedelta(days=soon_days))
    if filters.due_within_days is not None:
        queryset = queryset.filter(
            next_deadline_on__gte=as_of, next_deadline_on__lt=as_of + timedelta(days=filters.due_within_days)
        )
    if filters.kind:
        queryset = queryset.filter(next_deadline_kind__in=KIND_GROUPS.get(filters.kind, (filters.kind,)))
    return queryset


def caseload_for(
    *,
    actor: Actor,
    scope: str,
    filters: CaseloadFilters,
    as_of: date,
    soon_days: int,
    attendance_threshold: int | None = None,
) -> QuerySet[ClientFile]:
    """'mine' = files assigned to the actor; 'team' = every open file of the gemeente (teamleider), which can
    be narrowed to one caseworker. Closed files are not in worklists. ``filters.low_attendance`` keeps the files
    whose attendance rate (progress.selectors) is under ``attendance_threshold``: pass the gemeente's threshold
    the page already read, or it is read here (1 query)."""
    if scope == "team":
        if not actor.can(Capability.VIEW_TEAM_CASELOAD):
            raise NotFound()
        queryset = _file_list_queryset(actor)
        if filters.assigned_to == 0:
            queryset = queryset.filter(assigned_to__isnull=True)
        elif filters.assigned_to:
            queryset = queryset.filter(assigned_to_id=filters.assigned_to)
    else:
        if not actor.can(Capability.VIEW_OWN_CASELOAD):
            raise NotFound()
        queryset = _file_list_queryset(actor).filter(assigned_to=actor.user)
    queryset = queryset.exclude(status__in=CLOSED_STATUSES)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.doelgroep:
        queryset = queryset.filter(doelgroep=filters.doelgroep)
    queryset = _deadline_filters(queryset, filters, as_of, soon_days)
    if filters.low_attendance:
        threshold = attendance_threshold
        if threshold is None:
            threshold = progress_selectors.threshold_percent(actor.gemeente_id)
        queryset = queryset.filter(progress_selectors.is_low_attendance(as_of, threshold))
    ordering = CASELOAD_ORDERINGS.get(filters.ordering, CASELOAD_ORDERINGS["deadline"])
    return queryset.order_by(*ordering)


def vroege_start_for(*, actor: Actor) -> QuerySet[ClientFile]:
    """Vroege start (B 5.3 lid 1): open files of asielstatushouders with a COA koppeling who are not housed yet
    (one query per page). The teamleider sees every such file of the gemeente; a klantregisseur sees the files
    assigned to them and those nobody has yet. How far oproepen, intake and PIP are comes from
    ``casefile.summary.summaries_for`` for the rows of the page, as on the file page."""
    if actor.can(Capability.VIEW_TEAM_CASELOAD):
        queryset = _file_list_queryset(actor)
    elif actor.can(Capability.VIEW_OWN_CASELOAD):
        queryset = _file_list_queryset(actor).filter(Q(assigned_to=actor.user) | Q(assigned_to__isnull=True))
    else:
        raise NotFound()
    return (
        queryset.filter(doelgroep=Doelgroep.ASIELSTATUSHOUDER, coa_koppeling_on__isnull=False, housed_on__isnull=True)
        .exclude(status__in=CLOSED_STATUSES)
        .order_by(F("next_deadline_on").asc(nulls_last=True), "coa_koppeling_on", "pk")
    )


def status_history(client_file: ClientFile) -> QuerySet[StatusChange]:
    return client_file.status_changes.select_related("changed_by").order_by("-changed_at", "-id")


def notes_of(client_file: ClientFile) -> QuerySet[Note]:
    return client_file.notes.select_related("author", "corrects").order_by("-created_at", "-id")


# Every read of personal data in the catalogue (events without a client file never match the file filter);
# looking at the file's own audit trail is not a read of the file.
READ_EVENT_TYPES = tuple(
    event.code for event in EVENT_TYPES if event.kind == "read" and event.code != "file_audit_viewed"
)


def file_readers(*, actor: Actor, client_file: ClientFile, reads_only: bool = False) -> QuerySet[AuditEvent]:
    """Who looked at this file ("wie heeft dit dossier ingezien"), for the teamleider and functioneel beheerder.
    With `reads_only` only the reads (READ_EVENT_TYPES), not the changes."""
    if not actor.can(Capability.VIEW_FILE_AUDIT):
        raise NotFound()
    queryset = AuditEvent.objects.filter(client_file=client_file, gemeente_id=actor.gemeente_id)
    if reads_only:
        queryset = queryset.filter(event_type__in=READ_EVENT_TYPES)
    return queryset.select_related("actor").order_by("-occurred_at", "-id")


def caseworkers_for(actor: Actor) -> QuerySet[User]:
    """The klantregisseurs and teamleiders of the actor's gemeente (for assignment choices), one query."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__gemeente_id=actor.gemeente_id,
            memberships__is_active=True,
            memberships__role__code__in=(RoleCode.KLANTREGISSEUR, RoleCode.TEAMLEIDER),
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


@dataclass(frozen=True)
class Choice:
    """A caseworker or team as a select shows it."""

    pk: int
    display_name: str


def default_team_of(actor: Actor, user: User | None) -> Team | None:
    """The team a caseworker works in for the actor's gemeente (the default when a file is assigned to them)."""
    if user is None:
        return None
    membership = (
        Membership.objects.filter(user=user, gemeente_id=actor.gemeente_id, is_active=True, team__isnull=False)
        .select_related("team")
        .order_by("pk")
        .first()
    )
    return membership.team if membership else None


def teams_for(actor: Actor) -> QuerySet[Team]:
    return Team.objects.filter(gemeente_id=actor.gemeente_id).order_by("name")


def nationality_choices() -> list[tuple[str, str]]:
    """BRP table 32 as (code, description) pairs for a select."""
    return list(Nationality.objects.order_by("description").values_list("code", "description"))


def country_choices() -> list[tuple[str, str]]:
    """BRP table 34 as (code, description) pairs for a select."""
    return list(Country.objects.order_by("description").values_list("code", "description"))
