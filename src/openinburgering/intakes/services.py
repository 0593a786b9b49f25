"""Every change to oproepen, brede intakes, leerbaarheidstoetsen and route advice. Keyword-only, atomic, audited in
the same transaction; the next step after an oproep, the W 22 boete and its new termijn and the toets outcome come
from ``openinburgering.rules``. Callers pass a file they reached through ``access_client_file``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.audit.services import record_event
from openinburgering.clients.choices import FileStatus
from openinburgering.clients.consent import record_consent_from_intake
from openinburgering.clients.models import ClientFile
from openinburgering.clients.services import PURPOSE_CASEWORK, change_status, refresh_file_deadline
from openinburgering.clients.validation import FieldErrors
from openinburgering.clients.workflow import can_transition
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.letters.models import Letter, LetterKind
from openinburgering.letters.services import create_letter
from openinburgering.rules import CallStatus, IntakeStep, fine_intake, intake_next_step, lbt_outcome

from . import leefgebieden, selectors
from .choices import CallOutcome, IntakeStatus, LbtOntheffing, Leefgebied, Leerroute
from .models import MAX_CALLS, Intake, IntakeCall, LearnabilityTest, LeefgebiedAssessment, RouteAdvice

PLANNABLE_STEPS = (IntakeStep.FIRST_CALL, IntakeStep.WARNING_AND_REPEAT_CALL, IntakeStep.FINE_AND_NEW_TERM)
CALL_LETTERS = {
    1: (LetterKind.OPROEP, "letters/intake_oproep.html", "Uitnodiging voor een gesprek: de brede intake"),
    2: (LetterKind.WAARSCHUWING, "letters/intake_waarschuwing.html", "Waarschuwing en nieuwe afspraak brede intake"),
    3: (
        LetterKind.BOETE_NIEUWE_TERMIJN,
        "letters/intake_boete_nieuwe_termijn.html",
        "Wij willen u een boete geven. U krijgt een nieuwe afspraak",
    ),
}
NOT_PLANNABLE = {
    IntakeStep.WAIT: "Er staat al een oproep gepland. Leg eerst vast hoe die afspraak ging.",
    IntakeStep.NONE: "De persoon is al gekomen. Een nieuwe oproep is niet nodig.",
    IntakeStep.FINE_AND_INTAKE_IN_ABSENCE: (
        f"Er zijn al {MAX_CALLS} oproepen geweest (W 14 lid 2). U kunt geen oproep meer plannen. "
        "Rond de brede intake af zonder de persoon."
    ),
}
WHAT_TO_BRING = (
    "uw identiteitsbewijs of verblijfsdocument",
    "diploma's en getuigschriften, ook uit uw land van herkomst",
    "papieren over uw werk in het verleden (als u die heeft)",
    "een lijst van de medicijnen die u gebruikt (als u dat wilt)",
)


def _lock(client_file: ClientFile) -> ClientFile:
    """Lock the file row, so two people cannot plan or record at the same time."""
    return ClientFile.objects.select_for_update().get(pk=client_file.pk)


def _require_change(actor: Actor) -> None:
    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()


def _require_open(client_file: ClientFile) -> None:
    if not client_file.is_open:
        raise ApplicationError("Dit dossier is gesloten. U kunt hier niets meer aan veranderen.")


def record_read(
    *, actor: Actor, client_file: ClientFile, event_type: str, subject: Any = None, via: str = "ui",
    changes: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    """Log a read of intake data (doelbinding: casework). Call inside the request's transaction."""
    record_event(
        actor=actor, event_type=event_type, purpose=PURPOSE_CASEWORK, client_file=client_file,
        subject=subject if subject is not None else client_file, changes=changes, via=via,
    )  # fmt: skip


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


# ---------------------------------------------------------------------------------------------------------------
# Brede intake


@transaction.atomic
def start_intake(*, actor: Actor, client_file: ClientFile, person_id: int | None, via: str = "ui") -> Intake:
    """Start the brede intake of the file's person or of a current member of their household."""
    _require_change(actor)
    locked = _lock(client_file)
    _require_open(locked)
    people = {person.pk: person for person, _ in selectors.household_people(client_file)}
    if person_id is None or person_id not in people:
        raise ApplicationError(
            "Kies een persoon uit het huishouden.",
            field_errors={"person": ["Kies de inburgeraar of iemand die nu in het huishouden woont."]},
        )
    if Intake.objects.filter(client_file=locked, person_id=person_id).exists():
        raise Conflict(
            "Voor deze persoon is al een brede intake gestart.",
        )
    intake = Intake.objects.create(
        client_file=locked, person=people[person_id], started_at=timezone.now(), started_by=actor.user
    )
    record_event(
        actor=actor, event_type="intake_started", purpose=PURPOSE_CASEWORK, client_file=locked, subject=intake,
        changes={"person": {"old": None, "new": person_id}}, via=via,
    )  # fmt: skip
    refresh_file_deadline(client_file)  # the next step on the worklists follows this change
    return intake


