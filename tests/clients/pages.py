"""Helpers shared by the page tests of clients and households."""

from __future__ import annotations

from typing import Any

from django.test import Client

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.clients.selectors import READ_EVENT_TYPES

LOGIN_PREFIX = "/account/inloggen/?next="


def read_events(client_file: ClientFile) -> list[str]:
    return list(
        AuditEvent.objects.filter(client_file=client_file, event_type__in=(*READ_EVENT_TYPES, "file_audit_viewed"))
        .order_by("id")
        .values_list("event_type", flat=True)
    )


def event_types(**filters: Any) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("id").values_list("event_type", flat=True))


def file_state(client_file: ClientFile) -> tuple[Any, ...]:
    """Everything a denied request must leave untouched."""
    fresh = ClientFile.objects.select_related("person").get(pk=client_file.pk)
    return (
        fresh.status,
        fresh.assigned_to_id,
        fresh.team_id,
        fresh.kennisgeving_on,
        fresh.person.surname,
        fresh.person.bsn,
        fresh.notes.count(),
        fresh.status_changes.count(),
        AuditEvent.objects.filter(client_file=fresh).count(),
    )


def assert_login_redirect(response: Any, path: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_PREFIX}{path}"


def anonymous() -> Client:
    return Client()
