"""Scoped reads of the portal: always the client's own file, or a staff actor's file reached through access."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import DateField, DateTimeField, IntegerField, QuerySet
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Gemeente
from openinburgering.clients.choices import CLOSED_STATUSES
from openinburgering.clients.models import ClientFile
from openinburgering.core import sql
from openinburgering.handhaving.models import Achievement, AchievementKind
from openinburgering.households.models import Relation
from openinburgering.households.selectors import household_members_of
from openinburgering.intakes.models import IntakeCall
from openinburgering.letters.models import Letter
from openinburgering.plans.choices import PipStatus
from openinburgering.plans.models import PipVersion, ProgressTalk
from openinburgering.progress.selectors import enrolments_with_hours
from openinburgering.providers.choices import EnrolmentStatus, MilestoneKind
from openinburgering.providers.models import ExamResult, ModuleMilestone

from .models import (
    AppointmentKind,
    ClientTask,
    Direction,
    PortalMessage,
    PortalSettings,
    PortalUpload,
    RescheduleRequest,
    RescheduleStatus,
    TaskStatus,
)


def file_for_bsn(bsn: str) -> ClientFile | None:
    """The client's file: the open one if any, else the most recent (one person has at most one open file). A BSN has
    a file in each gemeente the person lived in, a handful at most: they are read and chosen here, which costs less
    CPU than ordering them in SQL by a CASE expression compiled on every portal request (#18)."""
    files = list(ClientFile.objects.select_related("person", "gemeente").filter(person__bsn=bsn))
    if not files:
        return None
    return min(files, key=lambda row: (row.status in CLOSED_STATUSES, -row.opened_on.toordinal(), -row.pk))


# Every portal page reads the gemeente's portal settings, which change a few times a year: they are cached per
# gemeente (#18), as the attendance threshold is (progress.selectors). services.save_settings deletes the entry at once
# and again when its transaction commits; with a cache per process (no REDIS_URL) another process may use the old
# settings for at most SETTINGS_CACHE_SECONDS after a change.
SETTINGS_CACHE_SECONDS = 60


def settings_cache_key(gemeente_id: int) -> str:
    return f"mijn:portal_settings:{gemeente_id}"


def settings_for(gemeente: Gemeente) -> PortalSettings:
    """The gemeente's portal settings (unsaved defaults when none are stored: every part on, no staff names); from the
    cache, else one query."""
    key = settings_cache_key(gemeente.pk)
    values = cache.get(key)
    if not isinstance(values, dict):
        stored = PortalSettings.objects.filter(gemeente=gemeente).first() or PortalSettings(gemeente=gemeente)
        values = {field.attname: getattr(stored, field.attname) for field in PortalSettings._meta.concrete_fields}
        cache.set(key, values, SETTINGS_CACHE_SECONDS)
    current = PortalSettings(**values)
    current._state.adding = current.pk is None  # a stored row stays an update when saved
    current.gemeente = gemeente
    return current


def current_pip(client_file: ClientFile) -> PipVersion | None:
    """The vastgestelde PIP in force (the newest vastgestelde version)."""
    return PipVersion.objects.filter(client_file=client_file, status=PipStatus.VASTGESTELD).order_by("-number").first()


@dataclass(frozen=True)
class Appointment:
    kind: str  # AppointmentKind
    id: int
    title: str
    starts_at: datetime | None
    day: date
    location: str
    interpreter_language: str
    is_past: bool
    reschedule_open: bool


def appointments_of(client_file: ClientFile, *, as_of: date) -> list[Appointment]:
    """Oproepen (intake) and voortgangsgesprekken of the file, oldest first (three queries)."""
    open_requests = set(
        RescheduleRequest.objects.filter(client_file=client_file, status=RescheduleStatus.OPEN).values_list(
            "kind", "appointment_id"
        )
    )
    rows: list[Appointment] = []
    for call in IntakeCall.objects.filter(client_file=client_file).order_by("planned_at", "id"):
        day = timezone.localdate(call.planned_at)  # the Amsterdam day the client means, not UTC's
        rows.append(
            Appointment(
                kind=AppointmentKind.OPROEP, id=call.pk, title="oproep", starts_at=call.planned_at, day=day,
                location=call.location, interpreter_language=call.interpreter_language, is_past=day < as_of,
                reschedule_open=(AppointmentKind.OPROEP, call.pk) in open_requests,
            )
        )  # fmt: skip
    for talk in ProgressTalk.objects.filter(client_file=client_file).order_by("planned_on", "id"):
        rows.append(
            Appointment(
                kind=AppointmentKind.VOORTGANG, id=talk.pk, title="voortgang", starts_at=None, day=talk.planned_on,
                location="", interpreter_language="", is_past=talk.planned_on < as_of or talk.held_on is not None,
                reschedule_open=(AppointmentKind.VOORTGANG, talk.pk) in open_requests,
            )
        )  # fmt: skip
    return sorted(rows, key=lambda row: (row.day, row.kind, row.id))


def find_appointment(client_file: ClientFile, kind: str, appointment_id: int, *, as_of: date) -> Appointment | None:
    return next(
        (row for row in appointments_of(client_file, as_of=as_of) if row.kind == kind and row.id == appointment_id),
        None,
    )


def tasks_of(client_file: ClientFile) -> QuerySet[ClientTask]:
    return ClientTask.objects.filter(client_file=client_file).order_by("status", "due_on", "id")


def letters_of(client_file: ClientFile) -> QuerySet[Letter]:
    return Letter.objects.filter(client_file=client_file).defer("content").order_by("-created_at", "-id")


def uploads_of(client_file: ClientFile) -> QuerySet[PortalUpload]:
    return PortalUpload.objects.filter(client_file=client_file).order_by("-uploaded_at", "-id")


def messages_of(client_file: ClientFile) -> QuerySet[PortalMessage]:
    return PortalMessage.objects.filter(client_file=client_file).select_related("sender").order_by("sent_at", "id")


@dataclass(frozen=True)
class NextAppointment:
    kind: str  # AppointmentKind
    day: date


@dataclass(frozen=True)
class StartFacts:
    open_tasks: int
    unread: int
    next_appointment: NextAppointment | None


def start_facts(client_file: ClientFile, *, as_of: date) -> StartFacts:
    """The start page's figures in one query (#18): the client's open tasks, the messages to the client they have
    not read, and their next appointment: the first of ``appointments_of`` that is not past (same day and kind; an
    oproep is past before its day, a voortgangsgesprek once held or before its day). Written as SQL (core.sql) like
    the worklists' facts; tests/mijn/test_start_facts.py compares it with ``appointments_of``."""
    names = {
        "tasks": sql.table(ClientTask), "task_file": sql.column(ClientTask, "client_file"),
        "task_status": sql.column(ClientTask, "status"), "messages": sql.table(PortalMessage),
        "message_file": sql.column(PortalMessage, "client_file"), "direction": sql.column(PortalMessage, "direction"),
        "read_at": sql.column(PortalMessage, "read_at"), "outer": sql.outer(ClientFile),
        "calls": sql.table(IntakeCall), "call_file": sql.column(IntakeCall, "client_file"),
        "planned_at": sql.column(IntakeCall, "planned_at"), "talks": sql.table(ProgressTalk),
        "talk_file": sql.column(ProgressTalk, "client_file"), "planned_on": sql.column(ProgressTalk, "planned_on"),
        "held_on": sql.column(ProgressTalk, "held_on"),
    }  # fmt: skip
    # appointments_of takes an oproep's day in Amsterdam: not past from midnight in Amsterdam of ``as_of``.
    day_starts_at = timezone.make_aware(datetime.combine(as_of, time.min))
    annotated: Any = ClientFile.objects.filter(pk=client_file.pk).annotate(  # names unknown to the stubs
        open_tasks=sql.raw(
            "SELECT COUNT(*) FROM {tasks} oi_t WHERE oi_t.{task_file} = {outer} AND oi_t.{task_status} = %s",
            names,
            [str(TaskStatus.OPEN)],
            IntegerField(),
        ),
        unread=sql.raw(
            "SELECT COUNT(*) FROM {messages} oi_m WHERE oi_m.{message_file} = {outer} AND oi_m.{direction} = %s "
            "AND oi_m.{read_at} IS NULL",
            names,
            [str(Direction.TO_CLIENT)],
            IntegerField(),
        ),
        next_call_at=sql.raw(
            "SELECT MIN(oi_c.{planned_at}) FROM {calls} oi_c WHERE oi_c.{call_file} = {outer} "
            "AND oi_c.{planned_at} >= %s",
            names,
            [day_starts_at],
            DateTimeField(),
        ),
        next_talk_on=sql.raw(
            "SELECT MIN(oi_p.{planned_on}) FROM {talks} oi_p WHERE oi_p.{talk_file} = {outer} "
            "AND oi_p.{planned_on} >= %s AND oi_p.{held_on} IS NULL",
            names,
            [as_of],
            DateField(),
        ),
    )
    open_tasks, unread, next_call_at, next_talk_on = annotated.values_list(
        "open_tasks", "unread", "next_call_at", "next_talk_on"
    ).get()
    candidates = []
    if next_call_at is not None:
        candidates.append(NextAppointment(kind=AppointmentKind.OPROEP, day=timezone.localdate(next_call_at)))
    if next_talk_on is not None:
        candidates.append(NextAppointment(kind=AppointmentKind.VOORTGANG, day=next_talk_on))
    next_appointment = min(candidates, key=lambda row: (row.day, str(row.kind))) if candidates else None
    return StartFacts(open_tasks=int(open_tasks), unread=int(unread), next_appointment=next_appointment)


def reschedule_requests_of(client_file: ClientFile) -> QuerySet[RescheduleRequest]:
    return RescheduleRequest.objects.filter(client_file=client_file).order_by("-requested_at", "-id")


@dataclass(frozen=True)
class PortalWork:
    unread_messages: int
    open_requests: int
    unseen_uploads: int

    @property
    def total(self) -> int:
        return self.unread_messages + self.open_requests + self.unseen_uploads


def portal_work_for_file(client_file: ClientFile) -> PortalWork:
    return PortalWork(
        unread_messages=PortalMessage.objects.filter(
            client_file=client_file, direction=Direction.FROM_CLIENT, read_at__isnull=True
        ).count(),
        open_requests=RescheduleRequest.objects.filter(client_file=client_file, status=RescheduleStatus.OPEN).count(),
        unseen_uploads=PortalUpload.objects.filter(client_file=client_file, seen_at__isnull=True).count(),
    )


def portal_work_annotations() -> dict[str, Any]:
    """The portal work of the outer ClientFile as correlated subqueries (``waiting_messages``, ``waiting_requests``,
    ``waiting_uploads``), so a worklist reads it in its own query (#18). Written as SQL (core.sql) because compiling
    subqueries per request cost more CPU than running them. Read back with ``portal_work_of``."""

    def count(model: Any, condition: str, params: list[str], **names: str) -> Any:
        return sql.raw(
            "SELECT COUNT(*) FROM {table} oi_x WHERE oi_x.{file} = {outer} AND {condition}",
            {
                "table": sql.table(model), "file": sql.column(model, "client_file"), "outer": sql.outer(ClientFile),
                "condition": condition.format(**names),
            },
            params,
            IntegerField(),
        )  # fmt: skip

    return {
        "waiting_messages": count(
            PortalMessage,
            "oi_x.{direction} = %s AND oi_x.{read_at} IS NULL",
            [str(Direction.FROM_CLIENT)],
            direction=sql.column(PortalMessage, "direction"),
            read_at=sql.column(PortalMessage, "read_at"),
        ),
        "waiting_requests": count(
            RescheduleRequest,
            "oi_x.{status} = %s",
            [str(RescheduleStatus.OPEN)],
            status=sql.column(RescheduleRequest, "status"),
        ),
        "waiting_uploads": count(
            PortalUpload, "oi_x.{seen_at} IS NULL", [], seen_at=sql.column(PortalUpload, "seen_at")
        ),
    }


def portal_work_of(row: dict[str, Any]) -> PortalWork | None:
    """The portal work of a row read with ``portal_work_annotations``; None when nothing waits."""
    if not (row["waiting_messages"] or row["waiting_requests"] or row["waiting_uploads"]):
        return None
    return PortalWork(row["waiting_messages"], row["waiting_requests"], row["waiting_uploads"])


def portal_work_for_files(file_ids: Iterable[int]) -> dict[int, PortalWork]:
    """Portal work waiting per file, for one page of a worklist (one query, whatever the page size): the client's
    unread messages, open reschedule requests and unseen uploads. Files without work are left out."""
    ids = list(file_ids)
    if not ids:
        return {}
    annotated: Any = ClientFile.objects.filter(pk__in=ids).annotate(
        **portal_work_annotations()
    )  # names unknown to the stubs
    rows = annotated.values_list("pk", "waiting_messages", "waiting_requests", "waiting_uploads")
    return {
        pk: PortalWork(unread_messages=unread, open_requests=requests, unseen_uploads=uploads)
        for pk, unread, requests, uploads in rows
        if unread or requests or uploads
    }


def files_waiting(actor: Actor, file_ids: Iterable[int] | None = None) -> list[int]:
    """Ids of the actor's caseload files (assigned to them) with portal work waiting: an unread message, an open
    reschedule request or an unseen upload (three queries)."""
    scope = ClientFile.objects.filter(gemeente_id=actor.gemeente_id, assigned_to=actor.user)
    if file_ids is not None:
        scope = scope.filter(pk__in=list(file_ids))
    ids = set(
        PortalMessage.objects.filter(
            client_file__in=scope, direction=Direction.FROM_CLIENT, read_at__isnull=True
        ).values_list("client_file_id", flat=True)
    )
    ids |= set(
        RescheduleRequest.objects.filter(client_file__in=scope, status=RescheduleStatus.OPEN).values_list(
            "client_file_id", flat=True
        )
    )
    ids |= set(
        PortalUpload.objects.filter(client_file__in=scope, seen_at__isnull=True).values_list(
            "client_file_id", flat=True
        )
    )
    return sorted(ids)


# --- Progress (#15 item 5) --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lessons:
    component: str  # providers Component code
    provider: str
    starts_on: date
    ends_on: date
    planned_per_week: Decimal
    offered: Decimal
    attended: Decimal
    finished: bool


@dataclass(frozen=True)
class Exam:
    part: str  # lezen, luisteren, schrijven, spreken, knm
    level: str
    exam_on: date
    passed: bool


@dataclass(frozen=True)
class Progress:
    lessons: list[Lessons]
    exams: list[Exam]
    pvt_done_on: date | None
    map_done_on: date | None
    map_themes_done: int
    map_ready_on: date | None


MAP_THEMES = 8  # B 3.3: the eight themes of the MAP (providers.choices.MapTheme)


def progress_of(client_file: ClientFile, *, as_of: date) -> Progress:
    """What the client sees under "Mijn voortgang" (5 queries): hours per plaatsing against the plan's hours per
    week, exam results the gemeente has seen at DUO (its recorded achievements and the providers' reports it
    confirmed), and PVT/MAP progress (the gemeente's achievements and the providers' milestones)."""
    lessons: list[Lessons] = []
    for row in enrolments_with_hours(client_file, as_of):
        if row.status in (EnrolmentStatus.VOORGESTELD, EnrolmentStatus.GEWEIGERD):
            continue  # not (yet) a plaatsing the client follows
        totals: dict[str, Decimal] = {"offered": row.total_offered, "attended": row.total_attended}  # type: ignore[attr-defined]  # annotated by the selector
        lessons.append(
            Lessons(
                component=row.component, provider=row.provider.name, starts_on=row.starts_on, ends_on=row.ends_on,
                planned_per_week=row.hours_per_week, offered=totals["offered"], attended=totals["attended"],
                finished=row.status in (EnrolmentStatus.AFGEROND, EnrolmentStatus.GESTOPT),
            )
        )  # fmt: skip
    achievements = list(Achievement.objects.filter(client_file=client_file).order_by("achieved_on", "id"))
    exams = {
        Exam(part=row.exam_part, level=row.level, exam_on=row.achieved_on, passed=True)
        for row in achievements
        if row.kind == AchievementKind.EXAM
    }
    confirmed = ExamResult.objects.filter(enrolment__client_file=client_file, confirmation__isnull=False)
    exams |= {Exam(part=r.part, level=r.level, exam_on=r.exam_on, passed=r.passed) for r in confirmed}
    milestones = list(ModuleMilestone.objects.filter(enrolment__client_file=client_file).order_by("happened_on", "id"))

    def first(kind: str) -> date | None:
        return next((row.achieved_on for row in achievements if row.kind == kind), None)

    def milestone(kind: str) -> date | None:
        return next((row.happened_on for row in milestones if row.kind == kind), None)

    return Progress(
        lessons=lessons,
        exams=sorted(exams, key=lambda exam: (exam.exam_on, exam.part)),
        pvt_done_on=first(AchievementKind.PVT) or milestone(MilestoneKind.PVT_ONDERTEKEND),
        map_done_on=first(AchievementKind.MAP),
        map_themes_done=len({row.theme for row in milestones if row.kind == MilestoneKind.MAP_THEMA}),
        map_ready_on=milestone(MilestoneKind.MAP_KLAAR),
    )


# --- Children's school and childcare (#15 item 1: a parent sees their minor children's school/VVE information) ---


@dataclass(frozen=True)
class ChildSchool:
    given_names: str
    education_kind: str  # households EducationKind code
    education_name: str


def children_in_school(client_file: ClientFile, *, as_of: date) -> list[ChildSchool]:
    """The client's minor children in the household with their school, VVE or childcare (one query). Only the
    school information, the rest of a child's data stays with the gemeente."""
    try:
        eighteen_years_ago = as_of.replace(year=as_of.year - 18)
    except ValueError:  # 29 February
        eighteen_years_ago = as_of.replace(year=as_of.year - 18, day=28)
    rows = (
        household_members_of(client_file)
        .filter(relation=Relation.KIND, person__birth_on__gt=eighteen_years_ago)
        .exclude(education_kind="")
    )
    return [ChildSchool(row.person.given_names, row.education_kind, row.education_name) for row in rows]
