"""Audit events as *verwerkingsacties* in the shape of the VNG Verwerkingenlogging API (``Actie`` of the
``logging-verwerkingen-api``, version 0.1.0), for a gemeente's privacy officer and a person's inzageverzoek (AVG
art. 15). #12 item 7.

The mapping (also in docs/privacy.md):

| Actie | from |
|---|---|
| ``ID`` | a stable UUID per audit event |
| ``naam`` | the event's Dutch label |
| ``handelingNaam`` | ``Inzien`` (reads), ``Vastleggen`` (changes), ``Verstrekken`` (exports), ``Beveiliging`` |
| ``verwerkingNaam``, ``verwerkingsactiviteitID`` | the processing activity of the register (audit.processing) |
| ``verwerkingID`` | one processing per client file: a stable UUID of the file |
| ``vertrouwelijkheid`` | ``Vertrouwelijk`` for activities with special-category data, else ``Normaal`` |
| ``bewaartermijn`` | 5 years (B 9.9 lid 1) |
| ``uitvoerder`` | the gemeente's OIN when configured (omitted otherwise) |
| ``systeem``, ``gegevensbron`` | ``Open Inburgering`` |
| ``gebruiker`` | a stable UUID of the staff user (never a name) |
| ``tijdstip``, ``tijdstipRegistratie`` | ``occurred_at`` (the event is written in the same transaction) |
| ``verwerkteObjecten`` | the person (``Persoon``, ``BSN``, the BSN, ``Inburgeringsplichtige``), its sections |

With ``beperkteSet`` (the default, as in the standard) ``uitvoerder``, ``systeem``, ``gebruiker`` and
``gegevensbron`` are left out: what a citizen needs, not how the gemeente is organised.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from openinburgering.accounts.sections import SPECIAL_CATEGORY, Section

from .catalogue import EVENT_TYPES
from .models import AuditEvent
from .processing import NAMESPACE, activity_for

SYSTEM = "Open Inburgering"
RETENTION_YEARS = 5
"""Besluit inburgering 2021 art. 9.9 lid 1: five years after the plicht ends (the longer periods of lid 2-3 are for
core identity data, not for the log of each processing)."""

_KINDS = {event.code: event.kind for event in EVENT_TYPES}
_HANDELING = {"read": "Inzien", "change": "Vastleggen", "export": "Verstrekken", "security": "Beveiliging"}


def stable_uuid(kind: str, key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def actie_for(
    event: AuditEvent,
    *,
    bsn: str,
    label: Callable[[str], str],
    gemeente_oin: str = "",
    beperkte_set: bool = True,
) -> dict[str, Any]:
    """One audit event as an ``Actie`` of the Verwerkingenlogging API."""
    activity = activity_for(event.event_type)
    confidential = activity.confidential or any(section in SPECIAL_CATEGORY for section in activity.sections)
    actie: dict[str, Any] = {
        "ID": stable_uuid("actie", event.pk),
        "naam": label(event.event_type)[:80],
        "handelingNaam": _HANDELING[_KINDS[event.event_type]],
        "verwerkingNaam": activity.name[:80],
        "verwerkingID": stable_uuid("verwerking", event.client_file_id),
        "verwerkingsactiviteitID": str(activity.uuid),
        "vertrouwelijkheid": "Vertrouwelijk" if confidential else "Normaal",
        "bewaartermijn": RETENTION_YEARS,
        "tijdstip": event.occurred_at.isoformat(),
        "tijdstipRegistratie": event.occurred_at.isoformat(),
        "vervallen": False,
        "verwerkteObjecten": [
            {
                "objecttype": "Persoon",
                "soortObjectID": "BSN",
                "objectID": bsn,
                "betrokkenheid": "Inburgeringsplichtige",
                "verwerkteSoortenGegevens": [
                    {"soortGegeven": Section(section).label[:80]} for section in activity.sections
                ],
            }
        ],
    }
    if not beperkte_set:
        if gemeente_oin:
            actie["uitvoerder"] = gemeente_oin
        actie["systeem"] = SYSTEM
        actie["gegevensbron"] = SYSTEM
        if event.actor_id is not None:  # a job or command has no user
            actie["gebruiker"] = stable_uuid("gebruiker", event.actor_id)
    return actie
