"""Fulfilling the plicht, and the extension for aanzienlijke inspanningen (W 6-9, W 12, B 3.14, B 4.4-4.5)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .deadlines import extension_request_from
from .enums import LANGUAGE_PARTS, Doelgroep, ExamPart, Leerroute, Level
from .errors import RuleInputError

ExamsPassed = Mapping[ExamPart, Level | bool | None]
"""Per exam part the highest level passed (language parts) or whether it was passed (``knm``); a part that is
missing or None counts as not passed."""

Z_COURSE_HOURS = 800
"""B 3.14 lid 2 sub a: "in totaal 800 cursusuren". B 3.14 lid 8 lets the Regeling inburgering 2021 set a lower
norm for people with an auditive or visual impairment; pass that norm as ``z_course_hours_norm``."""

Z_PARTICIPATION_HOURS = 800
"""B 3.14 lid 2 sub b: "in totaal 800 uren" of participation; MAP and PVT hours are deducted (lid 5)."""

EFFORT_LESSON_HOURS = 450
"""B 4.4 lid 3: gezinsmigranten and overige migranten have followed at least 450 hours of lessons."""

EFFORT_MIN_LANGUAGE_PARTS = 2
"""B 4.4 lid 2 sub c: at least two of the four language parts passed."""

EXTENSION_MONTHS = 6
"""B 4.4 lid 1: the Minister extends the termijn by six months."""


def check_exams(exams_passed: ExamsPassed) -> None:
    """Raise :class:`RuleInputError` unless language parts carry a level and ``knm`` a boolean."""
    for part, result in exams_passed.items():
        if result is None:
            continue
        if part == ExamPart.KNM and not isinstance(result, bool):
            raise RuleInputError(f"exams_passed: knm is true or false, got {result}")
        if part != ExamPart.KNM and not isinstance(result, Level):
            raise RuleInputError(f"exams_passed: {part} takes a level (A1, A2, B1, B2), got {result}")


def passed_at(exams_passed: ExamsPassed, part: ExamPart, level: Level) -> bool:
    """True when the language ``part`` was passed at ``level`` or higher (B1 also satisfies A2)."""
    result = exams_passed.get(part)
    return isinstance(result, Level) and result.rank >= level.rank


def knm_passed(exams_passed: ExamsPassed) -> bool:
    """True when the KNM exam (B 3.4) was passed."""
    return exams_passed.get(ExamPart.KNM) is True


class Missing(StrEnum):
    """A part of the plicht that is still missing."""

    PVT = "pvt"
    MAP = "map"
    LEZEN = "lezen"
    LUISTEREN = "luisteren"
    SCHRIJVEN = "schrijven"
    SPREKEN = "spreken"
    KNM = "knm"
    ONDERWIJSROUTE = "onderwijsroute"
    Z_COURSE_HOURS = "z_course_hours"
    Z_PARTICIPATION_HOURS = "z_participation_hours"
    Z_FINAL_INTERVIEW = "z_final_interview"


@dataclass(frozen=True, slots=True)
class Voldaan:
    """The outcome of :func:`voldaan`; ``missing`` lists the missing parts in :class:`Missing` order."""

    voldaan: bool
    missing: tuple[Missing, ...]


def _missing_exam_parts(
    exams_passed: ExamsPassed, *, lowered: frozenset[ExamPart], exempted: frozenset[ExamPart]
) -> list[Missing]:
    """The exam parts not passed at their level (A2 when lowered, else B1) and not exempted."""
    missing = [
        Missing(part.value)
        for part in LANGUAGE_PARTS
        if part not in exempted and not passed_at(exams_passed, part, Level.A2 if part in lowered else Level.B1)
    ]
    if ExamPart.KNM not in exempted and not knm_passed(exams_passed):
        missing.append(Missing.KNM)
    return missing


def voldaan(
    *,
    leerroute: Leerroute,
    doelgroep: Doelgroep,
    pvt_signed_on: date | None = None,
    map_completed_on: date | None = None,
    exams_passed: ExamsPassed | None = None,
    lowered_to_a2: Sequence[ExamPart] = (),
    exempted_parts: Sequence[ExamPart] = (),
    onderwijsroute_completed: bool = False,
    z_course_hours: Decimal | int = 0,
    z_course_hours_credited: Decimal | int = 0,
    z_participation_hours: Decimal | int = 0,
    pvt_hours: Decimal | int = 0,
    map_hours: Decimal | int = 0,
    z_final_interview_on: date | None = None,
    z_course_hours_norm: Decimal | int = Z_COURSE_HOURS,
) -> Voldaan:
    """Decide whether the plicht is fulfilled (Wet inburgering 2021 art. 6, 7, 8, 9; Besluit art. 3.14).

    W 6 lid 1: the PVT, the MAP, and the inburgeringsexamen, the onderwijsroute or the Z-route. No MAP in the
    onderwijsroute (W 8 lid 3).

    - B1-route (W 7): each language part at B1, or at A2 when lowered under W 17 lid 3 (B1 also satisfies A2),
      and KNM; an exempted part (vrijstelling W 7 lid 3, or ontheffing W 5) counts as met.
    - Onderwijsroute (W 8): completed, or all four language parts at B1 and KNM (W 8 lid 4); when neither,
      ``missing`` lists the parts still missing and ``onderwijsroute``.
    - Z-route (B 3.14): course hours ≥ ``z_course_hours_norm`` (800) - credited hours (lid 6, 9); for
      asielstatushouders participation hours ≥ 800 - PVT hours - MAP hours (lid 2 sub b, lid 5); and the
      eindgesprek with the college (lid 2 sub c).
    """
    exams = exams_passed or {}
    check_exams(exams)
    if ExamPart.KNM in lowered_to_a2:
        raise RuleInputError("lowered_to_a2: knm has no level and cannot be lowered")
    missing: list[Missing] = []
    if pvt_signed_on is None:
        missing.append(Missing.PVT)
    if map_completed_on is None and leerroute != Leerroute.ONDERWIJS:
        missing.append(Missing.MAP)
    exempted = frozenset(exempted_parts)
    if leerroute == Leerroute.B1:
        missing += _missing_exam_parts(exams, lowered=frozenset(lowered_to_a2), exempted=exempted)
    elif leerroute == Leerroute.ONDERWIJS:
        if not onderwijsroute_completed:
            parts = _missing_exam_parts(exams, lowered=frozenset(), exempted=exempted)
            missing += [*parts, Missing.ONDERWIJSROUTE] if parts else []
    else:
        if z_course_hours < z_course_hours_norm - z_course_hours_credited:
            missing.append(Missing.Z_COURSE_HOURS)
        participation_norm = Z_PARTICIPATION_HOURS - pvt_hours - map_hours
        if doelgroep == Doelgroep.ASIELSTATUSHOUDER and z_participation_hours < participation_norm:
            missing.append(Missing.Z_PARTICIPATION_HOURS)
        if z_final_interview_on is None:
            missing.append(Missing.Z_FINAL_INTERVIEW)
    return Voldaan(voldaan=not missing, missing=tuple(missing))


class EffortUnmet(StrEnum):
    """A condition of B 4.4 or B 4.5 that is not met."""

    NOT_B1_ROUTE = "not_b1_route"
    LESSONS = "lessons"
    EXAM_PARTS = "exam_parts"
    KNM = "knm"
    PVT = "pvt"
    MAP = "map"
    REQUEST_TOO_EARLY = "request_too_early"
    REQUEST_TOO_LATE = "request_too_late"


@dataclass(frozen=True, slots=True)
class ExtensionForEffort:
    """The outcome of :func:`extension_for_effort`; ``request_from_on`` is the earliest day to request it."""

    eligible: bool
    extension_months: int
    unmet: tuple[EffortUnmet, ...]
    request_from_on: date


def extension_for_effort(
    *,
    doelgroep: Doelgroep,
    leerroute: Leerroute,
    requested_on: date,
    termijn_end_on: date,
    exams_passed: ExamsPassed | None = None,
    all_lessons_attended: bool = False,
    lesson_hours: Decimal | int = 0,
    pvt_signed_on: date | None = None,
    map_completed_on: date | None = None,
) -> ExtensionForEffort:
    """Decide the 6-month extension for aanzienlijke inspanningen (W 12 lid 1 sub b; Besluit art. 4.4, 4.5).

    B 4.4 lid 2: the B1-route, examined at the PIP level but at least A2 (sub a); all language and KNM lessons
    attended (sub b; for gezinsmigranten and overige migranten at least 450 hours, lid 3); at least two of the
    four language parts passed (at A2 or higher) and KNM (sub c); PVT and MAP completed (sub d). B 4.5 lid 1:
    the request cannot be made earlier than six months before the termijn ends; reading: nor after the termijn
    has ended. ``unmet`` lists every condition that fails, in the order of :class:`EffortUnmet`.
    """
    exams = exams_passed or {}
    check_exams(exams)
    request_from = extension_request_from(termijn_end_on)
    if doelgroep == Doelgroep.ASIELSTATUSHOUDER:
        lessons_met = all_lessons_attended
    else:
        lessons_met = lesson_hours >= EFFORT_LESSON_HOURS
    parts_passed = sum(passed_at(exams, part, Level.A2) for part in LANGUAGE_PARTS)
    checks = {
        EffortUnmet.NOT_B1_ROUTE: leerroute != Leerroute.B1,
        EffortUnmet.LESSONS: not lessons_met,
        EffortUnmet.EXAM_PARTS: parts_passed < EFFORT_MIN_LANGUAGE_PARTS,
        EffortUnmet.KNM: not knm_passed(exams),
        EffortUnmet.PVT: pvt_signed_on is None,
        EffortUnmet.MAP: map_completed_on is None,
        EffortUnmet.REQUEST_TOO_EARLY: requested_on < request_from,
        EffortUnmet.REQUEST_TOO_LATE: requested_on > termijn_end_on,
    }
    unmet = tuple(code for code, failed in checks.items() if failed)
    return ExtensionForEffort(
        eligible=not unmet,
        extension_months=0 if unmet else EXTENSION_MONTHS,
        unmet=unmet,
        request_from_on=request_from,
    )
