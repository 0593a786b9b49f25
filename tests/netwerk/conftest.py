"""Zorg en netwerk fixtures: the demo's fictional sociale kaart, the partner personas gijs (GGZ) and sanne
(schuldhulp) added to the ``staff`` personas (so ``login("gijs")`` and ``api("gijs")`` work), and a referral built
through the services as kim would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from openinburgering.clients.access import has_consent
from openinburgering.clients.consent import record_consent
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.demo.netwerk import GGZ, ensure_partner_personas
from openinburgering.netwerk import services
from openinburgering.netwerk.models import Offer, Referral
from tests.api.conftest import api, token  # fixtures shared with the API tests (re-exported in __all__)
from tests.conftest import actor_for

PASSWORD = "test-Password-123!"


@pytest.fixture
def partners(staff: dict[str, Any]) -> dict[str, Any]:
    users = ensure_partner_personas(password=PASSWORD)
    staff.update(users)
    return users


@pytest.fixture
def ggz_offer(partners: dict[str, Any]) -> Offer:
    return Offer.objects.get(organisation__name=GGZ, name="Praten met een psycholoog voor nieuwkomers")


def referral_data(offer: Offer, **extra: Any) -> dict[str, Any]:
    return {
        "offer": offer.pk, "question": "Slaapt slecht en piekert veel; wil graag praten.", "urgency": "normaal",
        "sections": ["basis", "gezondheid"], "consent_confirmed": True, "consent_given_by": "De inburgeraar zelf",
        "consent_given_on": today(), "consent_basis": "Mondeling in het gesprek", **extra,
    }  # fmt: skip


@pytest.fixture
def make_referral(
    staff: dict[str, Any], make_file: Callable[..., ClientFile], ggz_offer: Offer
) -> Callable[..., Referral]:
    def make(*, send: bool = True, client_file: ClientFile | None = None, **extra: Any) -> Referral:
        client_file = client_file or make_file(assigned_to="kim")
        kim = actor_for(staff["kim"])
        if not has_consent(client_file, "gezondheid"):
            record_consent(actor=kim, client_file=client_file, purpose="gezondheid", given_on=date(2025, 8, 1),
                           how="Mondeling")  # fmt: skip
        referral = services.create_referral(actor=kim, client_file=client_file, data=referral_data(ggz_offer, **extra))
        if send:
            referral = services.send_referral(actor=kim, referral=referral)
        return referral

    return make


__all__ = ["api", "token"]
