"""Shared parts of the handhaving services: constants, the Keren caution, and the helpers every step uses (text,
audit, the read of a file, the current PIP)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.audit.services import record_event
from openinburgering.clients import services as client_services
from openinburgering.clients.models import ClientFile
from openinburgering.plans.choices import PipStatus
from openinburgering.plans.models import PipVersion

PURPOSE = client_services.PURPOSE_CASEWORK
LETTER_TEMPLATE = "handhaving/letters/boete_w23.html"
LETTER_TITLE = "Besluit: u krijgt een boete omdat u zich niet aan uw PIP heeft gehouden"
TEXT_LIMIT = 10_000
MAX_HOURS = Decimal("5000")
LANGUAGE_PARTS = tuple(part for part in rules.ExamPart if part != rules.ExamPart.KNM)
W22_FINE_STEPS = (rules.IntakeStep.FINE_AND_NEW_TERM.value, rules.IntakeStep.FINE_AND_INTAKE_IN_ABSENCE.value)

KEREN_REFERENCE = "HvJ EU 4 februari 2025, zaak C-158/23 (Keren)"
KEREN_CAUTION = (
    "Let op: deze persoon is asielstatushouder. Het Hof van Justitie van de EU (4 februari 2025, zaak C-158/23, "
    "Keren) zegt: een boete mag alleen als uitzondering, als bewezen is dat de persoon steeds niet wil meedoen "
    "(persistente onwil). De boete moet ook evenredig zijn. Na Keren is de Raad van State (9 juli 2025, "
    "ECLI:NL:RVS:2025:3087) streng; wat dit betekent voor boetes onder de Wet inburgering 2021 is nog niet zeker. "
    "Leg daarom vast waaruit de persistente onwil blijkt en waarom de boete evenredig is."
)

MISSING_LABELS: dict[str, str] = {
    rules.Missing.PVT: "Participatieverklaringstraject (PVT) ondertekend",
    rules.Missing.MAP: "Module arbeidsmarkt en participatie (MAP) afgerond",
    rules.Missing.LEZEN: "Examen lezen",
    rules.Missing.LUISTEREN: "Examen luisteren",
    rules.Missing.SCHRIJVEN: "Examen schrijven",
    rules.Missing.SPREKEN: "Examen spreken",
    rules.Missing.KNM: "Examen kennis van de Nederlandse maatschappij (KNM)",
    rules.Missing.ONDERWIJSROUTE: "Onderwijsroute afgerond (of alle examens op B1 en KNM)",
    rules.Missing.Z_COURSE_HOURS: "Cursusuren Z-route (800, min vrijgestelde uren)",
    rules.Missing.Z_PARTICIPATION_HOURS: "Participatie-uren Z-route (800, min uren PVT en MAP)",
    rules.Missing.Z_FINAL_INTERVIEW: "Eindgesprek Z-route met de gemeente",
}

UNMET_LABELS: dict[str, str] = {
    rules.EffortUnmet.NOT_B1_ROUTE: "Verlenging om inspanningen kan alleen in de B1-route.",
    rules.EffortUnmet.LESSONS: "Niet alle lessen gevolgd (gezinsmigranten en overige migranten: minstens 450 uur).",
    rules.EffortUnmet.EXAM_PARTS: "Minder dan 2 taalonderdelen gehaald (op A2 of hoger).",
    rules.EffortUnmet.KNM: "KNM is nog niet gehaald.",
    rules.EffortUnmet.PVT: "De PVT is nog niet klaar.",
    rules.EffortUnmet.MAP: "De MAP is nog niet klaar.",
    rules.EffortUnmet.REQUEST_TOO_EARLY: "Het is nog te vroeg voor de aanvraag.",
    rules.EffortUnmet.REQUEST_TOO_LATE: "De termijn is al voorbij.",
}


# ---------------------------------------------------------------------------------------------------------------
# Helpers


def _text(value: Any) -> str:
    return str(value or "").strip()


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _audit(actor: Actor, event_type: str, client_file: ClientFile, subject: Any, via: str, **changes: Any) -> None:
    record_event(
        actor=actor, event_type=event_type, purpose=PURPOSE, client_file=client_file, subject=subject,
        changes={key: _json(value) for key, value in changes.items()}, via=via,
    )  # fmt: skip


def record_read(
    *, actor: Actor, client_file: ClientFile, event_type: str, via: str = "ui", subject: Any = None
) -> None:
    """Logs a read of handhaving data (doelbinding: casework). Call inside the request's transaction."""
    record_event(
        actor=actor, event_type=event_type, purpose=PURPOSE, client_file=client_file,
        subject=subject if subject is not None else client_file, via=via,
    )  # fmt: skip


def is_asielstatushouder(client_file: ClientFile) -> bool:
    return client_file.doelgroep == rules.Doelgroep.ASIELSTATUSHOUDER.value


def current_pip(client_file: ClientFile) -> PipVersion | None:
    return PipVersion.objects.filter(client_file=client_file, status=PipStatus.VASTGESTELD).first()
