"""The demo seed links anouk to Taalhuis Kennemerland (idempotent), and two klantregisseurs cannot take the last
place of a contract at the same time (the contract row is locked)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection

from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError
from openinburgering.demo.providers import DEMO_PROVIDER, ensure_demo_providers
from openinburgering.providers import services
from openinburgering.providers.access import access_provider_actor
from openinburgering.providers.models import Contract, Enrolment, Provider, ProviderMembership


@pytest.mark.django_db
def test_demo_links_anouk_and_is_idempotent(actor: Callable[..., Any]) -> None:
    first = ensure_demo_providers()
    second = ensure_demo_providers()
    assert first == second
    assert Provider.objects.filter(name=DEMO_PROVIDER).count() == 1
    assert Contract.objects.filter(provider=first).count() == 1
    assert ProviderMembership.objects.count() == 1
    assert access_provider_actor(actor("anouk")) == first
    assert first.region_id is not None  # shared in the arbeidsmarktregio


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    """A transactional test starts from a flushed database when browser tests ran before it: put the
    migration-loaded reference data (gemeenten, roles, BRP tables) back first."""
    from openinburgering.clients.reference_data import ensure_reference_data

    ensure_reference_data()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks (SELECT ... FOR UPDATE) exist on PostgreSQL only; CI requires it",
)
def test_last_place_cannot_be_taken_twice(
    reference_data: None, actor: Callable[..., Any], make_file: Callable[..., Any]
) -> None:
    provider = ensure_demo_providers()
    contract = Contract.objects.get(provider=provider)
    Contract.objects.filter(pk=contract.pk).update(capacity=1)
    files = [make_file(person={"surname": f"Race{n}"}) for n in range(2)]
    kim = actor("kim")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def place(client_file: Any) -> None:
        try:
            barrier.wait(timeout=10)
            data = {"component": "b1_lessen", "contract_id": contract.pk, "starts_on": today(),
                    "ends_on": today() + timedelta(days=30), "hours_per_week": "6"}  # fmt: skip
            services.create_enrolment(actor=kim, client_file=client_file, data=data)
            outcomes.append("ok")
        except ApplicationError:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=place, args=(f,)) for f in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["full", "ok"]
    assert Enrolment.objects.filter(contract=contract).count() == 1
