"""Household changes: members are added and ended, never deleted. Audited on the client file they serve."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from openinburgering.accounts.actor import Actor
from openinburgering.audit.services import record_event
from openinburgering.clients.models import ClientFile, Person
from openinburgering.clients.services import PERSON_FIELDS, PURPOSE_CASEWORK
from openinburgering.clients.validation import FieldErrors, check_person
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict, NotFound

from .models import Household, HouseholdMember, Relation


def current_household(person: Person) -> Household | None:
    membership = person.household_memberships.filter(ended_on__isnull=True).select_related("household").first()
    return membership.household if membership else None


@transaction.atomic
def add_household_member(
    *,
    actor: Actor,
    client_file: ClientFile,
    relation: str,
    started_on: date,
    person_data: dict[str, Any],
    education_kind: str = "",
    education_name: str = "",
    via: str = "ui",
) -> HouseholdMember:
    """Adds a partner, child or other member to the household of the file's person (creating the household
    and the person's own membership when needed). A known person (same BSN in this gemeente) is reused."""
    if relation not in Relation.values or relation == Relation.AANVRAGER:
        raise ApplicationError(
            "Kies de relatie.", field_errors={"relation": ["Kies partner, kind of ander gezinslid."]}
        )
    now_day = today()
    errors = FieldErrors()
    if started_on > now_day:
        errors.add("started_on", "De startdatum kan niet in de toekomst liggen.")
    errors.raise_if_any()
    head = Person.objects.select_for_update().get(pk=client_file.person_id)
    household = current_household(head)
    if household is None:
        household = Household.objects.create(gemeente_id=actor.gemeente_id)
        HouseholdMember.objects.create(
            household=household,
            person=head,
            relation=Relation.AANVRAGER,
            started_on=min(client_file.opened_on, started_on),
        )
    data = {k: v for k, v in person_data.items() if k in PERSON_FIELDS}
    bsn = str(data.get("bsn") or "")
    person = Person.objects.filter(gemeente_id=actor.gemeente_id, bsn=bsn).first() if bsn else None
    if person is None:
        cleaned = check_person(gemeente_id=actor.gemeente_id, data=data, today=now_day)
        birth_on = cleaned.get("birth_on")
        if isinstance(birth_on, date) and started_on < birth_on:
            raise ApplicationError(
                "Controleer de startdatum.", field_errors={"started_on": ["De startdatum ligt voor de geboortedatum."]}
            )
        person = Person.objects.create(gemeente_id=actor.gemeente_id, **cleaned)
    if person.pk == head.pk:
        raise ApplicationError("Deze persoon is de inburgeraar zelf.")
    try:
        with transaction.atomic():
            member = HouseholdMember.objects.create(
                household=household, person=person, relation=relation, started_on=started_on,
                education_kind=education_kind, education_name=education_name.strip(),
            )  # fmt: skip
    except IntegrityError as exc:
        raise Conflict("Deze persoon hoort al bij een huishouden. Beëindig dat eerst.") from exc
    record_event(
        actor=actor, event_type="household_member_added", purpose=PURPOSE_CASEWORK, client_file=client_file,
        subject=member, changes={"relation": {"old": None, "new": relation}}, via=via,
    )  # fmt: skip
    return member


@transaction.atomic
def end_household_member(
    *, actor: Actor, client_file: ClientFile, member_id: int, ended_on: date, reason: str, via: str = "ui"
) -> HouseholdMember:
    household = current_household(client_file.person)
    member = (
        HouseholdMember.objects.select_for_update().filter(pk=member_id, household=household).first()
        if household
        else None
    )
    if member is None or member.ended_on is not None:
        raise NotFound()
    if member.person_id == client_file.person_id:
        raise ApplicationError("De inburgeraar zelf blijft in het huishouden van dit dossier.")
    errors = FieldErrors()
    if ended_on < member.started_on:
        errors.add("ended_on", "De einddatum ligt voor de startdatum.")
    if ended_on > today():
        errors.add("ended_on", "De einddatum kan niet in de toekomst liggen.")
    if not reason.strip():
        errors.add("reason", "Geef een reden.")
    errors.raise_if_any()
    member.ended_on = ended_on
    member.ended_reason = reason.strip()
    member.save(update_fields=["ended_on", "ended_reason"])
    record_event(
        actor=actor, event_type="household_member_ended", purpose=PURPOSE_CASEWORK, client_file=client_file,
        subject=member, changes={"ended_on": {"old": None, "new": ended_on.isoformat()}}, via=via,
    )  # fmt: skip
    return member
