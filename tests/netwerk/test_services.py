"""Services of zorg en netwerk: the sociale kaart's scope, referrals with their own consent, the partner's
moves, withdrawal, escalation and the contact card."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from openinburgering.accounts.models import Gemeente
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.demo.netwerk import GGZ
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.netwerk import access, selectors, services
from openinburgering.netwerk.models import (
    HandoverPackage,
    Offer,
    Organisation,
    Referral,
    ReferralConsent,
    ReferralStatusChange,
)
from tests.conftest import actor_for

from .conftest import referral_data

pytestmark = pytest.mark.django_db


def test_the_sociale_kaart_holds_the_gemeentes_own_offers_and_the_regions_shared_ones(partners: Any) -> None:
    haarlem = Gemeente.objects.get(code=HAARLEM)
    zandvoort = Gemeente.objects.get(code=ZANDVOORT)
    assert haarlem.region_id == zandvoort.region_id
    haarlem_names = set(selectors.offers_for(haarlem).values_list("organisation__name", flat=True))
    zandvoort_names = set(selectors.offers_for(zandvoort).values_list("organisation__name", flat=True))
    assert "Schuldhulp Spaarne (fictief)" in haarlem_names  # Haarlem's own
    assert "Schuldhulp Spaarne (fictief)" not in zandvoort_names
    assert GGZ in zandvoort_names  # shared in the region
    found = selectors.offers_for(haarlem, theme="gezondheid", language="tigrinya", place="haarlem")
    assert [offer.name for offer in found] == ["Praten met een psycholoog voor nieuwkomers"]


def test_a_referral_carries_its_own_consent_and_a_snapshot_of_exactly_the_chosen_sections(
    make_referral: Callable[..., Referral],
) -> None:
    referral = make_referral(send=False)
    assert referral.status == "concept"
    consent = ReferralConsent.objects.get(referral=referral)
    assert consent.recipient.name == GGZ
    assert consent.sections == ["basis", "gezondheid"]
    assert consent.purpose == f"Verwijzing naar Praten met een psycholoog voor nieuwkomers van {GGZ}"
    package = HandoverPackage.objects.get(referral=referral)
    assert list(package.content) == ["basis", "gezondheid"]
    assert package.content["basis"]["lines"][0] == ["Naam", "Amal Haddad"]
    events = list(
        AuditEvent.objects.filter(client_file=referral.client_file).order_by("id").values_list("event_type", flat=True)
    )
    assert events[-3:] == ["referral_created", "referral_consent_recorded", "handover_package_compiled"]


def test_a_referral_without_consent_or_outside_the_region_is_refused_in_dutch(
    staff: Any, make_file: Callable[..., ClientFile], ggz_offer: Offer
) -> None:
    kim = actor_for(staff["kim"])
    client_file = make_file(assigned_to="kim")
    elsewhere = Gemeente.objects.exclude(region_id=kim.gemeente.region_id).first()
    other_region = Organisation.objects.create(name="Elders (fictief)", gemeente=elsewhere)
    far_offer = Offer.objects.create(organisation=other_region, name="Ver weg", theme="gezondheid")
    with pytest.raises(ApplicationError) as error:
        services.create_referral(actor=kim, client_file=client_file, data=referral_data(
            far_offer, consent_confirmed=False, sections=["basis"]))  # fmt: skip
    assert error.value.field_errors == {
        "offer": ["Dit aanbod hoort niet bij de sociale kaart van uw gemeente of arbeidsmarktregio."],
        "consent_confirmed": ["Zonder toestemming van de inburgeraar kunt u niet verwijzen."],
    }
    with pytest.raises(ApplicationError) as error:  # gezondheid without the person's health consent
        services.create_referral(actor=kim, client_file=client_file, data=referral_data(ggz_offer))
    assert error.value.field_errors == {
        "sections": ["Gezondheid kan alleen mee als de inburgeraar toestemming gaf voor gezondheid."]
    }
    assert Referral.objects.filter(client_file=client_file).count() == 0


def test_partner_a_never_reaches_partner_bs_referral_and_a_concept_is_not_sent(
    staff: Any, partners: Any, make_referral: Callable[..., Referral]
) -> None:
    sent = make_referral()
    concept = make_referral(send=False, client_file=sent.client_file)
    gijs = actor_for(partners["gijs"])
    sanne = actor_for(partners["sanne"])
    assert access.access_partner_referral(gijs, sent.pk) == sent
    with pytest.raises(NotFound):
        access.access_partner_referral(sanne, sent.pk)
    with pytest.raises(NotFound):
        access.access_partner_referral(gijs, concept.pk)
    with pytest.raises(NotFound):  # staff are no partner
        access.access_partner_referral(actor_for(staff["kim"]), sent.pk)
    organisation = access.partner_organisation(gijs)
    assert list(selectors.inbox_for(organisation, gijs.gemeente_id)) == [sent]


def test_the_partner_accepts_starts_and_reports_back_and_it_lands_on_kims_worklist(
    staff: Any, partners: Any, make_referral: Callable[..., Referral]
) -> None:
    referral = make_referral(follow_up_on=today() + timedelta(days=20))
    gijs = actor_for(partners["gijs"])
    kim = actor_for(staff["kim"])
    assert list(selectors.follow_up_queue(kim, as_of=today())) == []
    with pytest.raises(ApplicationError) as error:
        services.partner_transition(actor=gijs, referral=referral, to_status="afgerond", message="Klaar")
    assert error.value.message == "Van 'Verzonden' kan de verwijzing niet naar 'afgerond'."
    with pytest.raises(ApplicationError) as error:
        services.partner_transition(actor=gijs, referral=referral, to_status="geweigerd")
    assert error.value.field_errors == {"message": ["Geef de reden van de weigering."]}
    services.partner_transition(actor=gijs, referral=referral, to_status="geaccepteerd")
    services.partner_transition(actor=gijs, referral=referral, to_status="gestart")
    services.partner_transition(
        actor=gijs, referral=referral, to_status="teruggemeld", message="Na 3 gesprekken beter."
    )
    referral.refresh_from_db()
    assert referral.answered_at is not None
    history = ReferralStatusChange.objects.filter(referral=referral).values_list("to_status", "changed_by__username")
    assert list(history) == [
        ("concept", "kim"), ("verzonden", "kim"), ("geaccepteerd", "gijs"), ("gestart", "gijs"),
        ("teruggemeld", "gijs"),
    ]  # fmt: skip
    assert list(selectors.follow_up_queue(kim, as_of=today())) == [referral]
    services.set_follow_up(actor=kim, referral=referral, follow_up_on=None)
    assert list(selectors.follow_up_queue(kim, as_of=today())) == []


def test_withdrawn_consent_ends_the_partners_access_at_once(
    staff: Any, partners: Any, make_referral: Callable[..., Referral]
) -> None:
    referral = make_referral()
    gijs = actor_for(partners["gijs"])
    services.withdraw_consent(actor=actor_for(staff["kim"]), referral=referral, withdrawn_on=today())
    with pytest.raises(NotFound):
        access.access_partner_referral(gijs, referral.pk)
    assert list(selectors.inbox_for(access.partner_organisation(gijs), gijs.gemeente_id)) == []
    with pytest.raises(ApplicationError) as error:
        services.partner_transition(actor=gijs, referral=referral, to_status="geaccepteerd")
    assert error.value.message.startswith("De toestemming voor deze verwijzing is ingetrokken.")


def test_an_unanswered_referral_escalates_once_after_the_gemeentes_term(
    staff: Any, make_referral: Callable[..., Referral]
) -> None:
    referral = make_referral(follow_up_on=today() + timedelta(days=30))
    assert services.escalate_unanswered(now=timezone.now() + timedelta(days=9)) == 0
    assert services.escalate_unanswered(now=timezone.now() + timedelta(days=11)) == 1
    assert services.escalate_unanswered(now=timezone.now() + timedelta(days=12)) == 0
    referral.refresh_from_db()
    assert referral.escalated_at is not None
    assert AuditEvent.objects.filter(event_type="referral_escalated", subject_id=str(referral.pk)).count() == 1


@pytest.mark.parametrize(
    ("utc", "amsterdam_day"),
    [
        (datetime(2027, 1, 14, 23, 30, tzinfo=UTC), date(2027, 1, 15)),  # 00:30 winter time
        (datetime(2027, 7, 14, 22, 30, tzinfo=UTC), date(2027, 7, 15)),  # 00:30 summer time
        (datetime(2027, 7, 15, 21, 30, tzinfo=UTC), date(2027, 7, 15)),  # 23:30 summer time
    ],
)
def test_an_escalation_after_midnight_in_amsterdam_is_followed_up_on_that_amsterdam_day(
    staff: Any, make_referral: Callable[..., Referral], utc: datetime, amsterdam_day: date
) -> None:
    referral = make_referral()
    Referral.objects.filter(pk=referral.pk).update(sent_at=utc - timedelta(days=30))
    assert services.escalate_unanswered(now=utc) == 1
    referral.refresh_from_db()
    assert referral.follow_up_on == amsterdam_day  # the UTC date was the day before for 00:30


def test_the_contact_card_names_regisseur_begeleider_accepted_partner_and_hand_entered_contacts(
    staff: Any, partners: Any, make_referral: Callable[..., Referral], django_assert_max_num_queries: Any
) -> None:
    from openinburgering.netwerk.begeleiding import add_contact_person

    referral = make_referral()
    client_file = referral.client_file
    client_file.begeleider = staff["mira"]
    client_file.save(update_fields=["begeleider"])
    services.partner_transition(actor=actor_for(partners["gijs"]), referral=referral, to_status="geaccepteerd")
    add_contact_person(actor=actor_for(staff["kim"]), client_file=client_file,
                       data={"role": "school", "about": "School van Sami", "name": "De Zonnewijzer (fictief)",
                             "reach": "023 000 9999"})  # fmt: skip
    client_file = ClientFile.objects.get(pk=client_file.pk)
    with django_assert_max_num_queries(6):
        card = selectors.contact_card_for(client_file)
    assert [(entry.role, entry.name) for entry in card] == [
        ("Klantregisseur", "Kim de Vries"), ("Maatschappelijk begeleider", "Mira Haddad"),
        ("Gezondheid", GGZ), ("School", "De Zonnewijzer (fictief)"),
    ]  # fmt: skip
