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
