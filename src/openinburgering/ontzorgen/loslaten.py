"""Begeleid loslaten (#13 item 5): the plan toward financial self-reliance in the last two months of ontzorgen.

The plan has steps with a due date from ``rules.ontzorgen.loslaten_dates``: budget coaching (a monthly budget
made together), the client paying one obligation themself first (doing that step ends the obligation the day
before the client pays it, so later runs no longer pay it; #13 gap 5), a check that the toeslagen reach the
client's own account, and the end of ontzorgen: a step done by sending the client a letter (PDF, B1 Dutch,
"u"). Open steps are on the financieel consulent's worklist. Steps are insert-only; a done step is a
``LoslatenStepDone`` row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.audit.services import record_event
from openinburgering.clients.models import ClientFile
from openinburgering.clients.validation import FieldErrors
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.letters.services import create_letter
from openinburgering.rules.dates import add_months
from openinburgering.rules.ontzorgen import LOSLATEN_MONTHS, loslaten_dates

from .models import Obligation, OntzorgenRecord
from .models_aftercare import LoslatenStep, LoslatenStepDone, LoslatenStepKind, ToeslagKind
from .periods import month_start, next_month
from .services import PURPOSE as ONTZORGEN_PURPOSE
from .services import change_obligation
from .toeslagen import latest_toeslagen, toeslag_started

PURPOSE = ONTZORGEN_PURPOSE
MAX_TEXT = 2_000
END_LETTER_TEMPLATE = "ontzorgen/letters/einde_ontzorgen.html"
END_LETTER_TITLE = "Het ontzorgen stopt: u betaalt uw vaste lasten straks zelf"
WORKLIST_LOOKAHEAD_DAYS = 14
"""Open steps due within two weeks (or overdue) are on the worklist."""


def _record(client_file: ClientFile) -> OntzorgenRecord:
    record = OntzorgenRecord.objects.filter(client_file=client_file).first()
    if record is None or not record.applies or record.end_on is None:
        raise ApplicationError("Voor deze klant loopt geen ontzorgen. Een plan voor loslaten is dan niet nodig.")
    return record


def _obligation(client_file: ClientFile, value: Any, errors: FieldErrors) -> Obligation | None:
    if value in (None, ""):
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        errors.add("obligation", "Kies een vaste last van deze klant.")
        return None
    obligation = Obligation.objects.filter(pk=pk, client_file=client_file).first()
    if obligation is None:
        errors.add("obligation", "Kies een vaste last van deze klant.")
    return obligation


@transaction.atomic
def plan_loslaten(
    *, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui"
) -> list[LoslatenStep]:
    """Make the plan: four steps with their due dates from the rules. Once per file (Conflict the second time)."""
    record = _record(client_file)
    assert record.end_on is not None
    if LoslatenStep.objects.filter(client_file=client_file, kind=LoslatenStepKind.EINDE).exists():
        raise Conflict("Er is al een plan voor begeleid loslaten. Voeg zo nodig een stap toe.")
    errors = FieldErrors()
    obligation = _obligation(client_file, data.get("obligation"), errors)
    if obligation is None and "obligation" not in errors.errors:
        errors.add("obligation", "Kies de vaste last die de klant als eerste zelf gaat betalen.")
    coaching = str(data.get("coaching") or "").strip()
    if len(coaching) > MAX_TEXT:
        errors.add("coaching", f"Gebruik hoogstens {MAX_TEXT} tekens.")
    errors.raise_if_any()
    assert obligation is not None
    dates = loslaten_dates(ontzorgen_end_on=record.end_on)
    now = timezone.now()
    common = {"client_file": client_file, "created_at": now, "created_by": actor.user}
    steps = [
        LoslatenStep(
            kind=LoslatenStepKind.BUDGETCOACHING, due_on=dates.budgetcoaching_on,
            description=coaching or "Samen met de klant een maandbegroting maken: inkomsten, vaste lasten, toeslagen.",
            **common,
        ),
        LoslatenStep(
            kind=LoslatenStepKind.TOESLAGEN, due_on=dates.budgetcoaching_on,
            description=(
                "Controleren dat huurtoeslag en zorgtoeslag zijn aangevraagd en op de rekening van de klant komen."
            ),
            **common,
        ),
        LoslatenStep(
            kind=LoslatenStepKind.ZELF_BETALEN, due_on=dates.zelf_betalen_on, obligation=obligation,
            description=f"De klant betaalt {obligation.get_kind_display().lower()} ({obligation.creditor_name}) "
            "vanaf nu zelf. De gemeente betaalt deze vaste last niet meer.",
            **common,
        ),
        LoslatenStep(
            kind=LoslatenStepKind.EINDE, due_on=dates.ends_on,
            description="Het ontzorgen stopt. De klant krijgt een brief met wat er verandert.",
            **common,
        ),
    ]  # fmt: skip
    created = LoslatenStep.objects.bulk_create(steps)
    record_event(
        actor=actor, event_type="loslaten_planned", purpose=PURPOSE, client_file=client_file,
        subject_type="loslatenstep", subject_id=",".join(str(step.pk) for step in created),
        changes={"starts_on": dates.starts_on.isoformat(), "ends_on": dates.ends_on.isoformat(),
                 "obligation": obligation.pk},
        via=via,
    )  # fmt: skip
    return created


def check_step(client_file: ClientFile, data: Mapping[str, Any]) -> dict[str, Any]:
    errors = FieldErrors()
    description = str(data.get("description") or "").strip()
    if not description:
        errors.add("description", "Schrijf op wat er gebeurt.")
    elif len(description) > MAX_TEXT:
        errors.add("description", f"Gebruik hoogstens {MAX_TEXT} tekens.")
    due_on = data.get("due_on")
    if not isinstance(due_on, date):
        try:
            due_on = date.fromisoformat(str(due_on or ""))
        except ValueError:
            errors.add("due_on", "Vul een datum in zoals 2026-12-31.")
            due_on = None
    errors.raise_if_any()
    return {"description": description, "due_on": due_on}


@transaction.atomic
def add_step(*, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui") -> LoslatenStep:
    """An extra step (kind "overig") in the plan."""
    _record(client_file)
    clean = check_step(client_file, data)
    step = LoslatenStep.objects.create(
        client_file=client_file, kind=LoslatenStepKind.OVERIG, created_at=timezone.now(), created_by=actor.user,
        **clean,
    )  # fmt: skip
    record_event(
        actor=actor, event_type="loslaten_step_added", purpose=PURPOSE, client_file=client_file, subject=step,
        changes={"due_on": step.due_on.isoformat()}, via=via,
    )  # fmt: skip
    return step


def access_step(client_file: ClientFile, step_id: int | str) -> LoslatenStep:
    try:
        pk = int(step_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    step = LoslatenStep.objects.select_related("obligation").filter(pk=pk, client_file=client_file).first()
    if step is None:
        raise NotFound()
    step.client_file = client_file
    return step


def end_letter_context(client_file: ClientFile, step: LoslatenStep) -> dict[str, Any]:
    """What the end-of-ontzorgen letter says: the last day, the vaste lasten the client pays from then on, and
    which toeslagen have not started yet."""
    record = _record(client_file)
    obligations = list(Obligation.objects.filter(client_file=client_file).order_by("kind", "id"))
    latest = latest_toeslagen([client_file.pk]).get(client_file.pk, {})
    self_paid = self_paid_obligations(client_file.pk)
    assert record.end_on is not None
    open_toeslagen = [
        ToeslagKind(kind).label
        for kind in ToeslagKind.values
        if not toeslag_started(latest.get(kind), by=record.end_on)
    ]
    return {
        "title": END_LETTER_TITLE,
        "reference": f"OZ-EINDE-{step.pk}",
        "ends_on": record.end_on,
        "first_own_month": record.end_on + timedelta(days=1),
        "obligations": [
            {
                "kind": o.get_kind_display(),
                "creditor": o.creditor_name,
                "amount": Decimal(o.amount_cents) / 100,
                "already_since": o.end_on + timedelta(days=1) if o.pk in self_paid and o.end_on else None,
            }
            for o in obligations
            if o.end_on is None or o.end_on >= record.end_on or o.pk in self_paid
        ],
        "open_toeslagen": open_toeslagen,
    }


@transaction.atomic
def complete_step(
    *, actor: Actor, client_file: ClientFile, step: LoslatenStep, data: Mapping[str, Any], today: date,
    via: str = "ui",
) -> LoslatenStepDone:  # fmt: skip
    """Mark a step done (once). The end step sends the letter to the client in the same transaction."""
    if LoslatenStepDone.objects.filter(step=step).exists():
        raise Conflict("Deze stap is al gedaan.")
    errors = FieldErrors()
    note = str(data.get("note") or "").strip()
    if len(note) > MAX_TEXT:
        errors.add("note", f"Gebruik hoogstens {MAX_TEXT} tekens.")
    done_on = data.get("done_on") or today
    if not isinstance(done_on, date):
        try:
            done_on = date.fromisoformat(str(done_on))
        except ValueError:
            errors.add("done_on", "Vul een datum in zoals 2026-12-31.")
    if isinstance(done_on, date) and done_on > today:
        errors.add("done_on", "Een stap kan niet in de toekomst gedaan zijn.")
    pays_from = _pays_from(step, data, done_on, errors)
    errors.raise_if_any()
    changes: dict[str, Any] = {"kind": step.kind}
    if pays_from is not None:
        changes |= _client_takes_over(actor, client_file, step, pays_from, via)
    letter = None
    if step.kind == LoslatenStepKind.EINDE:
        letter = create_letter(
            actor=actor, client_file=client_file, kind="ontzorgen_einde", template_name=END_LETTER_TEMPLATE,
            context=end_letter_context(client_file, step), subject=step, via=via,
        )  # fmt: skip
    done = LoslatenStepDone.objects.create(
        step=step, done_on=done_on, note=note, letter=letter, recorded_at=timezone.now(), recorded_by=actor.user
    )
    record_event(
        actor=actor, event_type="loslaten_step_completed", purpose=PURPOSE, client_file=client_file, subject=step,
        changes={**changes, "letter": letter.pk if letter else None}, via=via,
    )  # fmt: skip
    return done


def _pays_from(step: LoslatenStep, data: Mapping[str, Any], done_on: Any, errors: FieldErrors) -> date | None:
    """For "zelf betalen": the first day the client pays the obligation themself (default: the first day of the
    month after the step was done). None for every other step."""
    if step.kind != LoslatenStepKind.ZELF_BETALEN or step.obligation is None:
        return None
    value = data.get("pays_from")
    if value in (None, ""):
        return next_month(month_start(done_on)) if isinstance(done_on, date) else None
    if isinstance(value, date):
        pays_from = value
    else:
        try:
            pays_from = date.fromisoformat(str(value))
        except ValueError:
            errors.add("pays_from", "Vul een datum in zoals 2026-12-01.")
            return None
    if pays_from <= step.obligation.start_on:
        errors.add(
            "pays_from",
            f"De gemeente betaalt deze vaste last pas vanaf {step.obligation.start_on:%d-%m-%Y}. "
            "Kies een latere dag waarop de klant zelf gaat betalen.",
        )
        return None
    return pays_from


def _client_takes_over(
    actor: Actor, client_file: ClientFile, step: LoslatenStep, pays_from: date, via: str
) -> dict[str, Any]:
    """Partial loslaten (#13 gap 5): the obligation ends the day before the client pays it; later runs no longer pay
    it, and a month already paid from then on is corrected at once (to reclaim or settled with the creditor)."""
    obligation = step.obligation
    assert obligation is not None
    last_day = pays_from - timedelta(days=1)
    if obligation.end_on is None or obligation.end_on > last_day:
        change_obligation(
            actor=actor, client_file=client_file, obligation=obligation, data={"end_on": last_day}, via=via,
            correction_reason=f"de klant betaalt dit zelf vanaf {pays_from:%d-%m-%Y}",
        )  # fmt: skip
        obligation.refresh_from_db()
    return {"obligation": obligation.pk, "pays_from": pays_from.isoformat(), "obligation_end_on": last_day.isoformat()}


# ---------------------------------------------------------------------------------------------------------------
# Reading


def self_paid_obligations(client_file_id: int) -> set[int]:
    """The obligations the client took over in begeleid loslaten (a done "zelf betalen" step). One query."""
    return set(
        LoslatenStep.objects.filter(
            client_file_id=client_file_id, kind=LoslatenStepKind.ZELF_BETALEN, done__isnull=False,
            obligation__isnull=False,
        ).values_list("obligation_id", flat=True)
    )  # fmt: skip


def steps_of(client_file: ClientFile) -> list[LoslatenStep]:
    return list(
        LoslatenStep.objects.filter(client_file=client_file)
        .select_related("obligation", "done", "done__letter")
        .order_by("due_on", "id")
    )


@dataclass(frozen=True, slots=True)
class StepRow:
    step: LoslatenStep
    overdue: bool


def open_steps(*, gemeente_id: int, as_of: date, limit: int = 200) -> list[StepRow]:
    """Open steps of the gemeente due within two weeks or overdue: one query."""
    steps = (
        LoslatenStep.objects.filter(
            client_file__gemeente_id=gemeente_id,
            done__isnull=True,
            due_on__lte=as_of + timedelta(days=WORKLIST_LOOKAHEAD_DAYS),
        )
        .select_related("client_file", "client_file__person", "obligation")
        .order_by("due_on", "id")[:limit]
    )
    return [StepRow(step=step, overdue=step.due_on < as_of) for step in steps]


def files_needing_a_plan(*, gemeente_id: int, as_of: date) -> list[OntzorgenRecord]:
    """Ontzorgen whose last two months start within two weeks (or started) without a plan yet."""
    horizon = add_months(as_of + timedelta(days=WORKLIST_LOOKAHEAD_DAYS), LOSLATEN_MONTHS)
    records = (
        OntzorgenRecord.objects.filter(gemeente_id=gemeente_id, applies=True, end_on__gte=as_of, end_on__lt=horizon)
        .exclude(client_file__loslaten_steps__kind=LoslatenStepKind.EINDE)
        .select_related("client_file", "client_file__person")
        .order_by("end_on", "client_file_id")
    )
    return list(records)
