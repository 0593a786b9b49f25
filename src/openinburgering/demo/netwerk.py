"""Demo data of zorg en netwerk (#14): a FICTIONAL sociale kaart of Zuid-Kennemerland (every organisation's name
says "(fictief)"), two chain-partner personas and, on the demo households, referrals in every state with one warme
overdracht to the GGZ partner user gijs, a buddy, and a caseload for the maatschappelijk begeleider mira.

Idempotent: a second run changes nothing. Tests use ``ensure_partner_personas`` and ``ensure_demo_kaart`` too, so a
demo and a test speak of the same partners."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from openinburgering.accounts.models import Gemeente, Membership, Role, User
from openinburgering.intakes.choices import Leefgebied
from openinburgering.netwerk.models import Offer, Organisation, PartnerUser

from .personas import DEMO_PASSWORD, HAARLEM


@dataclass(frozen=True)
class DemoOffer:
    organisation: str
    shared_in_region: bool
    name: str
    theme: str
    target_group: str
    languages: str
    contact: str
    address: str
    place: str
    opening_hours: str
    waiting_weeks: int | None
    intake_criteria: str


GGZ = "GGZ Kennemerduin (fictief)"
SCHULDHULP = "Schuldhulp Spaarne (fictief)"
TAALMAATJES = "Taalmaatjes Zuid-Kennemerland (fictief)"

OFFERS: tuple[DemoOffer, ...] = (
    DemoOffer(GGZ, True, "Praten met een psycholoog voor nieuwkomers", Leefgebied.GEZONDHEID, "Volwassen nieuwkomers",
              "Nederlands, Engels, Arabisch, Tigrinya", "023 000 1100, aanmelden@ggz-kennemerduin.example",
              "Zijlweg 1 (fictief)", "Haarlem", "ma-vr 9.00-17.00", 6, "Verwijzing door huisarts of gemeente."),
    DemoOffer(GGZ, True, "Groep: slapen en piekeren", Leefgebied.GEZONDHEID, "Volwassenen met slaapproblemen",
              "Nederlands, Arabisch", "023 000 1101", "Zijlweg 1 (fictief)", "Haarlem", "di 14.00-16.00", 2, ""),
    DemoOffer(SCHULDHULP, False, "Hulp bij schulden en post", Leefgebied.FINANCIEN, "Inwoners van Haarlem",
              "Nederlands, Engels, Turks", "023 000 2200", "Grote Markt 2 (fictief)", "Haarlem",
              "ma-do 9.00-12.00", 3, "Woont in Haarlem."),
    DemoOffer(TAALMAATJES, True, "Taalmaatje: samen Nederlands oefenen", Leefgebied.TAAL_INBURGERING,
              "Inburgeraars", "Nederlands, Engels", "023 000 3300", "Bibliotheek Centrum (fictief)", "Haarlem",
              "wo 10.00-12.00", 4, ""),
    DemoOffer("Buurtwerk Zandvoort (fictief)", True, "Koffie-uur voor nieuwe inwoners", Leefgebied.SOCIAAL_NETWERK,
              "Iedereen", "Nederlands, Engels, Dari", "023 000 4400", "Kerkplein 4 (fictief)", "Zandvoort",
              "do 10.00-12.00", None, ""),
    DemoOffer("Jeugdhulp Kennemerland (fictief)", True, "Opvoedsteun voor ouders", Leefgebied.KINDEREN,
              "Ouders met kinderen tot 18 jaar", "Nederlands, Arabisch, Tigrinya", "023 000 5500",
              "Raaks 5 (fictief)", "Haarlem", "ma-vr 9.00-17.00", 8, "Kinderen wonen thuis."),
    DemoOffer("Werkpunt Haarlem (fictief)", False, "Werkcoach voor statushouders", Leefgebied.WERK_INKOMEN,
              "Statushouders met een bijstandsuitkering", "Nederlands, Engels", "023 000 6600",
              "Stationsplein 6 (fictief)", "Haarlem", "ma-vr 9.00-17.00", 1, "Bijstandsuitkering van Haarlem."),
)  # fmt: skip


@dataclass(frozen=True)
class PartnerPersona:
    username: str
    first_name: str
    last_name: str
    organisation: str


PARTNERS: tuple[PartnerPersona, ...] = (
    PartnerPersona("gijs", "Gijs", "Verhoeven", GGZ),
    PartnerPersona("sanne", "Sanne", "Kok", SCHULDHULP),
)


@transaction.atomic
def ensure_demo_kaart() -> dict[str, Organisation]:
    """The fictional sociale kaart: Haarlem's own organisations and the region's shared ones."""
    haarlem = Gemeente.objects.get(code=HAARLEM)
    organisations: dict[str, Organisation] = {}
    for spec in OFFERS:
        scope: dict[str, Any] = (
            {"region_id": haarlem.region_id} if spec.shared_in_region else {"gemeente_id": haarlem.pk}
        )
        organisation = organisations.get(spec.organisation)
        if organisation is None:
            organisation, _ = Organisation.objects.get_or_create(
                name=spec.organisation, **scope,
                defaults={"phone": spec.contact.split(",")[0], "description": "Fictieve organisatie voor de demo."},
            )  # fmt: skip
            organisations[spec.organisation] = organisation
        Offer.objects.get_or_create(
            organisation=organisation, name=spec.name,
            defaults={"theme": spec.theme, "target_group": spec.target_group, "languages": spec.languages,
                      "contact": spec.contact, "address": spec.address, "place": spec.place,
                      "opening_hours": spec.opening_hours, "waiting_weeks": spec.waiting_weeks,
                      "intake_criteria": spec.intake_criteria},
        )  # fmt: skip
    return organisations


@transaction.atomic
def ensure_partner_personas(password: str = DEMO_PASSWORD) -> dict[str, User]:
    """The chain-partner users: role ketenpartner in Haarlem, each linked to their organisation."""
    organisations = ensure_demo_kaart()
    haarlem = Gemeente.objects.get(code=HAARLEM)
    role = Role.objects.get(code="ketenpartner")
    users: dict[str, User] = {}
    for persona in PARTNERS:
        user, created = User.objects.get_or_create(
            username=persona.username,
            defaults={"first_name": persona.first_name, "last_name": persona.last_name,
                      "email": f"{persona.username}@example.org"},
        )  # fmt: skip
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, gemeente=haarlem, role=role)
        PartnerUser.objects.get_or_create(user=user, defaults={"organisation": organisations[persona.organisation]})
        users[persona.username] = user
    return users


# --- Referrals in every state, one warme overdracht to gijs (GGZ), mira's caseload -----------------------------------


@dataclass(frozen=True)
class DemoReferral:
    key: str  # the question starts with it, so a second run finds the referral and adds nothing
    organisation: str
    offer: str
    question: str
    sections: tuple[str, ...]
    steps: tuple[tuple[str, str], ...]  # the partner's moves after sending: (to_status, message)
    send: bool = True
    withdraw: bool = False
    sent_days_ago: int = 3


REFERRALS: tuple[DemoReferral, ...] = (
    DemoReferral("[demo 1]", GGZ, "Praten met een psycholoog voor nieuwkomers",
                 "Slaapt slecht en piekert veel sinds de vlucht; wil graag met iemand praten.",
                 ("basis", "intake", "gezondheid"), (("geaccepteerd", ""),)),
    DemoReferral("[demo 2]", GGZ, "Groep: slapen en piekeren", "Heeft moeite met slapen; wil het in een groep "
                 "proberen.", ("basis", "gezondheid"), ()),
    DemoReferral("[demo 3]", GGZ, "Groep: slapen en piekeren", "Wil eerst nadenken over een groep.", ("basis",),
                 (), send=False),
    DemoReferral("[demo 4]", SCHULDHULP, "Hulp bij schulden en post", "Brieven van de energieleverancier; "
                 "achterstand van twee maanden.", ("basis",), (("geweigerd", "Woont buiten ons werkgebied."),)),
    DemoReferral("[demo 5]", SCHULDHULP, "Hulp bij schulden en post", "Wil overzicht over rekeningen en post.",
                 ("basis", "intake"), (("geaccepteerd", ""), ("gestart", ""))),
    DemoReferral("[demo 6]", SCHULDHULP, "Hulp bij schulden en post", "Betalingsregeling voor de huur nodig.",
                 ("basis",), (("geaccepteerd", ""), ("gestart", ""),
                              ("afgerond", "Betalingsregeling getroffen; post is op orde."))),
    DemoReferral("[demo 7]", SCHULDHULP, "Hulp bij schulden en post", "Vragen over toeslagen.", ("basis",),
                 (("geaccepteerd", ""), ("teruggemeld", "Geen schulden; doorverwezen naar de toeslagenhulp."))),
    DemoReferral("[demo 8]", GGZ, "Praten met een psycholoog voor nieuwkomers", "Wil hulp bij rouw.",
                 ("basis",), (), withdraw=True),
    DemoReferral("[demo 9]", GGZ, "Praten met een psycholoog voor nieuwkomers", "Angstklachten; huisarts "
                 "adviseert gesprekken.", ("basis",), (), sent_days_ago=20),
)  # fmt: skip


def _actor(username: str) -> Any:
    from openinburgering.accounts.actor import Actor

    membership = (
        Membership.objects.select_related("user", "gemeente", "role", "team")
        .filter(user__username=username, gemeente__code=HAARLEM)
        .first()
    )
    return None if membership is None else Actor(user=membership.user, membership=membership)


def ensure_demo_referrals(*, today: Any) -> int:
    """Referrals through the services on kim's files in Haarlem, in every state (concept, verzonden,
    geaccepteerd with a warme overdracht acknowledged by gijs, geweigerd, gestart, afgerond, teruggemeld, a
    withdrawn consent and one escalated after the term), a signal and a buddy, and mira as the begeleider of three
    files. Returns the number of referrals created (0 on a second run)."""
    from datetime import datetime, time, timedelta
    from unittest import mock

    from django.utils import timezone

    from openinburgering.clients.access import has_consent
    from openinburgering.clients.choices import FileStatus
    from openinburgering.clients.consent import record_consent
    from openinburgering.clients.models import ClientFile
    from openinburgering.netwerk import begeleiding, services
    from openinburgering.netwerk.models import BegeleidingEntry, BuddyMatch, Referral

    kim, partners = _actor("kim"), {"gijs": _actor("gijs"), "sanne": _actor("sanne")}
    if kim is None or None in partners.values():
        return 0
    files = list(
        ClientFile.objects.filter(gemeente_id=kim.gemeente_id, assigned_to=kim.user, status=FileStatus.IN_TRAJECT)
        .select_related("person", "gemeente")
        .order_by("pk")[: len(REFERRALS)]
    )
    if not files:
        return 0
    by_org = {GGZ: partners["gijs"], SCHULDHULP: partners["sanne"]}
    created = 0
    for index, spec in enumerate(REFERRALS):
        client_file = files[index % len(files)]
        if Referral.objects.filter(gemeente_id=kim.gemeente_id, question__startswith=spec.key).exists():
            continue
        offer = Offer.objects.get(organisation__name=spec.organisation, name=spec.offer)
        sent_at = timezone.make_aware(datetime.combine(today - timedelta(days=spec.sent_days_ago), time(10, 0)))
        with transaction.atomic():
            if "gezondheid" in spec.sections and not has_consent(client_file, "gezondheid"):
                record_consent(actor=kim, client_file=client_file, purpose="gezondheid", how="Mondeling, demo",
                               given_on=today - timedelta(days=spec.sent_days_ago))  # fmt: skip
            with mock.patch("django.utils.timezone.now", return_value=sent_at):
                referral = services.create_referral(actor=kim, client_file=client_file, via="command", data={
                    "offer": offer.pk, "question": f"{spec.key} {spec.question}", "sections": list(spec.sections),
                    "urgency": "normaal", "consent_confirmed": True, "consent_given_by": "De inburgeraar zelf",
                    "consent_given_on": today - timedelta(days=spec.sent_days_ago),
                    "consent_basis": "Mondeling in het gesprek (demo)",
                })  # fmt: skip
                if spec.send:
                    referral = services.send_referral(actor=kim, referral=referral, via="command")
            partner = by_org[spec.organisation]
            for day, (to_status, message) in enumerate(spec.steps, start=1):
                moment = sent_at + timedelta(days=day)
                with mock.patch("django.utils.timezone.now", return_value=moment):
                    if day == 1 and spec.organisation == GGZ:
                        services.acknowledge_package(actor=partner, referral=referral, via="command")
                    services.partner_transition(actor=partner, referral=referral, to_status=to_status,
                                                message=message, via="command")  # fmt: skip
            if spec.withdraw:
                services.withdraw_consent(actor=kim, referral=referral, withdrawn_on=today, via="command")
        created += 1
    services.escalate_unanswered()
    mira = Membership.objects.filter(user__username="mira", gemeente__code=HAARLEM).select_related("user").first()
    if mira is not None:
        # kim assigns mira as the begeleider of three files, through the service (audited as begeleiding_assigned).
        mine = files[:3]
        for client_file in mine:
            if client_file.begeleider_id is None:
                begeleiding.assign_begeleider(actor=kim, client_file=client_file, begeleider_id=mira.user.pk,
                                              via="command")  # fmt: skip
        mira_actor = _actor("mira")
        first = mine[0]
        first.begeleider = mira.user
        if mira_actor is not None and not BegeleidingEntry.objects.filter(client_file=first).exists():
            begeleiding.record_begeleiding(actor=mira_actor, client_file=first, via="command", data={
                "kind": "signaal", "on": today, "text": "Huurachterstand genoemd; graag schuldhulp bespreken.",
            })  # fmt: skip
        if not BuddyMatch.objects.filter(client_file=first).exists():
            begeleiding.match_buddy(actor=kim, client_file=first, via="command", data={
                "kind": "taalmaatje", "organisation": Organisation.objects.get(name=TAALMAATJES).pk,
                "volunteer_name": "Els de Wit (fictief)", "volunteer_contact": "06 0000 0001",
                "started_on": today - timedelta(days=30),
            })  # fmt: skip
    return created
