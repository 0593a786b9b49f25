"""Achievements, confirmed exam results, the voldaan check (``rules.voldaan``) and the extension for aanzienlijke
inspanningen (``rules.extension_for_effort``). Keyword-only, atomic, audited in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.clients import services as client_services
from openinburgering.clients.choices import FileStatus
from openinburgering.clients.models import ClientFile, StatusChange
from openinburgering.clients.validation import FieldErrors
from openinburgering.core import dates as core_dates
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.interop.duo_resultaten import report_resultaat
from openinburgering.plans.models import PipVersion
from openinburgering.plans.services import termijn_of
from openinburgering.providers.models import ExamResult

from ..models import (
    Achievement,
    AchievementKind,
    ExamConfirmation,
    ExamPartChoice,
    LevelChoice,
)
from ..selectors import achievements_of, passed_provider_exams
from .common import LANGUAGE_PARTS, MAX_HOURS, MISSING_LABELS, TEXT_LIMIT, UNMET_LABELS, _audit, _text, current_pip

# ---------------------------------------------------------------------------------------------------------------
# Achievements, voldaan and the extension for aanzienlijke inspanningen


def _hours(value: Any, errors: FieldErrors) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        errors.add("hours", "Vul een aantal uren in, bijvoorbeeld 12 of 12,5.")
        return None
    if not Decimal("0") < hours <= MAX_HOURS:
        errors.add("hours", "Vul een aantal uren in tussen 0 en 5000.")
        return None
    return hours.quantize(Decimal("0.1"))


@transaction.atomic
def record_achievement(
    *, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui"
) -> Achievement:
    """One achieved part (insert-only; a mistake is corrected by a new record and a note)."""
    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    errors = FieldErrors()
    kind = _text(data.get("kind"))
    exam_part = _text(data.get("exam_part"))
    level = _text(data.get("level"))
    note = _text(data.get("note"))
    achieved_on = data.get("achieved_on")
    hours = _hours(data.get("hours"), errors)
    if kind not in AchievementKind.values:
        errors.add("kind", "Kies wat de persoon heeft behaald.")
    if not isinstance(achieved_on, date):
        errors.add("achieved_on", "Vul de datum in.")
    elif achieved_on > core_dates.today():
        errors.add("achieved_on", "De datum kan niet in de toekomst liggen.")
    if kind == AchievementKind.EXAM:
        if exam_part not in ExamPartChoice.values:
            errors.add("exam_part", "Kies het examenonderdeel.")
        elif exam_part != ExamPartChoice.KNM and level not in LevelChoice.values:
            errors.add("level", "Kies het niveau waarop het onderdeel is gehaald.")
        if exam_part == ExamPartChoice.KNM:
            level = ""
    else:
        exam_part, level = "", ""
    if kind in (AchievementKind.Z_COURSE_HOURS, AchievementKind.Z_PARTICIPATION_HOURS):
        if hours is None and "hours" not in errors.errors:
            errors.add("hours", "Vul het aantal uren in.")
    else:
        hours = None
    if len(note) > TEXT_LIMIT:
        errors.add("note", "Gebruik hoogstens 10.000 tekens.")
    errors.raise_if_any()
    assert isinstance(achieved_on, date)  # checked above
    achievement = Achievement.objects.create(
        client_file=client_file, kind=kind, exam_part=exam_part, level=level, hours=hours, achieved_on=achieved_on,
        note=note, recorded_at=timezone.now(), recorded_by=actor.user,
    )  # fmt: skip
    _audit(actor, "achievement_recorded", client_file, achievement, via, kind=kind, exam_part=exam_part,
           level=level, hours=hours, achieved_on=achieved_on)  # fmt: skip
    if kind in (AchievementKind.MAP, AchievementKind.PVT):
        report_resultaat(client_file=client_file, kind=kind)  # the date to DUO (outbox, when linked)
    return achievement


EVIDENCE_MESSAGE = "Schrijf waar u de uitslag zag, bijvoorbeeld: uitslag gezien in Mijn Inburgering of DUO-bericht."
EVIDENCE_LIMIT = 500


@transaction.atomic
def confirm_exam_result(
    *, actor: Actor, client_file: ClientFile, exam_result_id: int, evidence: str, via: str = "ui"
) -> ExamConfirmation:
    """The gemeente confirms a passed exam a provider reported, noting where it saw the result (#11). The exam is
    taken at DUO: only DUO results and confirmed reports count toward voldaan. Insert-only, once per report. The
    caller locked the file (access_client_file(..., for_write=True)); needs CHANGE_CLIENT_FILES."""
    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    evidence = _text(evidence)
    result = (
        ExamResult.objects.select_for_update(of=("self",)).select_related("enrolment").filter(pk=exam_result_id).first()
    )
    if result is None or result.enrolment.client_file_id != client_file.pk:
        raise ApplicationError("Deze melding van de aanbieder hoort niet bij dit dossier.")
    if not result.passed:
        raise ApplicationError("De aanbieder meldde dit examen als niet gehaald. Er is niets te bevestigen.")
    if not evidence:
        raise ApplicationError(EVIDENCE_MESSAGE, field_errors={"evidence": [EVIDENCE_MESSAGE]})
    if len(evidence) > EVIDENCE_LIMIT:
        raise ApplicationError(
            "Gebruik hoogstens 500 tekens.", field_errors={"evidence": ["Gebruik hoogstens 500 tekens."]}
        )
    earlier = ExamConfirmation.objects.filter(exam_result=result).first()
    if earlier is not None:
        raise Conflict(f"Deze uitslag is al bevestigd op {timezone.localtime(earlier.confirmed_at):%d-%m-%Y}.")
    confirmation = ExamConfirmation.objects.create(
        client_file=client_file, exam_result=result, evidence=evidence, confirmed_at=timezone.now(),
        confirmed_by=actor.user,
    )  # fmt: skip
    _audit(actor, "exam_result_confirmed", client_file, confirmation, via, exam_result=result.pk, part=result.part,
           level=result.level, evidence=evidence)  # fmt: skip
    return confirmation


@dataclass(frozen=True)
class AchievedSoFar:
    """The rules' inputs from the achievement records (earliest date per part, highest level per exam)."""

    pvt_signed_on: date | None = None
    map_completed_on: date | None = None
    exams_passed: dict[rules.ExamPart, rules.Level | bool | None] = field(default_factory=dict)
    onderwijsroute_completed: bool = False
    z_final_interview_on: date | None = None
    z_course_hours: Decimal = Decimal("0")
    z_participation_hours: Decimal = Decimal("0")


def achieved_so_far(achievements: Iterable[Achievement]) -> AchievedSoFar:
    dates: dict[str, date] = {}
    exams: dict[rules.ExamPart, rules.Level | bool | None] = {}
    hours = {AchievementKind.Z_COURSE_HOURS: Decimal("0"), AchievementKind.Z_PARTICIPATION_HOURS: Decimal("0")}
    for row in achievements:
        if row.kind in hours:
            hours[AchievementKind(row.kind)] += row.hours or 0
            continue
        if row.kind == AchievementKind.EXAM:
            part = rules.ExamPart(row.exam_part)
            if part == rules.ExamPart.KNM:
                exams[part] = True
            else:
                level = rules.Level(row.level)
                old = exams.get(part)
                if not isinstance(old, rules.Level) or level.rank > old.rank:
                    exams[part] = level
            continue
        if row.kind not in dates or row.achieved_on < dates[row.kind]:
            dates[row.kind] = row.achieved_on
    return AchievedSoFar(
        pvt_signed_on=dates.get(AchievementKind.PVT),
        map_completed_on=dates.get(AchievementKind.MAP),
        exams_passed=exams,
        onderwijsroute_completed=AchievementKind.ONDERWIJSROUTE in dates,
        z_final_interview_on=dates.get(AchievementKind.Z_FINAL_INTERVIEW),
        z_course_hours=hours[AchievementKind.Z_COURSE_HOURS],
        z_participation_hours=hours[AchievementKind.Z_PARTICIPATION_HOURS],
    )


@dataclass(frozen=True)
class VoldaanCheck:
    result: rules.Voldaan
    leerroute: rules.Leerroute
    missing_labels: tuple[str, ...]


def _doelgroep(client_file: ClientFile) -> rules.Doelgroep | None:
    try:
        return rules.Doelgroep(client_file.doelgroep)
    except ValueError:
        return None


def is_confirmed(result: Any) -> bool:
    """Whether the gemeente confirmed this provider-reported exam (``ExamConfirmation``, select_related)."""
    return getattr(result, "confirmation", None) is not None


def with_confirmed_exams(achieved: AchievedSoFar, results: Iterable[Any]) -> AchievedSoFar:
    """The recorded achievements (DUO results as the gemeente recorded them) plus the passed exams providers
    reported **that the gemeente confirmed** (#11: the exam is taken at DUO; a provider's report is a signal to
    check, not a result): the highest level per language part, KNM once passed. Unconfirmed reports are skipped.
    The voortgang page, this page and their API count the same exams."""
    exams: dict[rules.ExamPart, rules.Level | bool | None] = dict(achieved.exams_passed)
    for result in results:
        if not result.passed or not is_confirmed(result):
            continue
        part = rules.ExamPart(result.part)
        if part == rules.ExamPart.KNM:
            exams[part] = True
            continue
        level = rules.Level(result.level)
        old = exams.get(part)
        if not isinstance(old, rules.Level) or level.rank > old.rank:
            exams[part] = level
    return replace(achieved, exams_passed=exams)


def voldaan_check(client_file: ClientFile, version: PipVersion | None, achieved: AchievedSoFar) -> VoldaanCheck | None:
    """``rules.voldaan`` for the file's vastgesteld PIP (None without a PIP or doelgroep). An A2 level in a
    B1-route PIP means afgeschaald (W 17 lid 3): every language part is then checked at A2."""
    doelgroep = _doelgroep(client_file)
    if version is None or doelgroep is None:
        return None
    leerroute = rules.Leerroute(version.leerroute)
    lowered = LANGUAGE_PARTS if leerroute == rules.Leerroute.B1 and version.level == "A2" else ()
    result = rules.voldaan(
        leerroute=leerroute, doelgroep=doelgroep, pvt_signed_on=achieved.pvt_signed_on,
        map_completed_on=achieved.map_completed_on, exams_passed=achieved.exams_passed, lowered_to_a2=lowered,
        onderwijsroute_completed=achieved.onderwijsroute_completed, z_course_hours=achieved.z_course_hours,
        z_participation_hours=achieved.z_participation_hours, z_final_interview_on=achieved.z_final_interview_on,
    )  # fmt: skip
    return VoldaanCheck(
        result=result, leerroute=leerroute, missing_labels=tuple(MISSING_LABELS[code] for code in result.missing)
    )


ROUTE_NAMES = {
    rules.Leerroute.B1: "B1-route",
    rules.Leerroute.ONDERWIJS: "onderwijsroute",
    rules.Leerroute.Z: "Z-route",
}


def current_voldaan_check(client_file: ClientFile) -> VoldaanCheck | None:
    """``voldaan_check`` with what the file has now: the vastgesteld PIP, the recorded achievements and the exams
    providers reported as passed that the gemeente confirmed (3 queries)."""
    achieved = with_confirmed_exams(achieved_so_far(achievements_of(client_file)), passed_provider_exams(client_file))
    return voldaan_check(client_file, current_pip(client_file), achieved)


@transaction.atomic
def record_voldaan(*, actor: Actor, client_file: ClientFile, via: str = "ui") -> StatusChange:
    """The klantregisseur confirms voldaan (W 6, W 7): only when ``rules.voldaan`` says every part of the
    leerroute is done. The file then moves on to the vervolg (``followup``): the next step on the caseload is
    recording where the person goes next. DUO's own report (SS106) sets voldaan through the signals instead."""
    current = ClientFile.objects.select_for_update().get(pk=client_file.pk)
    if current.status != FileStatus.IN_TRAJECT:
        raise ApplicationError(
            f"Voldaan vastleggen kan als het dossier in traject is. Dit dossier heeft de status "
            f"'{current.get_status_display()}'."
        )
    check = current_voldaan_check(current)
    if check is None:
        raise ApplicationError("Voldaan kan pas worden berekend als er een vastgesteld PIP en een doelgroep zijn.")
    if not check.result.voldaan:
        raise ApplicationError("Nog niet voldaan. Dit ontbreekt nog: " + "; ".join(check.missing_labels) + ".")
    change = client_services.change_status(
        actor=actor, client_file=current, to_status=FileStatus.VOLDAAN, via=via, checked=True,
        reason=f"Voldaan: alle onderdelen van de {ROUTE_NAMES[check.leerroute]} zijn behaald "
        "(artikel 6 Wet inburgering 2021).",
    )  # fmt: skip
    client_file.status = current.status
    return change


@dataclass(frozen=True)
class ExtensionCheck:
    result: rules.ExtensionForEffort
    termijn_end_on: date
    requested_on: date
    window_open: bool
    unmet_labels: tuple[str, ...]


def extension_check(
    client_file: ClientFile,
    version: PipVersion | None,
    achieved: AchievedSoFar,
    *,
    requested_on: date,
    lesson_hours: Decimal | int = 0,
    all_lessons_attended: bool = False,
) -> ExtensionCheck | None:
    """``rules.extension_for_effort`` (B 4.4, 4.5) with the termijn from ``plans.services.termijn_of`` (so with an
    extension DUO already reported, W 12); the window is the rule's too early / too late. Lesson hours are entered
    by the klantregisseur (no attendance data from providers is read here)."""
    doelgroep = _doelgroep(client_file)
    termijn = termijn_of(client_file)
    if version is None or doelgroep is None or termijn is None:
        return None
    result = rules.extension_for_effort(
        doelgroep=doelgroep, leerroute=rules.Leerroute(version.leerroute), requested_on=requested_on,
        termijn_end_on=termijn.termijn_end_on, exams_passed=achieved.exams_passed,
        all_lessons_attended=all_lessons_attended, lesson_hours=lesson_hours,
        pvt_signed_on=achieved.pvt_signed_on, map_completed_on=achieved.map_completed_on,
    )  # fmt: skip
    window_open = not {rules.EffortUnmet.REQUEST_TOO_EARLY, rules.EffortUnmet.REQUEST_TOO_LATE} & set(result.unmet)
    return ExtensionCheck(
        result=result, termijn_end_on=termijn.termijn_end_on, requested_on=requested_on, window_open=window_open,
        unmet_labels=tuple(UNMET_LABELS[code] for code in result.unmet),
    )  # fmt: skip
