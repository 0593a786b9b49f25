"""Shared parts of the PIP services: the edited fields, the Dutch messages for ``rules.PipError``, labels, and the
small helpers every step uses (events, audit, residence, termijn, the read of a PIP)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.audit.services import record_event
from openinburgering.clients import services as client_services
from openinburgering.clients.access import health_readable_persons
from openinburgering.clients.models import ClientFile

from ..models import PipEvent, PipVersion

PURPOSE = client_services.PURPOSE_CASEWORK
LETTER_TEMPLATE = "letters/pip_beschikking.html"
LETTER_TITLE = "Besluit: uw persoonlijk plan inburgering en participatie (PIP)"

# The fields of a concept that staff edit (the rest is set by the steps of the procedure).
DRAFT_FIELDS = (
    "leerroute", "level", "estimated_b1_intensity", "lesson_hours_per_week", "pvt_intensity", "map_intensity",
    "begeleiding", "receives_bijstand", "bijstand_start_on", "vve", "kinderopvang", "reiskosten", "lestijden",
    "duaal", "progress_talks_count", "progress_talk_dates", "summary", "route_switch_exception", "change_reason",
)  # fmt: skip
# Copied into a new version from the current vastgestelde one (new voortgangsgesprekken are planned anew).
COPIED_FIELDS = (
    *(
        name
        for name in DRAFT_FIELDS
        if name not in ("progress_talks_count", "progress_talk_dates", "route_switch_exception", "change_reason")
    ),
    "ontzorgen_applies",
    "ontzorgen_start_on",
    "ontzorgen_end_on",
    "ontzorgen_items",
)
AGREEMENT_FIELDS = ("leefgebied", "goal", "action", "responsible", "due_on")
MAX_AGREEMENTS = 60
MAX_PROGRESS_TALKS = 24
TEXT_LIMIT = 10_000

# Every reason DUO refuses a PIP (rules.PipError), as a Dutch message and the field it belongs to.
PIP_ERROR_MESSAGES: dict[rules.PipError, tuple[str, str]] = {
    rules.PipError.A2_NOT_WITH_ONDERWIJS: (
        "level",
        "In de onderwijsroute kan het taalniveau niet A2 zijn. Kies B1 of laat het niveau op standaard staan.",
    ),
    rules.PipError.B1_NOT_WITH_Z: (
        "level",
        "In de Z-route hoort geen taalniveau B1. Kies A2 of laat het niveau op standaard staan.",
    ),
    rules.PipError.A2_NOT_ON_FIRST_B1_PIP: (
        "level",
        "In het eerste PIP van de B1-route kan het niveau niet A2 zijn. Afschalen naar A2 kan pas later "
        "(artikel 17 lid 3 Wet inburgering 2021).",
    ),
    rules.PipError.INTENSITY_ONLY_B1_ASIEL: (
        "estimated_b1_intensity",
        "Een geschatte intensiteit van de B1-route hoort alleen bij asielstatushouders in de B1-route "
        "(artikel 15 lid 2 Wet inburgering 2021). Maak dit veld leeg.",
    ),
    rules.PipError.DAGTEKENING_BEFORE_PLICHT: (
        "dagtekening",
        "De dagtekening van het PIP ligt voor het begin van de inburgeringsplicht. DUO neemt dit PIP niet aan. "
        "Controleer de datum van de kennisgeving in het dossier.",
    ),
    rules.PipError.DAGTEKENING_BEFORE_PREVIOUS: (
        "dagtekening",
        "De dagtekening ligt voor de dagtekening van het vorige PIP. DUO neemt dit PIP niet aan.",
    ),
    rules.PipError.DAGTEKENING_BEFORE_SETTLEMENT: (
        "dagtekening",
        "De dagtekening ligt voor de datum waarop de persoon in de gemeente is ingeschreven. DUO neemt dit PIP "
        "niet aan. Controleer de datum van inschrijving in het dossier.",
    ),
}

ONTZORGEN_LABELS: dict[str, str] = {
    rules.OntzorgenItem.HUUR: "de huur",
    rules.OntzorgenItem.GAS: "gas",
    rules.OntzorgenItem.WATER: "water",
    rules.OntzorgenItem.STROOM: "stroom",
    rules.OntzorgenItem.ZORGVERZEKERING: "de premie van de verplichte zorgverzekering",
}

SWITCH_EXCEPTION_LABELS = {
    "": "Geen uitzondering",
    rules.SwitchException.NON_EXEMPTING_EDUCATION: "Na een niet-vrijstellende opleiding (artikel 5.4 lid 2 Besluit)",
    rules.SwitchException.SPECIAL_CASE: "Bijzonder geval (artikel 5.4 lid 3 Besluit)",
}


# ---------------------------------------------------------------------------------------------------------------
# Helpers


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    return value


def _event(version: PipVersion, kind: str, actor: Actor, comment: str = "") -> PipEvent:
    return PipEvent.objects.create(
        version=version, kind=kind, comment=comment, occurred_at=timezone.now(), actor=actor.user
    )


def _audit(actor: Actor, event_type: str, client_file: ClientFile, subject: Any, via: str, **changes: Any) -> None:
    record_event(
        actor=actor, event_type=event_type, purpose=PURPOSE, client_file=client_file, subject=subject,
        changes={key: _json(value) for key, value in changes.items()}, via=via,
    )  # fmt: skip


def _residence(client_file: ClientFile) -> rules.Residence:
    try:
        return rules.Residence(client_file.residence)
    except ValueError:
        return rules.Residence.OTHER


def _level(value: str) -> rules.Level | None:
    return rules.Level(value) if value else None


def effective_level_label(client_file: ClientFile, version: PipVersion) -> str:
    """The level DUO registers for this version (``pip_validation.effective_level``: B1 by default for the
    B1-route and the onderwijsroute, none for the Z-route), as the letter shows it."""
    try:
        doelgroep = rules.Doelgroep(client_file.doelgroep)
    except ValueError:
        doelgroep = rules.Doelgroep.OVERIG  # only the intensity check uses the doelgroep; not the level
    level = rules.pip_validation(
        leerroute=rules.Leerroute(version.leerroute), first_pip=False, doelgroep=doelgroep, level=_level(version.level)
    ).effective_level
    return str(level) if level is not None else "Geen vast taalniveau (Z-route)"


def _text(value: Any) -> str:
    return str(value or "").strip()


def ontzorgen_labels(items: list[str]) -> list[str]:
    """The Dutch names of the fixed costs the gemeente pays (Pw 56a lid 2)."""
    return [ONTZORGEN_LABELS.get(item, item) for item in items]


def record_pip_read(
    *, actor: Actor, client_file: ClientFile, subject: Any = None, event_type: str = "pip_viewed", via: str = "ui"
) -> None:
    """Logs a read of PIP data (doelbinding: casework). Call inside the request's transaction."""
    record_event(
        actor=actor, event_type=event_type, purpose=PURPOSE, client_file=client_file,
        subject=subject if subject is not None else client_file, via=via,
    )  # fmt: skip


def ontzorgen_for(client_file: ClientFile, *, receives_bijstand: bool, bijstand_start_on: date | None) -> Any:
    """Pw 56a from the rules: a plichtige under the Wet inburgering 2021 (every file here is one)."""
    return rules.ontzorgen(
        plichtig_wi2021=True,
        residence=_residence(client_file),
        receives_bijstand=receives_bijstand,
        bijstand_start_on=bijstand_start_on if receives_bijstand else None,
    )


def health_open(actor: Actor, client_file: ClientFile) -> bool:
    """Whether the actor may see the PIP's agreements on gezondheid: health data of the file's own person, shown
    only to a role with the gezondheid section while that person's consent stands (#12 item 1)."""
    return client_file.person_id in health_readable_persons(actor, client_file)
