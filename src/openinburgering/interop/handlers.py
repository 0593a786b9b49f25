"""Outbox handlers of this app register themselves here (imported from InteropConfig.ready)."""

from . import (
    duo_handlers,  # noqa: F401 -- DUO M2M handlers (duo.pip, duo.uren, duo.notificatie) register on import
    klantinteracties,  # noqa: F401 -- Open Klant handlers (openklant.klantcontact, openklant.digitaal_adres)
)
