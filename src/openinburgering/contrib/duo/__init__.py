"""DUO M2M (Wet inburgering 2021) adapters. See :mod:`openinburgering.contrib.duo.sources`."""

from .sources import DuoEventSource, EventSourceError, InlineEventSource, JsonFileEventSource

__all__ = ["DuoEventSource", "EventSourceError", "InlineEventSource", "JsonFileEventSource"]
