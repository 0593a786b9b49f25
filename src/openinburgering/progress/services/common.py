"""Shared parts of the voortgang services: labels, and the helpers every part uses (audit, the read of a file,
percentages, text)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.audit.services import record_event
from openinburgering.clients import services as client_services
from openinburgering.clients.models import ClientFile
from openinburgering.intakes.choices import Leerroute
from openinburgering.providers.choices import Component

PURPOSE = client_services.PURPOSE_CASEWORK
TEXT_LIMIT = 10_000
NT2_COMPONENTS = (Component.B1_LESSEN,)
ROUTE_LABELS = dict(Leerroute.choices)
EXAM_PART_LABELS = {
    rules.ExamPart.LEZEN: "Lezen",
    rules.ExamPart.LUISTEREN: "Luisteren",
    rules.ExamPart.SCHRIJVEN: "Schrijven",
    rules.ExamPart.SPREKEN: "Spreken",
    rules.ExamPart.KNM: "Kennis van de Nederlandse maatschappij (KNM)",
}
AFSCHALEN_LABELS = {
    rules.AfschalenReason.NOT_B1_ROUTE: "Afschalen kan alleen in de B1-route.",
    rules.AfschalenReason.UNDER_600_HOURS: "Er zijn nog geen 600 uur NT2-les gevolgd (artikel 5.5 Besluit).",
    rules.AfschalenReason.INSUFFICIENT_EFFORT: (
        "De persoon heeft zich volgens de klantregisseur niet genoeg ingespannen."
    ),
    rules.AfschalenReason.B1_REACHABLE: "B1 is volgens de klantregisseur nog haalbaar binnen de termijn.",
    rules.AfschalenReason.ALLOWED: "Afschalen naar A2 mag. Maak een nieuwe PIP-versie met niveau A2.",
}
SWITCH_LABELS = {
    rules.SwitchReason.SAME_ROUTE: "Dit is de huidige leerroute.",
    rules.SwitchReason.ONDERWIJS_TO_B1: "Van onderwijsroute naar B1-route kan altijd (artikel 5.4 lid 1 Besluit).",
    rules.SwitchReason.WITHIN_WINDOW: "Kan: binnen de eerste 18 maanden van de termijn.",
    rules.SwitchReason.NON_EXEMPTING_EDUCATION: "Kan: na een niet-vrijstellende opleiding (artikel 5.4 lid 2).",
    rules.SwitchReason.SPECIAL_CASE: "Kan: bijzonder geval (artikel 5.4 lid 3).",
    rules.SwitchReason.WINDOW_CLOSED: "Kan niet meer: de 18 maanden zijn voorbij (alleen met een uitzondering).",
}
SWITCH_EXCEPTIONS = tuple(rules.SwitchException)


# ---------------------------------------------------------------------------------------------------------------
# Helpers


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _audit(
    actor: Actor,
    event_type: str,
    via: str,
    *,
    client_file: ClientFile | None = None,
    subject: Any = None,
    **changes: Any,
) -> None:
    record_event(
        actor=actor, event_type=event_type, purpose=PURPOSE, client_file=client_file, subject=subject,
        changes={key: _json(value) for key, value in changes.items()}, via=via,
    )  # fmt: skip


def record_read(*, actor: Actor, client_file: ClientFile, event_type: str, via: str = "ui") -> None:
    """Logs a read of the voortgang (doelbinding: casework). Call inside the request's transaction."""
    _audit(actor, event_type, via, client_file=client_file, subject=client_file)


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole <= 0:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _text(value: Any) -> str:
    return str(value or "").strip()
