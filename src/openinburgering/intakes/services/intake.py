"""The brede intake: start it for a household member, save the assessment per leefgebied, complete it. Keyword-only,
atomic, audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.audit.services import record_event
from openinburgering.clients.consent import record_consent_from_intake
from openinburgering.clients.models import ClientFile
from openinburgering.clients.services import PURPOSE_CASEWORK, refresh_file_deadline
from openinburgering.clients.validation import FieldErrors
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.rules import IntakeStep

from .. import leefgebieden, selectors
from ..choices import IntakeStatus, Leefgebied
from ..models import Intake, LeefgebiedAssessment
from .common import _lock, _require_change, _require_open

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
