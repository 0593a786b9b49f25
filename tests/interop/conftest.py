"""Fixtures for the koppelingen tests: a throwaway outbox handler with an in-memory receiver."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from openinburgering.accounts.models import Gemeente
from openinburgering.core.reference_data import ensure_reference_data
from openinburgering.interop import outbox
from openinburgering.interop.models import OutboxMessage

TEST_KIND = "test.receiver"


@dataclass
class Receiver:
    """Plays the other system: it stores what it receives by the sender's key (as a Zaak is found back by its
    identificatie) and can be made to fail or to 'crash' the sender after acting."""

    created: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)
    fail_with: Exception | None = None
    crash_after_create: bool = False
    configured: set[str] = field(default_factory=lambda: {"GM0392", "GM0473"})

    def deliver(self, message: OutboxMessage) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        # Step 1, at most once: look it up at the receiver before creating it.
        if "created" not in message.progress:
            if message.key not in self.created:
                self.created.append(message.key)
            if self.crash_after_create:
                raise KeyboardInterrupt  # the worker dies after the receiver acted, before remember()
            outbox.remember(message, created=message.key)
        # Step 2.
        if message.key not in self.confirmed:
            self.confirmed.append(message.key)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    fake = Receiver()
    outbox.register_handler(
        TEST_KIND, label="Testbericht", is_configured=lambda gemeente: gemeente.code in fake.configured
    )(fake.deliver)
    yield fake
    outbox.unregister_handler(TEST_KIND)


@pytest.fixture
def haarlem(db: Any) -> Gemeente:
    return Gemeente.objects.get(code="GM0392")


@pytest.fixture
def reference_data(transactional_db: object) -> None:
    """The real worker (``run_queued_jobs``) closes a connection that is inside a transaction, so a test that runs it
    is transactional; it starts from a flushed database when another transactional test ran before it: put the
    migration-loaded reference data back first."""
    ensure_reference_data()


@pytest.fixture
def brp_server() -> Iterator[Any]:
    from .brp_server import BrpServer

    server = BrpServer()
    server.start()
    yield server
    server.stop()


def connect(gemeente: Gemeente, system: str, api_root: str, **options: Any) -> Any:
    """Configures a gemeente's connection as the functioneel beheerder would (a zgw-consumers Service + options)."""
    from zgw_consumers.constants import APITypes, AuthTypes
    from zgw_consumers.models import Service

    from openinburgering.interop.models import GemeenteConnection

    api_type = {"brp": APITypes.orc, "zaken": APITypes.zrc, "documenten": APITypes.drc, "besluiten": APITypes.brc}
    service = Service.objects.create(
        label=f"{gemeente.code} {system}", slug=f"{gemeente.code.lower()}-{system}", api_type=api_type[system],
        api_root=api_root, auth_type=AuthTypes.api_key, header_key="X-Api-Key", header_value="test-secret", timeout=5,
    )  # fmt: skip
    return GemeenteConnection.objects.create(gemeente=gemeente, system=system, service=service, options=options)


@pytest.fixture
def brp_connection(brp_server: Any, haarlem: Gemeente) -> Any:
    return connect(
        haarlem, "brp", brp_server.api_root, doelbinding="BRPACT-Inburgering-Haarlem", verwerking="Aanmelden"
    )
