"""A referral (sent, with consent and package) and a buddy on a file, for tests outside tests/netwerk (the section
matrix over every file URL)."""

from __future__ import annotations

from datetime import date
from typing import Any

from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.demo.netwerk import GGZ, ensure_partner_personas
from openinburgering.netwerk import begeleiding, services
from openinburgering.netwerk.models import BuddyMatch, Offer, Referral
from tests.conftest import actor_for


def netwerk_items(client_file: ClientFile, staff: dict[str, Any]) -> tuple[Referral, BuddyMatch]:
    ensure_partner_personas(password="test-Password-123!")
    kim = actor_for(staff["kim"])
    offer = Offer.objects.get(organisation__name=GGZ, name="Praten met een psycholoog voor nieuwkomers")
    referral = services.create_referral(actor=kim, client_file=client_file, data={
        "offer": offer.pk, "question": "Piekert veel.", "sections": ["basis"], "consent_confirmed": True,
        "consent_given_by": "De inburgeraar zelf", "consent_given_on": today(), "consent_basis": "Mondeling",
    })  # fmt: skip
    referral = services.send_referral(actor=kim, referral=referral)
    buddy = begeleiding.match_buddy(actor=kim, client_file=client_file, data={
        "kind": "taalmaatje", "organisation": offer.organisation_id, "volunteer_name": "Els (fictief)",
        "volunteer_contact": "06 0000 0000", "started_on": date(2025, 9, 1),
    })  # fmt: skip
    return referral, buddy
