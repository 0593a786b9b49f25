"""Demo providers: "Taalhuis Kennemerland", shared in Haarlem's arbeidsmarktregio, with a regional contract, and
the aanbieder persona `anouk` (Haarlem) linked to it, so the provider portal has someone to log in as.

Written directly (demo reference data, like the personas), idempotent: a second call changes nothing. Tests use
the same function through the `anouk_provider` fixture in tests/providers/conftest.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from openinburgering.accounts.models import Gemeente, Membership
from openinburgering.providers.choices import Component, PriceModel, ProviderKind, ReportingFrequency
from openinburgering.providers.models import Contract, Provider, ProviderMembership

from .personas import HAARLEM

DEMO_PROVIDER = "Taalhuis Kennemerland"
DEMO_CONTRACT = "Taal en participatie Zuid-Kennemerland 2026-2027"


@transaction.atomic
def ensure_demo_providers() -> Provider:
    """The demo provider, its regional contract and anouk's link to it. Needs the staff personas first."""
    region_id = Gemeente.objects.values_list("region_id", flat=True).get(code=HAARLEM)
    provider, _ = Provider.objects.get_or_create(
        name=DEMO_PROVIDER,
        region_id=region_id,
        defaults={
            "kinds": [ProviderKind.TAALAANBIEDER, ProviderKind.MAP, ProviderKind.PVT],
            "keurmerk": True,
            "keurmerk_expires_on": date(2028, 12, 31),
            "kvk_number": "12345678",
            "contact_name": "Anouk Taalhuis",
            "contact_email": "info@taalhuis-kennemerland.example",
            "contact_phone": "023 123 45 67",
        },
    )
    Contract.objects.get_or_create(
        provider=provider,
        name=DEMO_CONTRACT,
        defaults={
            "region_id": region_id,
            "starts_on": date(2026, 1, 1),
            "ends_on": date(2027, 12, 31),
            "price_model": PriceModel.MIXED,
            "price_per_hour": Decimal("14.50"),
            "price_per_result": Decimal("750.00"),
            "capacity": 120,
            "components": [Component.B1_LESSEN, Component.Z_ROUTE_CURSUS, Component.MAP, Component.PVT],
            "reporting_frequency": ReportingFrequency.WEEKLY,
        },
    )
    membership = Membership.objects.filter(
        user__username="anouk", gemeente__code=HAARLEM, role__code="aanbieder"
    ).first()
    if membership is not None:
        ProviderMembership.objects.get_or_create(membership=membership, defaults={"provider": provider})
    return provider
