"""Provider fixtures: anouk linked to the demo provider (as the demo seeds it), a second provider with its own
aanbieder user (piet), contracts, and enrolments made through the services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from openinburgering.accounts.models import Gemeente, Membership, Role, User
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.demo.personas import HAARLEM
from openinburgering.demo.providers import ensure_demo_providers
from openinburgering.providers import services
from openinburgering.providers.models import Contract, Enrolment, Provider, ProviderMembership
from tests.api.conftest import api, token  # noqa: F401 -- fixtures shared with the API tests
from tests.plans.conftest import draft_ready, pip_file, vastgesteld  # noqa: F401 -- PIP fixtures (route tests)

from ..conftest import actor_for


@pytest.fixture
def anouk_provider(staff: dict[str, User]) -> Provider:
    """Taalhuis Kennemerland (shared in the region, regional contract) with anouk linked, as in the demo."""
    return ensure_demo_providers()


@pytest.fixture
def regional_contract(anouk_provider: Provider) -> Contract:
    return anouk_provider.contracts.get()


@pytest.fixture
def other_provider(staff: dict[str, User]) -> Provider:
    """A second provider (Haarlem only) with its own aanbieder user `piet` and a Haarlem contract."""
    haarlem = Gemeente.objects.get(code=HAARLEM)
    provider = Provider.objects.create(name="Taalbureau Spaarne", kinds=["taalaanbieder"], gemeente=haarlem)
    user = User.objects.create_user(username="piet", password="test-Password-123!", first_name="Piet")
    membership = Membership.objects.create(user=user, gemeente=haarlem, role=Role.objects.get(code="aanbieder"))
    ProviderMembership.objects.create(membership=membership, provider=provider)
    Contract.objects.create(
        provider=provider,
        name="Spaarne B1",
        gemeente=haarlem,
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31),
        price_model="per_hour",
        price_per_hour=Decimal("12.00"),
        capacity=2,
        components=["b1_lessen"],
        reporting_frequency="weekly",
    )
    staff["piet"] = user
    return provider


@pytest.fixture
def enrol(actor: Callable[..., Any]) -> Callable[..., Enrolment]:
    """Places a file under a contract as kim (or zeynep for Zandvoort), optionally accepted by the provider."""

    def make(
        client_file: ClientFile,
        contract: Contract,
        *,
        component: str = "b1_lessen",
        accepted: bool = False,
        **data: Any,
    ) -> Enrolment:
        worker = actor("kim") if client_file.gemeente.code == HAARLEM else actor("zeynep", client_file.gemeente.code)
        values = {
            "component": component,
            "contract_id": contract.pk,
            "starts_on": today() - timedelta(days=60),
            "ends_on": today() + timedelta(days=200),
            "hours_per_week": "8",
            **data,
        }
        client_file = ClientFile.objects.select_related("gemeente").get(pk=client_file.pk)
        enrolment = services.create_enrolment(actor=worker, client_file=client_file, data=values)
        if accepted:
            link = ProviderMembership.objects.select_related("membership__user").get(provider=contract.provider)
            provider_actor = actor_for(link.membership.user, HAARLEM, "aanbieder")
            services.accept(actor=provider_actor, enrolment=enrolment)
        enrolment.refresh_from_db()
        return enrolment

    return make


def last_week() -> str:
    year, week, _ = (today() - timedelta(days=7)).isocalendar()
    return f"{year}-W{week:02d}"


def weeks_ago(n: int) -> str:
    year, week, _ = (today() - timedelta(days=7 * n)).isocalendar()
    return f"{year}-W{week:02d}"


# The CSV tests' fixture, shared by name with the upload feedback tests (imported last: test_csv imports from here).
from .test_csv import setup  # noqa: E402, F401 -- see the line above
