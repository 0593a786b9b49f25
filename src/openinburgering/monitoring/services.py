"""Changes and audited reads of the monitoring app. Lesbezoeken and surveys are entered by a contractmanager
(MANAGE_PROVIDERS) for a provider of the own gemeente or region; every change and every view or export of the
figures is audited in the same transaction. Bad input raises ApplicationError (Dutch, B1) and writes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.audit.services import record_event
from openinburgering.clients.validation import FieldErrors
from openinburgering.core import dates as core_dates
from openinburgering.providers.access import access_contract, access_provider

from .models import LessonVisit, SatisfactionSurvey
from .selectors import Filters

PURPOSE = "contractbeheer"


def record_view(actor: Actor, *, what: str, filters: Filters, via: str = "ui") -> None:
    record_event(
        actor=actor,
        event_type="monitoring_dashboard_viewed",
        purpose=PURPOSE,
        subject_type="monitoring",
        subject_id=what,
        via=via,
        changes={"filters": filters.as_dict()},
    )


def record_export(actor: Actor, *, what: str, filters: Filters, rows: int, via: str = "ui") -> None:
    record_event(
        actor=actor,
        event_type="monitoring_exported",
        purpose=PURPOSE,
        subject_type="monitoring",
        subject_id=what,
        via=via,
        changes={"filters": filters.as_dict(), "rows": rows, "format": "csv"},
    )


def _date(value: Any, name: str, errors: FieldErrors, message: str) -> date | None:
    if isinstance(value, date):
        return value
    errors.add(name, message)
    return None


@transaction.atomic
def record_lesson_visit(*, actor: Actor, data: dict[str, Any], via: str = "ui") -> LessonVisit:
    provider = access_provider(actor, data.get("provider_id") or 0, for_write=True)
    errors = FieldErrors()
    contract = None
    if data.get("contract_id"):
        contract = access_contract(actor, data["contract_id"])
        if contract.provider_id != provider.pk:
            errors.add("contract", "Dit contract hoort niet bij deze aanbieder. Kies een ander contract.")
    visited_on = _date(data.get("visited_on"), "visited_on", errors, "Vul de datum van het bezoek in.")
    if visited_on is not None and visited_on > core_dates.today():
        errors.add("visited_on", "De datum ligt in de toekomst. Leg een bezoek vast nadat het is geweest.")
    visitor = str(data.get("visitor") or "").strip()[:200]
    if not visitor:
        errors.add("visitor", "Vul in wie het bezoek heeft gedaan.")
    findings = str(data.get("findings") or "").strip()[:5000]
    if not findings:
        errors.add("findings", "Schrijf kort op wat u zag.")
    score = data.get("score")
    if not isinstance(score, int) or not 1 <= score <= 5:
        errors.add("score", "Kies een oordeel van 1 tot en met 5.")
    errors.raise_if_any()
    assert visited_on is not None
    assert isinstance(score, int)
    visit = LessonVisit.objects.create(
        provider=provider, contract=contract, gemeente=actor.gemeente, visited_on=visited_on, visitor=visitor,
        findings=findings, score=score, created_at=timezone.now(), created_by=actor.user,
    )  # fmt: skip
    record_event(
        actor=actor, event_type="lesson_visit_recorded", purpose=PURPOSE, subject=visit, via=via,
        changes={"provider": provider.pk, "visited_on": visited_on.isoformat(), "score": score},
    )  # fmt: skip
    return visit


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        return Decimal("NaN")


@transaction.atomic
def record_survey(*, actor: Actor, data: dict[str, Any], via: str = "ui") -> SatisfactionSurvey:
    provider = access_provider(actor, data.get("provider_id") or 0, for_write=True)
    errors = FieldErrors()
    start = _date(data.get("period_start_on"), "period_start_on", errors, "Vul de begindatum van de periode in.")
    end = _date(data.get("period_end_on"), "period_end_on", errors, "Vul de einddatum van de periode in.")
    if start and end and end < start:
        errors.add("period_end_on", "De einddatum ligt voor de begindatum.")
    respondents = data.get("respondents")
    if not isinstance(respondents, int) or respondents < 1:
        errors.add("respondents", "Vul in hoeveel deelnemers antwoordden (1 of meer).")
    score = _decimal(data.get("average_score"))
    if score is not None and (score.is_nan() or not Decimal(1) <= score <= Decimal(10)):
        errors.add("average_score", "Vul een gemiddeld cijfer in van 1 tot en met 10, bijvoorbeeld 7,5.")
    percent = data.get("percent_satisfied")
    if percent is not None and (not isinstance(percent, int) or not 0 <= percent <= 100):
        errors.add("percent_satisfied", "Vul een percentage in van 0 tot en met 100.")
    if score is None and percent is None:
        errors.add("average_score", "Vul een gemiddeld cijfer of een percentage tevreden in (of allebei).")
    errors.raise_if_any()
    assert start is not None
    assert end is not None
    assert isinstance(respondents, int)
    survey = SatisfactionSurvey.objects.create(
        provider=provider, gemeente=actor.gemeente, period_start_on=start, period_end_on=end,
        respondents=respondents, average_score=score.quantize(Decimal("0.1")) if score is not None else None,
        percent_satisfied=percent, created_at=timezone.now(), created_by=actor.user,
    )  # fmt: skip
    record_event(
        actor=actor, event_type="satisfaction_survey_recorded", purpose=PURPOSE, subject=survey, via=via,
        changes={"provider": provider.pk, "respondents": respondents,
                 "average_score": str(survey.average_score) if survey.average_score is not None else None,
                 "percent_satisfied": percent},
    )  # fmt: skip
    return survey