@transaction.atomic
def save_assessment(
    *,
    actor: Actor,
    client_file: ClientFile,
    intake: Intake,
    leefgebied: str,
    score: int | None,
    finding: str = "",
    wishes: str = "",
    details: dict[str, Any] | None = None,
    via: str = "ui",
) -> LeefgebiedAssessment:
    """Save one step of the brede intake right away (a leefgebied: score, finding, wishes, details)."""
    _require_change(actor)
    _lock(client_file)
    current = Intake.objects.select_for_update().get(pk=intake.pk, client_file=client_file)
    if leefgebieden.spec_for(leefgebied) is None:
        raise NotFound()
    if current.status == IntakeStatus.COMPLETED:
        raise Conflict("Deze brede intake is afgerond. U kunt hem niet meer veranderen.")
    errors = FieldErrors()
    cleaned, detail_errors = leefgebieden.clean_details(
        leefgebied, details or {}, child_ids=selectors.current_children_ids(client_file)
    )
    for key, messages in detail_errors.items():
        for message in messages:
            errors.add(key, message)
    if score is not None and (isinstance(score, bool) or not 1 <= score <= 5):
        errors.add("score", "Kies een score van 1 tot en met 5.")
    finding, wishes = finding.strip(), wishes.strip()
    for name, text in (("finding", finding), ("wishes", wishes)):
        if len(text) > 10_000:
            errors.add(name, "Gebruik maximaal 10.000 tekens.")
    no_consent = not detail_errors and not leefgebieden.scoring_allowed(leefgebied, cleaned)
    if no_consent and (score is not None or finding or wishes):
        errors.add(
            "details.health_consent",
            "Zonder toestemming van de persoon legt u geen score en geen tekst over de gezondheid vast.",
        )
    errors.raise_if_any()
    existing = LeefgebiedAssessment.objects.select_for_update().filter(intake=current, leefgebied=leefgebied).first()
    now = timezone.now()
    values = {"score": score, "finding": finding, "wishes": wishes, "details": cleaned}
    if existing is None:
        assessment = LeefgebiedAssessment.objects.create(
            intake=current, leefgebied=leefgebied, updated_at=now, updated_by=actor.user, **values
        )
        changed = [name for name, value in values.items() if value not in (None, "", {})]
    else:
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        for name, value in values.items():
            setattr(existing, name, value)
        existing.updated_at, existing.updated_by = now, actor.user
        existing.save()
        assessment = existing
    current.save(update_fields=["updated_at"])
    if leefgebied == Leefgebied.GEZONDHEID:  # one register of health consent, per person (#12 item 1)
        record_consent_from_intake(
            actor=actor, client_file=client_file, person=current.person_id,
            answer=cleaned.get(leefgebieden.HEALTH_CONSENT_KEY), via=via,
        )  # fmt: skip
    # Field names only: what was written about health or a person stays in the record, not in the audit trail.
    record_event(
        actor=actor, event_type="leefgebied_assessment_saved", purpose=PURPOSE_CASEWORK, client_file=client_file,
        subject=assessment, changes={"leefgebied": leefgebied, "fields": sorted(changed)}, via=via,
    )  # fmt: skip
    return assessment


