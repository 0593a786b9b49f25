"""Module milestones: progress report, PVT signed, MAP theme, MAP ready for the eindgesprek."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.clients.validation import FieldErrors
from openinburgering.core import dates as core_dates
from openinburgering.core.errors import ApplicationError

from ..choices import MILESTONE_COMPONENTS, REPORTABLE_STATUSES, MapTheme, MilestoneKind
from ..models import Enrolment, ModuleMilestone
from ._common import _audit

MILESTONE_NOTE_LIMIT = 2_000


@transaction.atomic
def record_milestone(*, actor: Actor, enrolment: Enrolment, data: dict[str, Any], via: str = "ui") -> ModuleMilestone:
    """A provider's report about the module (insert-only). A progress report needs its text; a PVT signing, a MAP
    theme and MAP-ready are reported once per enrolment and only for a PVT or MAP placement."""
    errors = FieldErrors()
    kind = str(data.get("kind") or "")
    theme = str(data.get("theme") or "")
    note = str(data.get("note") or "").strip()
    happened_on: date | None = data.get("happened_on")
    if kind not in MilestoneKind.values:
        errors.add("kind", "Kies wat u meldt.")
    elif enrolment.component not in MILESTONE_COMPONENTS[kind]:
        errors.add(
            "kind",
            f"'{MilestoneKind(kind).label}' kunt u niet melden voor een plaatsing voor "
            f"'{enrolment.get_component_display()}'.",
        )
    if kind == MilestoneKind.MAP_THEMA and theme not in MapTheme.values:
        errors.add("theme", "Kies het MAP-thema dat de persoon heeft afgerond.")
    if kind != MilestoneKind.MAP_THEMA:
        theme = ""
    if kind == MilestoneKind.VOORTGANGSVERSLAG and not note:
        errors.add("note", "Schrijf het voortgangsverslag.")
    if len(note) > MILESTONE_NOTE_LIMIT:
        errors.add("note", "Gebruik maximaal 2.000 tekens.")
    if happened_on is None:
        errors.add("happened_on", "Vul de datum in.")
    elif happened_on > core_dates.today():
        errors.add("happened_on", "De datum ligt in de toekomst. Meld het pas als het gebeurd is.")
    if enrolment.status not in REPORTABLE_STATUSES:
        errors.add("enrolment", "Voor deze plaatsing kunt u (nog) niets melden. Accepteer de plaatsing eerst.")
    errors.raise_if_any()
    assert happened_on is not None
    if kind != MilestoneKind.VOORTGANGSVERSLAG:
        earlier = ModuleMilestone.objects.filter(enrolment=enrolment, kind=kind, theme=theme).first()
        if earlier is not None:
            raise ApplicationError(
                "Dit is al gemeld.",
                field_errors={"kind": [f"Dit is al gemeld op {earlier.happened_on:%d-%m-%Y}. Het hoeft niet opnieuw."]},
            )
    milestone = ModuleMilestone.objects.create(
        enrolment=enrolment, kind=kind, theme=theme, happened_on=happened_on, note=note,
        recorded_at=timezone.now(), recorded_by=actor.user, via=via,
    )  # fmt: skip
    _audit(
        actor, "module_milestone_recorded", subject=milestone, via=via, client_file=enrolment.client_file,
        kind=kind, theme=theme, happened_on=happened_on,
    )  # fmt: skip
    return milestone
