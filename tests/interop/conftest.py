"""Fixtures for the koppelingen tests: a throwaway outbox handler with an in-memory receiver."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from openinburgering.accounts.models import Gemeente
from openinburgering.clients.reference_data import ensure_reference_data
from openinburgering.interop import outbox
from openinburgering.interop.models import OutboxMessage
from tests.api.conftest import api, token  # noqa: F401 -- API fixtures for the koppelingen API tests
from tests.plans.conftest import draft_ready, pip_file, vastgesteld  # noqa: F401 -- PIP fixtures for the DUO and ZGW tests
from tests.providers.conftest import anouk_provider, enrol, regional_contract  # noqa: F401 -- for the DUO hours tests

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


# --- DUO M2M (mutual TLS) --------------------------------------------------------------------------------------------


@dataclass
class Pki:
    """Throwaway CAs: ``duo_ca`` signs DUO's server certificate, ``pkio_ca`` plays the PKIoverheid private root
    that signs the organisations' certificates (the gemeente's for calls to DUO, DUO's for its notifications)."""

    duo_ca: Any
    pkio_ca: Any
    gemeente_cert: tuple[bytes, bytes]
    duo_cert: tuple[bytes, bytes]


@pytest.fixture(scope="session")
def pki() -> Pki:
    import trustme

    from .duo_server import DUO_OIN, GEMEENTE_OIN, issue_pkio_cert

    duo_ca, pkio_ca = trustme.CA(), trustme.CA()
    return Pki(
        duo_ca=duo_ca,
        pkio_ca=pkio_ca,
        gemeente_cert=issue_pkio_cert(pkio_ca, oin=GEMEENTE_OIN, organisation="Gemeente Haarlem"),
        duo_cert=issue_pkio_cert(pkio_ca, oin=DUO_OIN, organisation="DUO"),
    )


@pytest.fixture
def duo_server(pki: Pki) -> Iterator[Any]:
    from .duo_server import DuoServer

    server = DuoServer(ca=pki.duo_ca, client_ca=pki.pkio_ca)
    server.start()
    yield server
    server.stop()


def connect_duo(gemeente: Gemeente, api_root: str, pki: Pki, **options: Any) -> Any:
    """The DUO connection as the functioneel beheerder sets it up: the gemeente's PKIoverheid certificate and key
    and the CA of DUO's server certificate in django-simple-certmanager, the OINs as options."""
    from django.core.files.base import ContentFile
    from simple_certmanager.constants import CertificateTypes
    from simple_certmanager.models import Certificate
    from zgw_consumers.constants import APITypes, AuthTypes
    from zgw_consumers.models import Service

    from openinburgering.interop.models import GemeenteConnection

    from .duo_server import DUO_OIN, GEMEENTE_OIN

    cert_pem, key_pem = pki.gemeente_cert
    client_cert = Certificate(label=f"{gemeente.code} PKIoverheid", type=CertificateTypes.key_pair)
    client_cert.public_certificate.save("gemeente.pem", ContentFile(cert_pem), save=False)
    client_cert.private_key.save("gemeente.key", ContentFile(key_pem), save=False)
    client_cert.save()
    server_ca = Certificate(label="DUO server CA", type=CertificateTypes.cert_only)
    server_ca.public_certificate.save("duo-ca.pem", ContentFile(pki.duo_ca.cert_pem.bytes()), save=False)
    server_ca.save()
    service = Service.objects.create(
        label=f"{gemeente.code} DUO", slug=f"{gemeente.code.lower()}-duo", api_type=APITypes.orc, api_root=api_root,
        auth_type=AuthTypes.no_auth, timeout=5, client_certificate=client_cert, server_certificate=server_ca,
    )  # fmt: skip
    values = {"oin": GEMEENTE_OIN, "duo_oin": DUO_OIN, **options}
    return GemeenteConnection.objects.create(gemeente=gemeente, system="duo", service=service, options=values)


@pytest.fixture
def duo_connection(duo_server: Any, haarlem: Gemeente, pki: Pki) -> Any:
    return connect_duo(haarlem, duo_server.api_root, pki)


# --- Open Klant 2 ----------------------------------------------------------------------------------------------------


@pytest.fixture
def openklant_server() -> Iterator[Any]:
    from .openklant_server import OpenKlantServer

    server = OpenKlantServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def openklant_connection(openklant_server: Any, haarlem: Gemeente) -> Any:
    from zgw_consumers.constants import APITypes, AuthTypes
    from zgw_consumers.models import Service

    from openinburgering.interop.models import GemeenteConnection

    from .openklant_server import TOKEN

    service = Service.objects.create(
        label="GM0392 Open Klant", slug="gm0392-klantinteracties", api_type=APITypes.orc,
        api_root=openklant_server.api_root, auth_type=AuthTypes.api_key, header_key="Authorization",
        header_value=TOKEN, timeout=5,
    )  # fmt: skip
    return GemeenteConnection.objects.create(gemeente=haarlem, system="klantinteracties", service=service)


@pytest.fixture
def zgw_server() -> Iterator[Any]:
    """The loopback zaaksysteem (Zaken, Documenten, Besluiten, Notificaties), validating against the official specs."""
    from .zgw_server import ZgwServer

    server = ZgwServer()
    server.start()
    yield server
    server.stop()
