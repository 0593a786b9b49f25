"""Exam results reported by a provider."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.clients.validation import FieldErrors
from openinburgering.core import dates as core_dates

from ..choices import REPORTABLE_STATUSES, ExamLevel
from ..models import EXAM_PART_CHOICES, Enrolment, ExamResult
from ._common import _audit

KNM = rules.ExamPart.KNM.value


@transaction.atomic
def record_exam_result(*, actor: Actor, enrolment: Enrolment, data: dict[str, Any], via: str = "ui") -> ExamResult:
    """A provider's report of an exam attempt (insert-only, audited): a language part at A2 or B1, KNM without a
    level. It is a signal for the gemeente, not a result: the exam is taken at DUO, and only DUO results and
    reports the gemeente confirmed count toward voldaan (handhaving.services.confirm_exam_result)."""
    errors = FieldErrors()
    part = str(data.get("part") or "")
    if part not in dict(EXAM_PART_CHOICES):
        errors.add("part", "Kies het onderdeel van het examen.")
    level = str(data.get("level") or "")
    if part == KNM and level:
        errors.add("level", "KNM heeft geen niveau. Laat het niveau leeg.")  # #11: KNM is passed or not
    elif part != KNM and level not in ExamLevel.values:
        errors.add("level", "Kies het niveau: A2 of B1.")
    exam_on: date | None = data.get("exam_on")
    if exam_on is None:
        errors.add("exam_on", "Vul de datum van het examen in.")
    elif exam_on > core_dates.today():
        errors.add("exam_on", "De datum van het examen ligt in de toekomst. Meld een uitslag pas na het examen.")
    passed = data.get("passed")
    if passed is None:
        errors.add("passed", "Kies of het examen gehaald is.")
    if enrolment.status not in REPORTABLE_STATUSES:
        errors.add("enrolment", "Voor deze plaatsing kunt u (nog) geen uitslag melden. Accepteer de plaatsing eerst.")
    errors.raise_if_any()
    assert exam_on is not None
    result = ExamResult.objects.create(
        enrolment=enrolment,
        part=part,
        level=level,
        exam_on=exam_on,
        passed=bool(passed),
        recorded_at=timezone.now(),
        recorded_by=actor.user,
        via=via,
    )
    _audit(
        actor,
        "exam_result_recorded",
        subject=result,
        via=via,
        client_file=enrolment.client_file,
        part=part,
        level=level,
        exam_on=exam_on,
        passed=bool(passed),
    )
    return result