@transaction.atomic
def complete_intake(
    *, actor: Actor, client_file: ClientFile, intake: Intake, in_absence: bool = False, absence_reason: str = "",
    via: str = "ui",
) -> Intake:  # fmt: skip
    """Complete a brede intake: every leefgebied done, or in absence after the third failed oproep (then it may be
    incomplete, with a written reason)."""
    _require_change(actor)
    locked = _lock(client_file)
    current = Intake.objects.select_for_update().get(pk=intake.pk, client_file=client_file)
    if current.status == IntakeStatus.COMPLETED:
        raise Conflict("Deze brede intake is al afgerond.")
    progress = selectors.progress_of(Intake.objects.prefetch_related("assessments").get(pk=current.pk))
    absence_reason = absence_reason.strip()
    errors = FieldErrors()
    if in_absence:
        step = selectors.next_step_of(selectors.calls_of(locked)).next_step
        if step != IntakeStep.FINE_AND_INTAKE_IN_ABSENCE:
            errors.add(
                "in_absence",
                "Zonder de persoon afronden mag pas na drie oproepen waarbij de persoon niet kwam of niet "
                "meewerkte (W 14 lid 2).",
            )
        if not absence_reason:
            errors.add("absence_reason", "Schrijf op waarom de intake zonder de persoon wordt afgerond.")
    elif not progress.complete_enough:
        missing = [leefgebieden.REGISTRY[code].label for code in leefgebieden.ORDER if code not in progress.done]
        errors.add("in_absence", "Nog niet alle leefgebieden hebben een score: " + ", ".join(missing) + ".")
    errors.raise_if_any()
    current.status = IntakeStatus.COMPLETED
    current.in_absence = in_absence
    current.absence_reason = absence_reason if in_absence else ""
    current.completed_at = timezone.now()
    current.completed_by = actor.user
    current.save(update_fields=["status", "in_absence", "absence_reason", "completed_at", "completed_by", "updated_at"])
    record_event(
        actor=actor, event_type="intake_completed", purpose=PURPOSE_CASEWORK, client_file=locked, subject=current,
        changes={"status": {"old": IntakeStatus.IN_PROGRESS, "new": IntakeStatus.COMPLETED},
                 "in_absence": in_absence, "leefgebieden_done": progress.done_count},
        via=via,
    )  # fmt: skip
    refresh_file_deadline(client_file)  # the next step on the worklists follows this change
    return current


# ---------------------------------------------------------------------------------------------------------------
# Leerbaarheidstoets


@transaction.atomic
def plan_lbt(
    *, actor: Actor, client_file: ClientFile, planned_at: datetime | None, location: str, send_letter: bool = False,
    via: str = "ui",
) -> tuple[LearnabilityTest, Letter | None]:  # fmt: skip
    _require_change(actor)
    locked = _lock(client_file)
    _require_open(locked)
    errors = FieldErrors()
    location = location.strip()
    if planned_at is None:
        errors.add("planned_at", "Vul de datum en tijd van de toets in.")
    elif planned_at < timezone.now():
        errors.add("planned_at", "De toets moet in de toekomst liggen.")
    if not location:
        errors.add("location", "Vul de plaats van de toets in.")
    elif len(location) > 200:
        errors.add("location", "Gebruik maximaal 200 tekens.")
    if LearnabilityTest.objects.filter(client_file=locked, result_recorded_at__isnull=True).exists():
        errors.add("planned_at", "Er staat al een toets gepland. Leg eerst de uitslag daarvan vast.")
    errors.raise_if_any()
    assert planned_at is not None
    lbt = LearnabilityTest.objects.create(
        client_file=locked, planned_at=planned_at, location=location, created_at=timezone.now(), created_by=actor.user
    )
    record_event(
        actor=actor, event_type="lbt_planned", purpose=PURPOSE_CASEWORK, client_file=locked, subject=lbt,
        changes={"planned_at": {"old": None, "new": planned_at.isoformat()}}, via=via,
    )  # fmt: skip
    letter = None
    if send_letter:
        letter = create_letter(
            actor=actor, client_file=client_file, kind=LetterKind.LBT_UITNODIGING,
            template_name="letters/lbt_uitnodiging.html",
            context={"title": "Uitnodiging voor de leerbaarheidstoets", "lbt": lbt,
                     "planned_at": timezone.localtime(planned_at), "fine_amount": fine_intake().amount,
                     "reference": "LBT"},
            subject=lbt, via=via,
        )  # fmt: skip
    refresh_file_deadline(client_file)  # the next step on the worklists follows this change
    return lbt, letter


