"""Referrals with consent and the warme-overdracht package (#14 items 2-4). Keyword-only, atomic, audited in the same
transaction.

- A referral goes to an offer on the gemeente's sociale kaart (its own or the region's); another organisation is
  refused with a Dutch error.
- It carries its own consent: for exactly this purpose, this recipient and this data set (the sections in the
  package). Without a recorded consent there is no referral. A withdrawal ends the partner's access at once
  (``netwerk.access`` asks for a standing consent on every request).
- Status: concept → verzonden → geaccepteerd / geweigerd → gestart → afgerond / teruggemeld (``TRANSITIONS``);
  every change is a new ``ReferralStatusChange`` row with who and when.
- The partner's answer (refusal, end, report) puts the referral on the klantregisseur's worklist (follow-up date
  today); an unanswered referral escalates after the gemeente's term (``escalate_unanswered``, run by a job).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.sections import Section
from openinburgering.audit.services import record_event
from openinburgering.clients.access import access_section
from openinburgering.clients.models import ClientFile
from openinburgering.clients.validation import FieldErrors
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict, NotFound

from . import selectors
from .models import (
    HandoverPackage,
    Offer,
    PackageReceipt,
    Referral,
    ReferralConsent,
    ReferralConsentWithdrawal,
    ReferralStatus,
    ReferralStatusChange,
    Urgency,
)
from .package import PACKAGE_SECTIONS, build_snapshot

PURPOSE = "verwijzing naar een ketenpartner (zorg en netwerk)"
QUESTION_LIMIT = 2_000
MESSAGE_LIMIT = 2_000
S = ReferralStatus

# The partner's moves: (from, to) → whether a message (reason or report) is required.
TRANSITIONS: dict[tuple[str, str], bool] = {
    (S.VERZONDEN, S.GEACCEPTEERD): False,
    (S.VERZONDEN, S.GEWEIGERD): True,
    (S.GEACCEPTEERD, S.GESTART): False,
    (S.GEACCEPTEERD, S.TERUGGEMELD): True,
    (S.GESTART, S.AFGEROND): True,
    (S.GESTART, S.TERUGGEMELD): True,
}
ANSWER_STATUSES = (S.GEACCEPTEERD, S.GEWEIGERD)
BACK_TO_REGIE = (S.GEWEIGERD, S.AFGEROND, S.TERUGGEMELD)


def partner_purpose(referral: Referral) -> str:
    """The purpose of a partner's read: this referral (shown in the file's audit trail and to the client)."""
    return f"verwijzing {referral.pk} (warme overdracht)"


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


def _text(data: Mapping[str, Any], field: str, limit: int, errors: FieldErrors, *, required: str = "") -> str:
    text = str(data.get(field) or "").strip()
    if not text and required:
        errors.add(field, required)
    elif len(text) > limit:
        errors.add(field, f"Gebruik maximaal {limit:,} tekens.".replace(",", "."))
    return text


def _history(referral: Referral, actor: Actor, from_status: str, to_status: str, message: str = "") -> None:
    ReferralStatusChange.objects.create(
        referral=referral, from_status=from_status, to_status=to_status, message=message,
        changed_at=timezone.now(), changed_by=actor.user,
    )  # fmt: skip


def _check_sections(actor: Actor, client_file: ClientFile, sections: list[str], errors: FieldErrors) -> list[str]:
    chosen = [str(s) for s in PACKAGE_SECTIONS if s in sections]
    unknown = [s for s in sections if s not in PACKAGE_SECTIONS]
    if unknown:
        errors.add("sections", "Kies alleen basisgegevens, brede intake of gezondheid.")
    for section in chosen:
        try:
            person = client_file.person_id if section == Section.GEZONDHEID else None
            access_section(actor, client_file, section, person=person)
        except NotFound:
            if section == Section.GEZONDHEID:
                errors.add("sections", "Gezondheid kan alleen mee als de inburgeraar toestemming gaf voor gezondheid.")
            else:
                errors.add("sections", "U mag dit deel van het dossier niet inzien, dus ook niet meesturen.")
    return chosen


@transaction.atomic
def create_referral(*, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui") -> Referral:
    """A referral in concept with its consent and package. ``data``: offer (id), question, urgency, follow_up_on,
    sections (list), consent_given_by, consent_given_on, consent_basis, consent_confirmed (bool)."""
    access_section(actor, client_file, Section.BEGELEIDING, write=True)
    errors = FieldErrors()
    offer: Offer | None = None
    raw_offer = data.get("offer")
    offer_id = raw_offer.pk if isinstance(raw_offer, Offer) else raw_offer
    if offer_id in (None, ""):
        errors.add("offer", "Kies een aanbod van de sociale kaart.")
    else:
        try:
            offer = selectors.offers_for(actor.gemeente).filter(pk=int(str(offer_id))).first()
        except ValueError:
            offer = None
        if offer is None:
            errors.add("offer", "Dit aanbod hoort niet bij de sociale kaart van uw gemeente of arbeidsmarktregio.")
        elif not offer.organisation.partner_users.exists():
            errors.add("offer", "Deze organisatie kan nog geen verwijzingen ontvangen in Open Inburgering.")
    question = _text(data, "question", QUESTION_LIMIT, errors, required="Schrijf de hulpvraag op.")
    urgency = str(data.get("urgency") or Urgency.NORMAAL)
    if urgency not in Urgency.values:
        errors.add("urgency", "Kies de urgentie: normaal, hoog of crisis.")
    follow_up_on = _date(data.get("follow_up_on"), "follow_up_on", errors)
    if follow_up_on is not None and follow_up_on < today():
        errors.add("follow_up_on", "Kies een datum vanaf vandaag om de verwijzing op te volgen.")
    sections = _check_sections(actor, client_file, list(data.get("sections") or []), errors)
    if not data.get("consent_confirmed"):
        errors.add("consent_confirmed", "Zonder toestemming van de inburgeraar kunt u niet verwijzen.")
    given_by = _text(data, "consent_given_by", 200, errors, required="Schrijf op wie toestemming gaf.")
    given_on = _date(data.get("consent_given_on"), "consent_given_on", errors)
    if given_on is None and "consent_given_on" not in errors.errors:
        errors.add("consent_given_on", "Vul in wanneer de toestemming is gegeven.")
    elif given_on is not None and given_on > today():
        errors.add("consent_given_on", "De datum van de toestemming ligt in de toekomst.")
    basis = _text(data, "consent_basis", 200, errors, required="Schrijf op hoe de toestemming is gegeven.")
    errors.raise_if_any()
    if offer is None or given_on is None:  # pragma: no cover -- raise_if_any above already refused these
        raise ApplicationError("Controleer de gegevens.")
    now = timezone.now()
    referral = Referral.objects.create(
        gemeente_id=actor.gemeente_id, client_file=client_file, offer=offer, organisation=offer.organisation,
        theme=offer.theme, question=question, urgency=urgency, created_at=now, created_by=actor.user,
        follow_up_on=follow_up_on or today() + timedelta(days=selectors.answer_days(actor.gemeente_id)),
    )  # fmt: skip
    _history(referral, actor, "", S.CONCEPT)
    consent = ReferralConsent.objects.create(
        referral=referral, recipient=offer.organisation, sections=sections, given_by=given_by, given_on=given_on,
        basis=basis, recorded_by=actor.user, recorded_at=now,
        purpose=f"Verwijzing naar {offer.name} van {offer.organisation.name}"[:300],
    )  # fmt: skip
    package = HandoverPackage.objects.create(
        referral=referral, sections=sections, content=build_snapshot(client_file, sections),
        built_at=now, built_by=actor.user,
    )  # fmt: skip
    common: dict[str, Any] = {"actor": actor, "purpose": PURPOSE, "client_file": client_file, "via": via}
    created = {"offer": offer.pk, "organisation": offer.organisation_id, "urgency": urgency}
    record_event(event_type="referral_created", subject=referral, changes=created, **common)
    record_event(event_type="referral_consent_recorded", subject=consent,
                 changes={"recipient": offer.organisation_id, "sections": sections}, **common)  # fmt: skip
    record_event(event_type="handover_package_compiled", subject=package, changes={"sections": sections}, **common)
    return referral


def _standing_consent(referral: Referral) -> ReferralConsent:
    consent = ReferralConsent.objects.filter(referral=referral, withdrawal__isnull=True).first()
    if consent is None:
        raise ApplicationError("De toestemming voor deze verwijzing is ingetrokken. Versturen of delen kan niet meer.")
    return consent


@transaction.atomic
def send_referral(*, actor: Actor, referral: Referral, via: str = "ui") -> Referral:
    """Concept → verzonden: the partner sees it in its inbox from now on."""
    access_section(actor, referral.client_file, Section.BEGELEIDING, write=True)
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if current.status != S.CONCEPT:
        raise Conflict("Deze verwijzing is al verstuurd.")
    _standing_consent(current)
    current.status, current.sent_at = S.VERZONDEN, timezone.now()
    current.save(update_fields=["status", "sent_at"])
    _history(current, actor, S.CONCEPT, S.VERZONDEN)
    record_event(actor=actor, event_type="referral_dispatched", purpose=PURPOSE, client_file=referral.client_file,
                 subject=current, changes={"status": {"old": S.CONCEPT, "new": S.VERZONDEN}}, via=via)  # fmt: skip
    return current


@transaction.atomic
def withdraw_consent(*, actor: Actor, referral: Referral, withdrawn_on: date, via: str = "ui") -> None:
    """The client withdraws consent (recorded by the klantregisseur): the partner's next request is a 404."""
    access_section(actor, referral.client_file, Section.BEGELEIDING, write=True)
    Referral.objects.select_for_update().filter(pk=referral.pk).first()
    consent = ReferralConsent.objects.filter(referral=referral).first()
    if consent is None or ReferralConsentWithdrawal.objects.filter(consent=consent).exists():
        raise Conflict("Deze toestemming is al ingetrokken.")
    if withdrawn_on > today() or withdrawn_on < consent.given_on:
        raise ApplicationError(
            "De datum van intrekken ligt in de toekomst of vóór de toestemming.",
            field_errors={"withdrawn_on": ["De datum van intrekken ligt in de toekomst of vóór de toestemming."]},
        )
    ReferralConsentWithdrawal.objects.create(
        consent=consent, withdrawn_on=withdrawn_on, recorded_by=actor.user, recorded_at=timezone.now()
    )
    record_event(actor=actor, event_type="referral_consent_revoked", purpose=PURPOSE,
                 client_file=referral.client_file, subject=consent,
                 changes={"withdrawn_on": withdrawn_on.isoformat()}, via=via)  # fmt: skip


