"""Oproepen: plan a call (with its letter), record its outcome (the next step and the W 22 boete from
``openinburgering.rules``) and the letter for an intake in absence. Keyword-only, atomic, audited."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.audit.services import record_event
from openinburgering.clients.choices import FileStatus
from openinburgering.clients.models import ClientFile
from openinburgering.clients.services import PURPOSE_CASEWORK, change_status, refresh_file_deadline
from openinburgering.clients.validation import FieldErrors
from openinburgering.clients.workflow import can_transition
from openinburgering.core.dates import today
from openinburgering.core.errors import Conflict
from openinburgering.letters.models import Letter, LetterKind
from openinburgering.letters.services import create_letter
from openinburgering.rules import CallStatus, IntakeStep, fine_intake, intake_next_step

from .. import selectors
from ..choices import CallOutcome
from ..models import MAX_CALLS, IntakeCall
from .common import CALL_LETTERS, NOT_PLANNABLE, PLANNABLE_STEPS, WHAT_TO_BRING, _lock, _require_change, _require_open


def _fines_total(calls: list[IntakeCall]) -> Decimal:
    """The W 22 boetes of every call before the last one (the last one's boete is the one being announced)."""
    return sum((call.fine_amount or Decimal("0")) for call in calls[:-1]) or Decimal("0.00")


def _call_letter(
    *, actor: Actor, client_file: ClientFile, call: IntakeCall, previous: IntakeCall | None, via: str
) -> Letter:
    kind, template, title = CALL_LETTERS[call.sequence]
    fine = fine_intake()
    context: dict[str, Any] = {
        "title": title,
        "call": call,
        "previous": previous,
        "planned_at": timezone.localtime(call.planned_at),
        "what_to_bring": WHAT_TO_BRING,
        "fine_amount": fine.amount,
        "reference": f"OPR{call.sequence}",
    }
    if call.sequence == MAX_CALLS:
        # The boete is for the failed second oproep; the boetes before it count towards the cap (B 7.1 lid 5).
        calls = selectors.calls_of(client_file)
        term = fine_intake(published_on=today(), fines_total=_fines_total(calls[:-1]))
        context["fine_amount"] = term.amount
        context["new_term_until_on"] = term.new_term_until_on
    return create_letter(
        actor=actor, client_file=client_file, kind=kind, template_name=template, context=context, subject=call,
        via=via,
    )  # fmt: skip


@transaction.atomic
def plan_call(
    *,
    actor: Actor,
    client_file: ClientFile,
    planned_at: datetime | None,
    location: str,
    interpreter_language: str = "",
    via: str = "ui",
) -> tuple[IntakeCall, Letter]:
    """Plan the next oproep, as far as the rules allow, with its letter (oproep, waarschuwing or voornemen
    boete with a new termijn). The first oproep moves the file from aangemeld to intake."""
    _require_change(actor)
    locked = _lock(client_file)
    _require_open(locked)
    calls = selectors.calls_of(locked)
    step = selectors.next_step_of(calls).next_step
    if step not in PLANNABLE_STEPS:
        raise Conflict(NOT_PLANNABLE[step])
    errors = FieldErrors()
    location = location.strip()
    now = timezone.now()
    if planned_at is None:
        errors.add("planned_at", "Vul de datum en tijd van de afspraak in.")
    elif planned_at < now:
        errors.add("planned_at", "De afspraak moet in de toekomst liggen.")
    elif step == IntakeStep.FINE_AND_NEW_TERM:
        until = fine_intake(published_on=today()).new_term_until_on
        if until is not None and timezone.localtime(planned_at).date() > until:
            errors.add(
                "planned_at",
                f"De nieuwe termijn loopt tot en met {until:%d-%m-%Y} (W 22 lid 2). Plan de afspraak daarvoor.",
            )
    if not location:
        errors.add("location", "Vul de plaats van de afspraak in.")
    elif len(location) > 200:
        errors.add("location", "Gebruik maximaal 200 tekens.")
    if len(interpreter_language.strip()) > 100:
        errors.add("interpreter_language", "Gebruik maximaal 100 tekens.")
    errors.raise_if_any()
    assert planned_at is not None
    sequence = len(calls) + 1
    try:
        with transaction.atomic():
            call = IntakeCall.objects.create(
                client_file=locked, sequence=sequence, planned_at=planned_at, location=location,
                interpreter_language=interpreter_language.strip(), created_at=now, created_by=actor.user,
            )  # fmt: skip
    except IntegrityError as exc:  # pragma: no cover - the file lock makes this a race we cannot lose
        raise Conflict("Iemand anders heeft net een oproep gepland. Laad de pagina opnieuw.") from exc
    record_event(
        actor=actor, event_type="intake_call_planned", purpose=PURPOSE_CASEWORK, client_file=locked, subject=call,
        changes={"sequence": {"old": None, "new": sequence},
                 "planned_at": {"old": None, "new": planned_at.isoformat()}},
        via=via,
    )  # fmt: skip
    letter = _call_letter(
        actor=actor, client_file=client_file, call=call, previous=calls[-1] if calls else None, via=via
    )
    if locked.status == FileStatus.AANGEMELD and can_transition(locked.status, FileStatus.INTAKE):
        change_status(
            actor=actor, client_file=client_file, to_status=FileStatus.INTAKE,
            reason="Eerste oproep voor de brede intake gepland.", via=via,
        )  # fmt: skip
    refresh_file_deadline(client_file)  # the next step on the worklists follows this change
    return call, letter


@transaction.atomic
def record_call_outcome(
    *, actor: Actor, client_file: ClientFile, call: IntakeCall, outcome: str, note: str = "", via: str = "ui"
) -> IntakeCall:
    """Record once how an oproep went; store the next step and the boete the rules give for it."""
    _require_change(actor)
    _lock(client_file)
    current = IntakeCall.objects.select_for_update().get(pk=call.pk, client_file=client_file)
    if current.outcome != CallOutcome.PENDING:
        raise Conflict("De uitkomst van deze oproep is al vastgelegd. U kunt die niet meer veranderen.")
    errors = FieldErrors()
    if outcome not in (CallOutcome.APPEARED, CallOutcome.NO_SHOW, CallOutcome.INSUFFICIENT_COOPERATION):
        errors.add("outcome", "Kies wat er gebeurde: gekomen, niet gekomen of onvoldoende meegewerkt.")
    if current.planned_at > timezone.now():  # not in the morning for an afternoon appointment
        errors.add("outcome", "De afspraak is nog niet begonnen. Leg de uitkomst vast na het begin van de afspraak.")
    note = note.strip()
    if outcome == CallOutcome.INSUFFICIENT_COOPERATION and not note:
        errors.add("note", "Schrijf op waarom de persoon onvoldoende meewerkte.")
    if len(note) > 5000:
        errors.add("note", "Gebruik maximaal 5.000 tekens.")
    errors.raise_if_any()
    statuses = [CallStatus(c.outcome) for c in selectors.calls_of(client_file) if c.pk != current.pk]
    result = intake_next_step(calls=[*statuses, CallStatus(outcome)])
    current.outcome = outcome
    current.outcome_note = note
    current.outcome_recorded_at = timezone.now()
    current.outcome_recorded_by = actor.user
    current.next_step = result.next_step.value
    current.fine_amount = result.fine
    current.save(update_fields=[
        "outcome", "outcome_note", "outcome_recorded_at", "outcome_recorded_by", "next_step", "fine_amount",
    ])  # fmt: skip
    record_event(
        actor=actor, event_type="intake_call_outcome_recorded", purpose=PURPOSE_CASEWORK, client_file=client_file,
        subject=current,
        changes={"outcome": {"old": CallOutcome.PENDING, "new": outcome},
                 "next_step": {"old": None, "new": current.next_step},
                 "fine_amount": {"old": None, "new": str(result.fine)}},
        via=via,
    )  # fmt: skip
    refresh_file_deadline(client_file)  # the next step on the worklists follows this change
    return current


@transaction.atomic
def create_absence_letter(*, actor: Actor, client_file: ClientFile, via: str = "ui") -> Letter:
    """After a failed third oproep: the letter 'voornemen boete en intake zonder u' (W 22 lid 3, W 14 lid 2)."""
    _require_change(actor)
    locked = _lock(client_file)
    calls = selectors.calls_of(locked)
    if selectors.next_step_of(calls).next_step != IntakeStep.FINE_AND_INTAKE_IN_ABSENCE:
        raise Conflict("Deze brief kan pas na de derde oproep waarbij de persoon niet kwam of niet meewerkte.")
    if Letter.objects.filter(client_file=locked, kind=LetterKind.INTAKE_IN_AFWEZIGHEID).exists():
        raise Conflict("Deze brief is al gemaakt. U vindt hem bij de brieven van het dossier.")
    fine = fine_intake(fines_total=_fines_total(calls))
    last = calls[-1]
    return create_letter(
        actor=actor, client_file=client_file, kind=LetterKind.INTAKE_IN_AFWEZIGHEID,
        template_name="letters/intake_in_afwezigheid.html",
        context={"title": "Wij willen u een boete geven. De brede intake gaat verder zonder u",
                 "calls": calls, "last": last, "last_at": timezone.localtime(last.planned_at),
                 "fine_amount": fine.amount, "reference": "AFW"},
        subject=last, via=via,
    )  # fmt: skip
