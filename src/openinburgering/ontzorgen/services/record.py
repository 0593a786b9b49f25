"""The ontzorgen of a file (#13): the period from ``rules.ontzorgen`` with the maatwerk, a Pw 57 extension,
the machtiging and the gemeente's account (the debtor of the SEPA file)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.clients.models import ClientFile
from openinburgering.clients.validation import FieldErrors
from openinburgering.core import dates as core_dates
from openinburgering.core.errors import ApplicationError, NotFound

from ..iban import InvalidIban, bic_for, clean_iban
from ..models import (
    GIVEN_KINDS,
    STATUTORY_ITEMS,
    Machtiging,
    MachtigingKind,
    Obligation,
    ObligationKind,
    OntzorgenExtension,
    OntzorgenRecord,
    OntzorgenSettings,
)
from .common import TEXT_LIMIT, _audit, _date, _text
from .corrections import correct_paid_months, reopen_from

# ---------------------------------------------------------------------------------------------------------------
# Ontzorgen of a file: period (rules.ontzorgen), maatwerk and Pw 57 extension


def _residence(client_file: ClientFile) -> rules.Residence:
    try:
        return rules.Residence(client_file.residence)
    except ValueError:
        return rules.Residence.OTHER


def _recompute(record: OntzorgenRecord) -> None:
    """The period from rules.ontzorgen with the newest Pw 57 extension (every file here is plichtig Wi2021)."""
    newest = record.extensions.order_by("-recorded_at", "-id").first() if record.pk else None
    outcome = rules.ontzorgen(
        plichtig_wi2021=True,
        residence=_residence(record.client_file),
        receives_bijstand=record.receives_bijstand,
        bijstand_start_on=record.bijstand_start_on if record.receives_bijstand else None,
        bijstand_end_on=record.bijstand_end_on if record.receives_bijstand else None,
        extended_until_on=newest.extended_until_on if newest is not None else None,
    )
    record.applies = outcome.applies
    record.reason = str(outcome.reason)
    record.start_on = outcome.start_on
    record.end_on = outcome.end_on


def check_ontzorgen(data: Mapping[str, Any]) -> dict[str, Any]:
    errors = FieldErrors()
    receives = bool(data.get("receives_bijstand"))
    start_on = _date(data.get("bijstand_start_on"))
    end_on = _date(data.get("bijstand_end_on"))
    if receives and start_on is None:
        errors.add("bijstand_start_on", "Vul in vanaf welke dag de persoon recht heeft op bijstand.")
    if _text(data.get("bijstand_start_on")) and start_on is None:
        errors.add("bijstand_start_on", "Vul een geldige datum in.")
    if _text(data.get("bijstand_end_on")) and end_on is None:
        errors.add("bijstand_end_on", "Vul een geldige datum in.")
    if start_on is not None and end_on is not None and end_on < start_on:
        errors.add("bijstand_end_on", "De einddatum van de bijstand ligt voor de begindatum. Controleer de data.")
    raw_items = data.get("items")
    items = list(STATUTORY_ITEMS) if raw_items is None else [_text(item) for item in raw_items]
    unknown = [item for item in items if item not in ObligationKind.values]
    if unknown:
        errors.add("items", "Kies alleen vaste lasten uit de lijst.")
    items = [kind for kind in ObligationKind.values if kind in items]  # fixed order, no duplicates
    reason = _text(data.get("maatwerk_reason"))
    if set(items) != set(STATUTORY_ITEMS) and not reason:
        errors.add(
            "maatwerk_reason",
            "U kiest andere vaste lasten dan de wet noemt (huur, energie, water, zorgverzekering). "
            "Schrijf op waarom (maatwerk).",
        )
    if len(reason) > TEXT_LIMIT:
        errors.add("maatwerk_reason", "Gebruik hoogstens 2.000 tekens.")
    errors.raise_if_any()
    return {
        "receives_bijstand": receives,
        "bijstand_start_on": start_on if receives else None,
        "bijstand_end_on": end_on if receives else None,
        "items": items,
        "maatwerk_reason": reason,
    }


@transaction.atomic
def record_ontzorgen(
    *, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui"
) -> OntzorgenRecord:
    """Record or change the bijstand dates and the maatwerk of a file; the period follows from the rules."""
    if not actor.can(Capability.MANAGE_ONTZORGEN):
        raise NotFound()
    cleaned = check_ontzorgen(data)
    record = OntzorgenRecord.objects.select_for_update().filter(client_file=client_file).first()
    created = record is None
    if record is None:
        record = OntzorgenRecord(client_file=client_file, gemeente_id=client_file.gemeente_id)
    before = {key: getattr(record, key) for key in (*cleaned, "start_on", "end_on", "applies")} if not created else {}
    for key, value in cleaned.items():
        setattr(record, key, value)
    record.client_file = client_file
    _recompute(record)
    record.updated_by = actor.user
    record.save()
    after = {key: getattr(record, key) for key in (*cleaned, "start_on", "end_on", "applies")}
    changes = {key: value for key, value in after.items() if created or before.get(key) != value}
    _audit(actor, "ontzorgen_recorded", client_file, record, via, **changes)
    if not created and any(key in changes for key in ("applies", "start_on", "end_on", "items")):
        _correct_after_period_change(actor, client_file, record, before, via)
    return record


def _correct_after_period_change(
    actor: Actor, client_file: ClientFile, record: OntzorgenRecord, before: dict[str, Any], via: str
) -> None:
    """The period or the maatwerk changed: months already paid that are no longer owed are corrected now (what
    must be reclaimed); months now owed and not paid are paid by the next run (#13 gap 2)."""
    starts = [day for day in (before.get("start_on"), record.start_on) if day is not None]
    if not starts:
        return
    if not record.applies:
        reason = "ontzorgen geldt niet meer"
    elif record.end_on is not None and before.get("end_on") is not None and record.end_on < before["end_on"]:
        reason = f"ontzorgen eindigde op {record.end_on:%d-%m-%Y}"
    else:
        reason = "de periode of het maatwerk van ontzorgen is gewijzigd"
    obligations = list(Obligation.objects.select_for_update().filter(client_file=client_file).order_by("id"))
    correct_paid_months(
        actor=actor, client_file=client_file, record=record, obligations=obligations, first_month=min(starts),
        reason=reason, via=via,
    )  # fmt: skip


@transaction.atomic
def extend_ontzorgen(
    *, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui"
) -> OntzorgenExtension:
    """A Pw 57 decision to continue ontzorgen until a date, with its reason (insert-only)."""
    if not actor.can(Capability.MANAGE_ONTZORGEN):
        raise NotFound()
    record = OntzorgenRecord.objects.select_for_update().filter(client_file=client_file).first()
    if record is None or not record.applies:
        raise ApplicationError("Ontzorgen geldt niet voor deze persoon. Leg eerst de bijstand vast.")
    errors = FieldErrors()
    until = _date(data.get("extended_until_on"))
    decided_on = _date(data.get("decided_on"))
    reason = _text(data.get("reason"))
    if until is None:
        errors.add("extended_until_on", "Vul in tot en met welke dag ontzorgen doorloopt.")
    elif record.end_on is not None and until <= record.end_on:
        errors.add("extended_until_on", "Een verlenging moet na het huidige einde van ontzorgen liggen.")
    if decided_on is None:
        errors.add("decided_on", "Vul de datum van het besluit in.")
    elif decided_on > core_dates.today():
        errors.add("decided_on", "De datum van het besluit kan niet in de toekomst liggen.")
    if not reason:
        errors.add("reason", "Schrijf de reden van de verlenging op (Participatiewet art. 57).")
    elif len(reason) > TEXT_LIMIT:
        errors.add("reason", "Gebruik hoogstens 2.000 tekens.")
    errors.raise_if_any()
    assert until is not None
    assert decided_on is not None
    extension = OntzorgenExtension.objects.create(
        record=record, extended_until_on=until, decided_on=decided_on, reason=reason,
        recorded_at=timezone.now(), recorded_by=actor.user,
    )  # fmt: skip
    previous_end = record.end_on
    record.client_file = client_file
    _recompute(record)
    record.updated_by = actor.user
    record.save()
    if previous_end is not None:
        # Months after the old end that a run already passed are paid by the next run.
        reopen_from(Obligation.objects.filter(client_file=client_file), previous_end)
    _audit(actor, "ontzorgen_extended", client_file, extension, via, extended_until_on=until, end_on=record.end_on)
    return extension


# ---------------------------------------------------------------------------------------------------------------
# Machtiging


@transaction.atomic
def record_machtiging(*, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui") -> Machtiging:
    """The client's machtiging or signed consent, or a refusal or withdrawal with its consequence (insert-only;
    the newest row counts). A Pw 18 maatregel is decided in the bijstand suite; the note says what was done."""
    if not actor.can(Capability.MANAGE_ONTZORGEN):
        raise NotFound()
    errors = FieldErrors()
    kind = _text(data.get("kind"))
    given_on = _date(data.get("given_on"))
    reference = _text(data.get("document_reference"))
    note = _text(data.get("consequence_note"))
    if kind not in MachtigingKind.values:
        errors.add("kind", "Kies wat de persoon heeft gedaan: machtiging, toestemming, geweigerd of ingetrokken.")
    if given_on is None:
        errors.add("given_on", "Vul de datum in.")
    elif given_on > core_dates.today():
        errors.add("given_on", "De datum kan niet in de toekomst liggen.")
    if kind and kind not in GIVEN_KINDS and not note:
        errors.add(
            "consequence_note",
            "Schrijf op wat het gevolg is. Een maatregel (Participatiewet art. 18) besluit de bijstand; "
            "noteer hier wat is besloten of doorgegeven.",
        )
    if len(reference) > 100:
        errors.add("document_reference", "Gebruik hoogstens 100 tekens.")
    if len(note) > TEXT_LIMIT:
        errors.add("consequence_note", "Gebruik hoogstens 2.000 tekens.")
    errors.raise_if_any()
    assert given_on is not None  # checked above
    machtiging = Machtiging.objects.create(
        client_file=client_file, kind=kind, given_on=given_on, document_reference=reference,
        consequence_note=note, recorded_at=timezone.now(), recorded_by=actor.user,
    )  # fmt: skip
    _audit(actor, "machtiging_recorded", client_file, machtiging, via, kind=kind, given_on=given_on)
    return machtiging


# ---------------------------------------------------------------------------------------------------------------
# The gemeente's account


@transaction.atomic
def save_settings(*, actor: Actor, data: Mapping[str, Any], via: str = "ui") -> OntzorgenSettings:
    """The account the gemeente pays from (the debtor of the SEPA file)."""
    if not actor.can(Capability.MANAGE_ONTZORGEN):
        raise NotFound()
    errors = FieldErrors()
    name = _text(data.get("debtor_name"))
    iban = ""
    bic = ""
    if not name:
        errors.add("debtor_name", "Vul de naam van de rekeninghouder in.")
    elif len(name) > 70:
        errors.add("debtor_name", "Gebruik hoogstens 70 tekens.")
    try:
        iban = clean_iban(_text(data.get("debtor_iban")))
        bic = bic_for(iban, _text(data.get("debtor_bic")))
    except InvalidIban as error:
        errors.add("debtor_bic" if "BIC" in error.message else "debtor_iban", error.message)
    errors.raise_if_any()
    settings, _created = OntzorgenSettings.objects.update_or_create(
        gemeente_id=actor.gemeente_id, defaults={"debtor_name": name, "debtor_iban": iban, "debtor_bic": bic}
    )
    _audit(actor, "ontzorgen_settings_changed", None, settings, via, debtor_name=name, debtor_iban=iban)
    return settings
