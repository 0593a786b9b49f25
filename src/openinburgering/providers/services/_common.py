"""Helpers shared by the services of the providers app: audit, text and hours parsing, the provider lock."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from openinburgering.accounts.actor import Actor
from openinburgering.audit.services import EventSubject, record_event, record_events
from openinburgering.clients.models import ClientFile
from openinburgering.clients.services import PURPOSE_CASEWORK
from openinburgering.clients.validation import FieldErrors

from ..models import Enrolment, Provider

PURPOSE = PURPOSE_CASEWORK
PURPOSE_CONTRACTS = "contractbeheer"
MAX_HOURS = Decimal("168")
MAX_HOURS_PER_WEEK = Decimal("60")


# ---------------------------------------------------------------------------------------------------------------
# Audit helpers


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    return value


def _audit(
    actor: Actor,
    event_type: str,
    *,
    subject: Any,
    via: str,
    client_file: ClientFile | None = None,
    purpose: str = PURPOSE,
    extra: dict[str, Any] | None = None,
    **changes: Any,
) -> None:
    record_event(
        actor=actor,
        event_type=event_type,
        purpose=purpose,
        client_file=client_file,
        subject=subject,
        via=via,
        gemeente=client_file.gemeente if client_file is not None else None,
        changes={key: _json(value) for key, value in changes.items()} | (extra or {}),
    )


def record_enrolment_reads(actor: Actor, enrolments: list[Enrolment], *, event_type: str, via: str) -> None:
    """One read event per enrolment shown (with its client file), written in ONE insert so a list page keeps a
    constant number of queries. The same fields as audit.services.record_event; call inside the transaction."""
    record_events(
        event_type=event_type,
        purpose=PURPOSE,
        actor=actor,
        via=via,
        subjects=(
            EventSubject(enrolment.client_file.gemeente_id, enrolment.client_file_id, "enrolment", str(enrolment.pk))
            for enrolment in enrolments
        ),
    )


def record_enrolment_read(actor: Actor, enrolment: Enrolment, *, event_type: str, via: str = "ui") -> None:
    _audit(actor, event_type, subject=enrolment, via=via, client_file=enrolment.client_file)


def record_file_read(actor: Actor, client_file: ClientFile, *, event_type: str) -> None:
    """A page of the providers app that shows a client file's person (the plaatsen form) was opened."""
    _audit(actor, event_type, subject=client_file, via="ui", client_file=client_file)


def _text(value: Any, limit: int = 200) -> str:
    return str(value or "").strip()[:limit]


def _hours(value: Any, name: str, errors: FieldErrors, *, maximum: Decimal = MAX_HOURS) -> Decimal | None:
    if value is None or value == "":
        errors.add(name, "Vul het aantal uren in.")
        return None
    try:
        hours = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        errors.add(name, "Vul een getal in, bijvoorbeeld 4 of 2,5.")
        return None
    if not hours.is_finite():
        errors.add(name, "Vul een getal in, bijvoorbeeld 4 of 2,5.")
        return None
    if hours < 0:
        errors.add(name, "Het aantal uren kan niet negatief zijn.")
        return None
    if hours > maximum:
        errors.add(name, f"Dat zijn te veel uren. Het kan hoogstens {maximum} zijn.")
        return None
    if hours != hours.quantize(Decimal("0.1")):
        errors.add(name, "Gebruik hoogstens 1 cijfer achter de komma.")
        return None
    return hours.quantize(Decimal("0.1"))


def _lock_provider(provider: Provider) -> None:
    Provider.objects.select_for_update().filter(pk=provider.pk).first()