@transaction.atomic
def set_follow_up(*, actor: Actor, referral: Referral, follow_up_on: date | None, via: str = "ui") -> Referral:
    """The klantregisseur followed the referral up: a new date, or none (nothing to follow up now)."""
    access_section(actor, referral.client_file, Section.BEGELEIDING, write=True)
    if follow_up_on is not None and follow_up_on <= today():
        raise ApplicationError(
            "Kies een datum na vandaag.", field_errors={"follow_up_on": ["Kies een datum na vandaag."]}
        )
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    old = current.follow_up_on
    current.follow_up_on = follow_up_on
    current.save(update_fields=["follow_up_on"])
    record_event(actor=actor, event_type="referral_followed_up", purpose=PURPOSE, client_file=referral.client_file,
                 subject=current, via=via, changes={"follow_up_on": {
                     "old": old.isoformat() if old else None,
                     "new": follow_up_on.isoformat() if follow_up_on else None}})  # fmt: skip
    return current


@transaction.atomic
def partner_transition(
    *, actor: Actor, referral: Referral, to_status: str, message: str = "", via: str = "ui"
) -> Referral:
    """The partner accepts, refuses (with a reason), starts, ends or reports back (with a message). Caller reached
    the referral through ``netwerk.access.access_partner_referral``."""
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    _standing_consent(current)
    key = (current.status, to_status)
    if key not in TRANSITIONS:
        raise ApplicationError(
            f"Van '{current.get_status_display()}' kan de verwijzing niet naar '{to_status}'.",
            field_errors={"to_status": ["Deze stap kan nu niet."]},
        )
    text = (message or "").strip()
    if TRANSITIONS[key] and not text:
        needed = "Geef de reden van de weigering." if to_status == S.GEWEIGERD else "Schrijf de terugmelding op."
        raise ApplicationError(needed, field_errors={"message": [needed]})
    if len(text) > MESSAGE_LIMIT:
        raise ApplicationError(
            "Gebruik maximaal 2.000 tekens.", field_errors={"message": ["Gebruik maximaal 2.000 tekens."]}
        )
    old = current.status
    current.status = to_status
    fields = ["status"]
    if to_status in ANSWER_STATUSES:
        current.answered_at = timezone.now()
        fields.append("answered_at")
    if to_status in BACK_TO_REGIE:
        current.follow_up_on = today()  # on the klantregisseur's worklist from today
        fields.append("follow_up_on")
    current.save(update_fields=fields)
    _history(current, actor, old, to_status, text)
    record_event(actor=actor, event_type="referral_status_changed", purpose=partner_purpose(current),
                 client_file=current.client_file, subject=current,
                 changes={"status": {"old": old, "new": to_status}}, via=via)  # fmt: skip
    return current


