"""Vervolg na de inburgering: recording a follow-up contact and ending the follow-up. Keyword-only, atomic,
audited in the same transaction; the file's next step (``clients.deadlines``) is refreshed in it too.

Choices (not law; the Wi2021 sets no follow-up period):
- Follow-up can be recorded once the plicht is voldaan, or for a person with a vrijstelling or ontheffing
  (``FOLLOW_UP_STATUSES``); before that the voortgang and the PIP are the place.
- The next contact is a date the klantregisseur plans (after today); no date is computed here.
- Ending the follow-up ends the file (status beëindigd, with the reason) through ``clients.services.change_status``,
  so the status history and the audit trail keep it like every other status change.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.audit.services import record_event
from openinburgering.clients import services as client_services
from openinburgering.clients.choices import FileStatus
from openinburgering.clients.models import ClientFile, StatusChange
from openinburgering.clients.validation import FieldErrors
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError

from .choices import FOLLOW_UP_STATUSES, Situation
from .models import FollowUpRecord

PURPOSE = client_services.PURPOSE_CASEWORK
ORGANISATION_LIMIT = 200
NOTE_LIMIT = 2_000
REASON_LIMIT = 1_000
MAX_HOURS = Decimal("60")
NOT_YET = (
    "Vervolg vastleggen kan als de inburgeringsplicht is voldaan, of bij een vrijstelling of ontheffing. "
    "Dit dossier heeft de status '{status}'."
)


def record_read(*, actor: Actor, client_file: ClientFile, event_type: str, via: str = "ui") -> None:
    """Logs a read of the follow-up (doelbinding: casework). Call inside the request's transaction."""
    record_event(
        actor=actor, event_type=event_type, purpose=PURPOSE, client_file=client_file, subject=client_file, via=via
    )


def _check_status(client_file: ClientFile) -> None:
    if client_file.status not in FOLLOW_UP_STATUSES:
        raise ApplicationError(NOT_YET.format(status=client_file.get_status_display()))


def _date(value: Any, field: str, errors: FieldErrors) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.add(field, "Vul een bestaande datum in, bijvoorbeeld 15-03-2027.")
        return None


def _hours(value: Any, errors: FieldErrors) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        errors.add("hours_per_week", "Vul een aantal uren in, bijvoorbeeld 24 of 12,5.")
        return None
    if not hours.is_finite() or hours < 0 or hours > MAX_HOURS:
        errors.add("hours_per_week", "Vul een aantal uren per week in tussen 0 en 60.")
        return None
    if hours != hours.quantize(Decimal("0.1")):
        errors.add("hours_per_week", "Gebruik hooguit één cijfer achter de komma.")
        return None
    return hours


def _text(value: Any, field: str, limit: int, errors: FieldErrors) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        errors.add(field, f"Gebruik maximaal {limit:,} tekens.".replace(",", "."))
    return text


def clean_record(data: Mapping[str, Any], *, on: date) -> dict[str, Any]:
    """Validates one follow-up contact (every problem at once, in Dutch)."""
    errors = FieldErrors()
    situation = str(data.get("situation") or "")
    if situation not in Situation.values:
        errors.add("situation", "Kies waar de persoon nu staat: werk, opleiding, participatie of een andere situatie.")
    contact_on = _date(data.get("contact_on"), "contact_on", errors)
    if contact_on is None and "contact_on" not in errors.errors:
        errors.add("contact_on", "Vul de datum van het contact in.")
    elif contact_on is not None and contact_on > on:
        errors.add("contact_on", "De datum van het contact kan niet in de toekomst liggen.")
    next_contact_on = _date(data.get("next_contact_on"), "next_contact_on", errors)
    if next_contact_on is not None and next_contact_on <= on:
        errors.add("next_contact_on", "Plan het volgende contact na vandaag.")
    started_on = _date(data.get("started_on"), "started_on", errors)
    hours = _hours(data.get("hours_per_week"), errors)
    organisation = _text(data.get("organisation"), "organisation", ORGANISATION_LIMIT, errors)
    note = _text(data.get("note"), "note", NOTE_LIMIT, errors)
    if situation in (Situation.WERK, Situation.OPLEIDING, Situation.PARTICIPATIE) and not organisation:
        errors.add("organisation", "Vul in bij welke werkgever, school of organisatie.")
    errors.raise_if_any()
    return {
        "situation": situation, "contact_on": contact_on, "next_contact_on": next_contact_on,
        "started_on": started_on, "hours_per_week": hours, "organisation": organisation, "note": note,
    }  # fmt: skip


@transaction.atomic
def record_follow_up(
    *, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui"
) -> FollowUpRecord:
    """A follow-up contact: where the person is now and when the next contact is. Insert-only."""
    current = ClientFile.objects.select_for_update().get(pk=client_file.pk)
    _check_status(current)
    cleaned = clean_record(data, on=today())
    record = FollowUpRecord.objects.create(
        client_file=current, recorded_at=timezone.now(), recorded_by=actor.user, **cleaned
    )
    client_services.refresh_file_deadline(client_file)
    record_event(
        actor=actor, event_type="followup_recorded", purpose=PURPOSE, client_file=current, subject=record,
        changes={
            "situation": record.situation,
            "next_contact_on": record.next_contact_on.isoformat() if record.next_contact_on else None,
        },
        via=via,
    )  # fmt: skip
    return record


@transaction.atomic
def end_follow_up(*, actor: Actor, client_file: ClientFile, reason: str, via: str = "ui") -> StatusChange:
    """Ends the follow-up and with it the file (status beëindigd, reason kept in the status history)."""
    current = ClientFile.objects.select_for_update().get(pk=client_file.pk)
    _check_status(current)
    text = (reason or "").strip()
    if not text:
        raise ApplicationError("Geef een reden.", field_errors={"reason": ["Schrijf waarom het vervolg klaar is."]})
    if len(text) > REASON_LIMIT:
        limit = f"{REASON_LIMIT:,}".replace(",", ".")
        raise ApplicationError("De reden is te lang.", field_errors={"reason": [f"Gebruik maximaal {limit} tekens."]})
    change = client_services.change_status(
        actor=actor, client_file=current, to_status=FileStatus.BEEINDIGD, reason=f"Vervolg afgerond: {text}", via=via
    )
    client_file.status = current.status
    return change
