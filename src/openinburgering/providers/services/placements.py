"""Enrolments (klantregisseur) and their status (the provider accepts or declines)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.clients.models import ClientFile
from openinburgering.clients.validation import FieldErrors
from openinburgering.core.errors import ApplicationError, Conflict

from ..choices import ACTIVE_STATUSES, TRANSITIONS, Component, EnrolmentStatus
from ..models import Contract, Enrolment, EnrolmentEvent
from ._common import MAX_HOURS_PER_WEEK, _audit, _hours, _text


def contract_covers_file(contract: Contract, client_file: ClientFile) -> bool:
    return contract.gemeente_id == client_file.gemeente_id or (
        contract.region_id is not None and contract.region_id == client_file.gemeente.region_id
    )


def _event(enrolment: Enrolment, actor: Actor, from_status: str, to_status: str, reason: str, via: str) -> None:
    EnrolmentEvent.objects.create(
        enrolment=enrolment,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        occurred_at=timezone.now(),
        actor=actor.user,
        via=via,
    )


@transaction.atomic
def create_enrolment(*, actor: Actor, client_file: ClientFile, data: dict[str, Any], via: str = "ui") -> Enrolment:
    """Places the person with a provider under a contract. The caller locked the file
    (access_client_file(..., for_write=True)); the contract row is locked here, so its capacity holds."""
    errors = FieldErrors()
    component = str(data.get("component") or "")
    if component not in Component.values:
        errors.add("component", "Kies een onderdeel.")
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("provider")
        .filter(pk=data.get("contract_id") or 0)
        .first()
    )
    if contract is None or not contract_covers_file(contract, client_file):
        errors.add("contract", "Kies een contract van uw gemeente of uw arbeidsmarktregio.")
        contract = None
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on is None:
        errors.add("starts_on", "Vul de startdatum in.")
    if ends_on is None:
        errors.add("ends_on", "Vul de einddatum in.")
    if starts_on and ends_on and ends_on < starts_on:
        errors.add("ends_on", "De einddatum moet na de startdatum liggen.")
    hours = _hours(data.get("hours_per_week"), "hours_per_week", errors, maximum=MAX_HOURS_PER_WEEK)
    if hours is not None and hours <= 0:
        errors.add("hours_per_week", "Vul in hoeveel uren per week de persoon meedoet (meer dan 0).")
    if contract is not None:
        if component and component not in contract.components:
            errors.add("contract", "Dit contract dekt dit onderdeel niet. Kies een ander contract of onderdeel.")
        if starts_on and not (contract.starts_on <= starts_on <= contract.ends_on):
            errors.add(
                "starts_on",
                f"Het contract loopt van {contract.starts_on:%d-%m-%Y} tot en met {contract.ends_on:%d-%m-%Y}. "
                "Kies een startdatum in die periode.",
            )
        if ends_on and ends_on > contract.ends_on:
            errors.add(
                "ends_on", f"Het contract loopt tot en met {contract.ends_on:%d-%m-%Y}. Kies een eerdere einddatum."
            )
    errors.raise_if_any()
    assert contract is not None
    assert starts_on is not None
    assert ends_on is not None
    assert hours is not None
    if Enrolment.objects.filter(client_file=client_file, component=component, status__in=ACTIVE_STATUSES).exists():
        raise Conflict(
            "Deze persoon heeft al een lopende plaatsing voor dit onderdeel.",
            field_errors={"component": ["Er is al een lopende plaatsing voor dit onderdeel."]},
        )
    taken = Enrolment.objects.filter(contract=contract, status__in=ACTIVE_STATUSES).count()
    if taken >= contract.capacity:
        raise Conflict(
            "Het contract is vol.",
            field_errors={
                "contract": [f"Alle {contract.capacity} plaatsen van dit contract zijn bezet. Kies een ander contract."]
            },
        )
    enrolment = Enrolment.objects.create(
        client_file=client_file,
        provider=contract.provider,
        contract=contract,
        component=component,
        starts_on=starts_on,
        ends_on=ends_on,
        hours_per_week=hours,
        created_at=timezone.now(),
        created_by=actor.user,
    )
    _event(enrolment, actor, "", EnrolmentStatus.VOORGESTELD, "", via)
    _audit(
        actor,
        "enrolment_created",
        subject=enrolment,
        via=via,
        client_file=client_file,
        provider=contract.provider.name,
        contract=contract.pk,
        component=component,
        starts_on=starts_on,
        ends_on=ends_on,
        hours_per_week=hours,
    )
    return enrolment


NEEDS_REASON = (EnrolmentStatus.GEWEIGERD, EnrolmentStatus.GESTOPT)


@transaction.atomic
def change_status(
    *, actor: Actor, enrolment: Enrolment, to_status: str, reason: str = "", via: str = "ui"
) -> Enrolment:
    """voorgesteld → geaccepteerd / geweigerd (reason) / gestopt; geaccepteerd → gestopt (reason) / afgerond.
    The caller locked the enrolment; every change is an EnrolmentEvent and an audit event."""
    reason = _text(reason, 2000)
    if to_status not in TRANSITIONS.get(enrolment.status, ()):
        raise Conflict(
            f"Een plaatsing met status {enrolment.get_status_display().lower()} kan niet meer naar "
            f"{EnrolmentStatus(to_status).label.lower() if to_status in EnrolmentStatus.values else to_status}."
        )
    if to_status in NEEDS_REASON and not reason:
        raise ApplicationError("Vul een reden in.", field_errors={"reason": ["Vul een reden in."]})
    from_status = enrolment.status
    enrolment.status = to_status
    enrolment.status_reason = reason
    enrolment.save(update_fields=["status", "status_reason", "updated_at"])
    _event(enrolment, actor, from_status, to_status, reason, via)
    _audit(
        actor,
        "enrolment_status_changed",
        subject=enrolment,
        via=via,
        client_file=enrolment.client_file,
        status={"old": from_status, "new": to_status},
    )
    return enrolment


def accept(*, actor: Actor, enrolment: Enrolment, via: str = "ui") -> Enrolment:
    return change_status(actor=actor, enrolment=enrolment, to_status=EnrolmentStatus.GEACCEPTEERD, via=via)


def decline(*, actor: Actor, enrolment: Enrolment, reason: str, via: str = "ui") -> Enrolment:
    return change_status(actor=actor, enrolment=enrolment, to_status=EnrolmentStatus.GEWEIGERD, reason=reason, via=via)