@transaction.atomic
def record_lbt_result(
    *, actor: Actor, client_file: ClientFile, lbt: LearnabilityTest, taken_on: date | None = None,
    score: int | None = None, ontheffing: str = "", via: str = "ui",
) -> LearnabilityTest:  # fmt: skip
    """Record the result (date and score out of 40) or an ontheffing (W 14 lid 6), with the outcome and the cesuur
    from ``rules.lbt_outcome``. Recorded once."""
    _require_change(actor)
    _lock(client_file)
    current = LearnabilityTest.objects.select_for_update().get(pk=lbt.pk, client_file=client_file)
    if current.result_recorded_at is not None:
        raise Conflict("De uitslag van deze toets is al vastgelegd.")
    errors = FieldErrors()
    if ontheffing not in LbtOntheffing.values:
        errors.add("ontheffing", "Kies een van de mogelijkheden.")
    if ontheffing:
        if score is not None or taken_on is not None:
            errors.add(
                "ontheffing", "Vul een ontheffing óf een uitslag in, niet allebei. Bij ontheffing is er geen toets."
            )
    else:
        if taken_on is None:
            errors.add("taken_on", "Vul de datum in waarop de toets is gemaakt.")
        if score is None:
            errors.add("score", "Vul de score in (0 tot en met 40).")
    if taken_on is not None and taken_on > today():
        errors.add("taken_on", "De datum van de toets kan niet in de toekomst liggen.")
    if score is not None and (isinstance(score, bool) or not 0 <= score <= 40):
        errors.add("score", "De score is een getal van 0 tot en met 40.")
    errors.raise_if_any()
    result = lbt_outcome(
        taken_on=taken_on,
        score=score,
        visual_impairment=ontheffing == LbtOntheffing.VISUEEL,
        auditive_impairment_unable=ontheffing == LbtOntheffing.AUDITIEF,
    )
    current.taken_on, current.score, current.ontheffing = taken_on, score, ontheffing
    current.outcome, current.threshold = result.outcome.value, result.threshold
    current.result_recorded_at, current.result_recorded_by = timezone.now(), actor.user
    current.save()
    record_event(
        actor=actor, event_type="lbt_result_recorded", purpose=PURPOSE_CASEWORK, client_file=client_file,
        subject=current, changes={"outcome": {"old": "onbekend", "new": current.outcome},
                                  "threshold": current.threshold, "ontheffing": ontheffing},
        via=via,
    )  # fmt: skip
    refresh_file_deadline(client_file)  # the next step on the worklists follows this change
    return current


# ---------------------------------------------------------------------------------------------------------------
# Route advice


@transaction.atomic
def choose_route(
    *, actor: Actor, client_file: ClientFile, chosen_route: str, onderwijsroute_considered: str,
    deviation_reason: str = "", via: str = "ui",
) -> RouteAdvice:  # fmt: skip
    """Record the advice of this moment and the route the klantregisseur chose (insert-only). Another route than
    advised needs a reason; the onderwijsroute is always weighed in writing (RvS 24-12-2024, ECLI:NL:RVS:2024:5413)."""
    _require_change(actor)
    locked = _lock(client_file)
    _require_open(locked)
    lbt = selectors.latest_lbt_result(locked)
    advice = selectors.current_advice(client_file, as_of=today(), lbt=lbt)
    errors = FieldErrors()
    deviation_reason, considered = deviation_reason.strip(), onderwijsroute_considered.strip()
    if advice.route is None:
        raise ApplicationError(
            "Er is nog geen advies. Leg eerst de uitslag van de leerbaarheidstoets of de ontheffing vast."
        )
    if chosen_route not in Leerroute.values:
        errors.add("chosen_route", "Kies de B1-route, de onderwijsroute of de Z-route.")
    elif chosen_route != advice.route and not deviation_reason:
        errors.add(
            "deviation_reason",
            f"U kiest een andere route dan het advies ({advice.route.label}). Schrijf op waarom.",
        )
    if not considered:
        errors.add(
            "onderwijsroute_considered",
            "Schrijf op hoe u de onderwijsroute heeft afgewogen. Dat is altijd nodig (Raad van State, "
            "24 december 2024).",
        )
    for name, text in (("deviation_reason", deviation_reason), ("onderwijsroute_considered", considered)):
        if len(text) > 5000:
            errors.add(name, "Gebruik maximaal 5.000 tekens.")
    errors.raise_if_any()
    route_advice = RouteAdvice.objects.create(
        client_file=locked, advised_route=advice.route, advice_reasons=advice.reasons_text, chosen_route=chosen_route,
        deviation_reason=deviation_reason if chosen_route != advice.route else "",
        onderwijsroute_considered=considered, lbt=lbt, created_at=timezone.now(), created_by=actor.user,
    )  # fmt: skip
    record_event(
        actor=actor, event_type="route_advice_recorded", purpose=PURPOSE_CASEWORK, client_file=locked,
        subject=route_advice,
        changes={"advised_route": advice.route.value, "chosen_route": {"old": None, "new": chosen_route},
                 "deviates": chosen_route != advice.route},
        via=via,
    )  # fmt: skip
    return route_advice
