"""Where DUO events come from: an interface and the two ways in that exist today.

DUO pushes a *notificatie* (``POST /notificaties`` on the gemeente's Notificatie API: ``registratieDatumTijd``,
``gebeurtenisId`` such as SS101, ``bsn``, ``vNummer``), after which the gemeente asks the relevant DUO API
(Inburgeringsplicht, Inburgeringstermijn, Leerbaarheidstoets, Vrijstelling, Ontheffing, ...) for the data.
Spec: the public repository ``duonl/gemeente-m2m-inburgering``; notes in ``shared/domain/duo-m2m.md``.

The live Digikoppeling connection is in ``interop`` (#17): DUO calls this application's Notificatie API
(``interop.duo_notificaties``, mutual TLS), a background job fetches the data from DUO's APIs
(``interop.duo_handlers.enrich``, client ``interop.duo``) and hands the enriched event to the same intake. The
sources here stay for gemeenten without that connection: a *DUO event* is the notificatie envelope with the data of
the relevant DUO API already attached (the shapes and field names of DUO's schemas), delivered either as a JSON
file (:class:`JsonFileEventSource`, used by the ``import_duo_events`` command and the upload page) or as the body of
``POST /api/v1/signals/duo-events`` (:class:`InlineEventSource`).

The adapter only reads and shapes input. It does not validate events (``signals.messages`` does, per message)
and never touches the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

MAX_EVENTS_PER_BATCH = 5000
"""A guard against runaway files; a real DUO batch is far smaller."""


class EventSourceError(Exception):
    """The source as a whole cannot be read (not JSON, not a list of events). The message is Dutch (B1)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@runtime_checkable
class DuoEventSource(Protocol):
    """Anything that yields raw DUO events (one ``dict`` per message, as received; not yet validated)."""

    def events(self) -> Iterator[Any]:
        """Yield the raw events in the order DUO sent them (corrections after what they correct)."""
        ...


def _as_event_list(data: Any) -> list[Any]:
    if isinstance(data, dict):
        # A single event, or {"events": [...]} / {"gebeurtenissen": [...]} wrapping a batch.
        for key in ("events", "gebeurtenissen"):
            if key in data and isinstance(data[key], list):
                data = data[key]
                break
        else:
            return [data]
    if not isinstance(data, list):
        raise EventSourceError("Het bestand moet één bericht of een lijst met berichten bevatten.")
    if not data:
        raise EventSourceError("Er staan geen berichten in.")
    if len(data) > MAX_EVENTS_PER_BATCH:
        raise EventSourceError(f"Er staan te veel berichten in. Het maximum is {MAX_EVENTS_PER_BATCH}.")
    return data


def parse_json_bytes(raw: bytes) -> list[Any]:
    """Decode a JSON document of events; raises :class:`EventSourceError` with a Dutch reason."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EventSourceError("Het bestand is geen tekstbestand in UTF-8.") from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise EventSourceError("Het bestand is geen geldige JSON.") from None
    return _as_event_list(data)


class JsonFileEventSource:
    """Reads a JSON file: one event object, a list of events, or ``{"events": [...]}``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def events(self) -> Iterator[Any]:
        try:
            raw = self.path.read_bytes()
        except OSError:
            raise EventSourceError("Het bestand kan niet worden gelezen.") from None
        yield from parse_json_bytes(raw)


class InlineEventSource:
    """Events already decoded (an API request body, an uploaded file read into memory)."""

    def __init__(self, data: Any) -> None:
        self._events = _as_event_list(data)

    def events(self) -> Iterator[Any]:
        yield from self._events
