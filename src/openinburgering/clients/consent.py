"""Recording and withdrawing the client's consent (AVG art. 9 lid 2 sub a for health data; #12 item 1).

A withdrawal takes effect at once: from that moment ``clients.access.access_section`` closes the section the consent
opened, for everyone. Both are insert-only and audited in the same transaction."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.sections import Section
from openinburgering.audit.services import record_event
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict

from .access import access_section
from .models import ClientFile, Consent, ConsentPurpose, ConsentWithdrawal
from .services import PURPOSE_CASEWORK


def consents_of(client_file: ClientFile) -> list[Consent]:
    return list(Consent.objects.filter(client_file=client_file).select_related("withdrawal", "recorded_by"))


@transaction.atomic
def record_consent(
    *, actor: Actor, client_file: ClientFile, purpose: str, given_on: date, how: str, via: str = "ui"
) -> Consent:
    access_section(actor, client_file, Section.BASIS, write=True)
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
    ClientFile.objects.select_for_update().filter(pk=client_file.pk).first()  # one consent at a time per file
    active = Consent.objects.filter(client_file=client_file, purpose=purpose, withdrawal__isnull=True)
    if active.exists():
        raise Conflict("Deze toestemming is al vastgelegd en niet ingetrokken.")
    consent = Consent.objects.create(
        client_file=client_file,
        purpose=purpose,
        given_on=given_on,
        how=how.strip(),
        recorded_by=actor.user,
        recorded_at=timezone.now(),
    )
    record_event(
        actor=actor, event_type="consent_recorded", purpose=PURPOSE_CASEWORK, client_file=client_file,
        subject=consent, changes={"purpose": purpose, "given_on": given_on.isoformat()}, via=via,
    )  # fmt: skip
    return consent


@transaction.atomic
def withdraw_consent(*, actor: Actor, consent: Consent, withdrawn_on: date, via: str = "ui") -> ConsentWithdrawal:
    """Withdraw on behalf of the client. Effective at once, also for sections already open in another browser."""
    client_file = consent.client_file
    access_section(actor, client_file, Section.BASIS, write=True)
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
        actor=actor, event_type="consent_withdrawn", purpose=PURPOSE_CASEWORK, client_file=client_file,
        subject=consent, changes={"purpose": consent.purpose, "withdrawn_on": withdrawn_on.isoformat()}, via=via,
    )  # fmt: skip
    return withdrawal
