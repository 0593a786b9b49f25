"""Outbox handlers of this app register themselves here (imported from InteropConfig.ready): DUO M2M
(``duo_handlers``, ``duo_uren``, ``duo_resultaten``), Open Klant (``klantinteracties``), the ZGW exchanges
(``zgw.py``), the notifications (``notificaties.py``) and letters by e-mail or digital post (``letters_out.py``)."""

from . import (
    duo_handlers,  # noqa: F401 -- DUO M2M handlers (duo.pip, duo.notificatie) register on import
    duo_resultaten,  # noqa: F401 -- duo.map, duo.pvt
    duo_uren,  # noqa: F401 -- duo.uren
    klantinteracties,  # noqa: F401 -- Open Klant handlers (openklant.klantcontact, openklant.digitaal_adres)
    letters_out,  # noqa: F401 -- letter.email, letter.digitaal
    notificaties,  # noqa: F401 -- nrc.notificatie
    notificaties_in,  # noqa: F401 -- nrc.ontvangen (acting on received notifications)
    zgw,  # noqa: F401 -- zgw.zaak, zgw.status, zgw.document, zgw.besluit
)
