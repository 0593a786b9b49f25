"""Recording and withdrawing the client's consent (AVG art. 9 lid 2 sub a for health data; #12 item 1).

Consent is per person of the household: the inburgeraar (``person`` empty), a partner or a child each give or refuse
their own. A withdrawal takes effect at once: from that moment ``clients.access`` closes that person's health data,
for everyone. Both are insert-only and audited in the same transaction. The brede intake's gezondheid step asks the
same question and keeps this register in step through ``record_consent_from_intake`` (one audit path)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.sections import Section
from openinburgering.audit.services import record_event
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict
from openinburgering.households.models import HouseholdMember

from .access import access_section, person_consent_filter
from .models import ClientFile, Consent, ConsentPurpose, ConsentWithdrawal, Person
from .services import PURPOSE_CASEWORK

INTAKE_HOW = "Gevraagd in de brede intake (leefgebied gezondheid)"
PERSON_ERROR = "Kies de inburgeraar of iemand uit zijn of haar huishouden."


def consents_of(client_file: ClientFile) -> list[Consent]:
    """Every consent of the file, newest first, with withdrawal, person and recorder (one query)."""
    return list(Consent.objects.filter(client_file=client_file).select_related("withdrawal", "recorded_by", "person"))


def active_consent(client_file: ClientFile, purpose: str, person: Person | int | None = None) -> Consent | None:
    """``person``'s consent for ``purpose`` that stands (default: the file's own person), or None (one query)."""
    return (
        Consent.objects.filter(
            person_consent_filter(client_file, person),
            client_file=client_file,
            purpose=purpose,
            withdrawal__isnull=True,
        )
        .order_by("-recorded_at", "-id")
        .first()
    )


def _person_for(client_file: ClientFile, person: Person | int | None) -> Person | None:
    """The person to store: None for the file's own person, else a person who shares (or shared) a household with
    them. Anyone else is refused with a clear error."""
    person_id = person.pk if isinstance(person, Person) else person
    if person_id is None or person_id == client_file.person_id:
        return None
    member = (
        HouseholdMember.objects.filter(person_id=person_id, household__members__person_id=client_file.person_id)
        .select_related("person")
        .first()
    )
    if member is None:
        raise ApplicationError(PERSON_ERROR, field_errors={"person": [PERSON_ERROR]})
    return member.person


@transaction.atomic
def record_consent(
    *,
    actor: Actor,
    client_file: ClientFile,
    purpose: str,
    given_on: date,
    how: str,
    person: Person | int | None = None,
    via: str = "ui",
) -> Consent:
    """Record ``person``'s consent (default: the file's own person). One standing consent per person and purpose."""
    access_section(actor, client_file, Section.GEZONDHEID, write=True)  # the consent register is part of it
    who = _person_for(client_file, person)
    if purpose not in ConsentPurpose.values:
        raise ApplicationError(
            "Kies waarvoor de inburgeraar toestemming geeft.",
            field_errors={"purpose": ["Kies waarvoor de inburgeraar toestemming geeft."]},
        )
    if given_on > today():
        raise ApplicationError(
            "De datum van de toestemming ligt in de toekomst.",
            field_errors={"given_on": ["De datum van de toestemming ligt in de toekomst."]},
        )
    if not how.strip():
        raise ApplicationError(
            "Schrijf op hoe de toestemming is gegeven, bijvoorbeeld mondeling in het gesprek.",
            field_errors={"how": ["Schrijf op hoe de toestemming is gegeven, bijvoorbeeld mondeling in het gesprek."]},
        )
    if len(how.strip()) > 200:
        raise ApplicationError("Gebruik maximaal 200 tekens.", field_errors={"how": ["Gebruik maximaal 200 tekens."]})
    ClientFile.objects.select_for_update().filter(pk=client_file.pk).first()  # one consent at a time per file
    if active_consent(client_file, purpose, who) is not None:
        raise Conflict("Deze toestemming is al vastgelegd en niet ingetrokken.")
    consent = Consent.objects.create(
        client_file=client_file,
        person=who,
        purpose=purpose,
        given_on=given_on,
        how=how.strip(),
        recorded_by=actor.user,
        recorded_at=timezone.now(),
    )
    record_event(
        actor=actor, event_type="consent_recorded", purpose=PURPOSE_CASEWORK, client_file=client_file,
        subject=consent,
        changes={"purpose": purpose, "given_on": given_on.isoformat(), "person": who.pk if who else None}, via=via,
    )  # fmt: skip
    return consent


@transaction.atomic
def withdraw_consent(*, actor: Actor, consent: Consent, withdrawn_on: date, via: str = "ui") -> ConsentWithdrawal:
    """Withdraw on behalf of the client. Effective at once, also for sections already open in another browser."""
    client_file = consent.client_file
    access_section(actor, client_file, Section.GEZONDHEID, write=True)  # the consent register is part of it
    if withdrawn_on > today() or withdrawn_on < consent.given_on:
        raise ApplicationError(
            "De datum van intrekken ligt in de toekomst of vóór de toestemming.",
            field_errors={"withdrawn_on": ["De datum van intrekken ligt in de toekomst of vóór de toestemming."]},
        )
    if ConsentWithdrawal.objects.filter(consent=consent).exists():
        raise Conflict("Deze toestemming is al ingetrokken.")
    withdrawal = ConsentWithdrawal.objects.create(
        consent=consent, withdrawn_on=withdrawn_on, recorded_by=actor.user, recorded_at=timezone.now()
    )
    record_event(
        actor=actor, event_type="consent_revoked", purpose=PURPOSE_CASEWORK, client_file=client_file,
        subject=consent, changes={"purpose": consent.purpose, "withdrawn_on": withdrawn_on.isoformat()}, via=via,
    )  # fmt: skip
    return withdrawal


def record_consent_from_intake(
    *, actor: Actor, client_file: ClientFile, person: Person | int, answer: str | None, via: str = "ui"
) -> None:
    """The gezondheid step of the brede intake asks "Mag ik iets over uw gezondheid opschrijven?". "ja" records the
    person's consent (unless one stands), "nee" withdraws a standing one; no answer changes nothing. Called inside the
    intake service's transaction, through the same services (and audit events) as the consent register."""
    purpose = ConsentPurpose.GEZONDHEID
    current = active_consent(client_file, purpose, person)
    if answer == "ja" and current is None:
        record_consent(
            actor=actor, client_file=client_file, purpose=purpose, given_on=today(), how=INTAKE_HOW, person=person,
            via=via,
        )  # fmt: skip
    elif answer == "nee" and current is not None:
        withdraw_consent(actor=actor, consent=current, withdrawn_on=today(), via=via)
