"""Reading a gemeente's connections: which systems are configured, and an HTTP client for one (zgw-consumers'
``build_client``: base URL, authentication, certificates and the service's timeout on every call)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ape_pie import APIClient
from zgw_consumers.client import build_client

from .models import GemeenteConnection, System

if TYPE_CHECKING:
    from openinburgering.accounts.models import Gemeente

ZGW_SYSTEMS = (System.ZAKEN, System.DOCUMENTEN, System.BESLUITEN)


def connection_for(gemeente: Gemeente | int, system: System) -> GemeenteConnection | None:
    """The active connection of the gemeente to one system, or None."""
    gemeente_id = gemeente if isinstance(gemeente, int) else gemeente.pk
    return (
        GemeenteConnection.objects.select_related("service")
        .filter(gemeente_id=gemeente_id, system=system, is_active=True)
        .first()
    )


def has_connection(gemeente: Gemeente, system: System) -> bool:
    return GemeenteConnection.objects.filter(gemeente=gemeente, system=system, is_active=True).exists()


def has_zgw(gemeente: Gemeente) -> bool:
    """Zaken, Documenten and Besluiten all configured (a beschikking needs the three)."""
    active = set(
        GemeenteConnection.objects.filter(gemeente=gemeente, system__in=ZGW_SYSTEMS, is_active=True).values_list(
            "system", flat=True
        )
    )
    return active == {s.value for s in ZGW_SYSTEMS}


def client_for(connection: GemeenteConnection) -> APIClient:
    """A requests session bound to the service's root; every call gets the service's timeout (default 10 s)."""
    return build_client(connection.service)