@transaction.atomic
def acknowledge_package(*, actor: Actor, referral: Referral, via: str = "ui") -> PackageReceipt:
    """The partner confirms it received the warme-overdracht package."""
    package = HandoverPackage.objects.select_for_update().get(referral=referral)
    if PackageReceipt.objects.filter(package=package).exists():
        raise Conflict("U heeft de ontvangst al bevestigd.")
    receipt = PackageReceipt.objects.create(package=package, acknowledged_at=timezone.now(), acknowledged_by=actor.user)
    record_event(actor=actor, event_type="handover_package_acknowledged", purpose=partner_purpose(referral),
                 client_file=referral.client_file, subject=package, via=via)  # fmt: skip
    return receipt


def record_partner_read(*, actor: Actor, referral: Referral, event_type: str, via: str = "ui") -> None:
    """Every read by a partner, with the referral as purpose; the client sees it in the file's audit trail."""
    record_event(actor=actor, event_type=event_type, purpose=partner_purpose(referral),
                 client_file=referral.client_file, subject=referral, via=via)  # fmt: skip


def record_staff_read(*, actor: Actor, client_file: ClientFile, event_type: str, subject: Any = None,
                      via: str = "ui") -> None:  # fmt: skip
    record_event(actor=actor, event_type=event_type, purpose=PURPOSE, client_file=client_file,
                 subject=subject or client_file, via=via)  # fmt: skip


@transaction.atomic
def escalate_unanswered(*, now: Any = None) -> int:
    """Sent referrals without an answer after the gemeente's term: escalated once, and on the klantregisseur's
    worklist from today. Idempotent (``escalated_at`` is set once). Returns how many escalated."""
    moment = now or timezone.now()
    count = 0
    candidates = Referral.objects.select_for_update().filter(status=S.VERZONDEN, escalated_at__isnull=True)
    terms: dict[int, int] = {}
    for referral in candidates.select_related("client_file"):
        days = terms.setdefault(referral.gemeente_id, selectors.answer_days(referral.gemeente_id))
        if referral.sent_at is None or referral.sent_at + timedelta(days=days) > moment:
            continue
        referral.escalated_at, referral.follow_up_on = moment, timezone.localdate(moment)  # the Amsterdam day
        referral.save(update_fields=["escalated_at", "follow_up_on"])
        record_event(
            event_type="referral_escalated", purpose=PURPOSE, gemeente=referral.client_file.gemeente,
            client_file=referral.client_file, subject=referral, changes={"term_days": days}, via="job",
        )  # fmt: skip
        count += 1
    return count
