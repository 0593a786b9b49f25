"""The door to the legal holds of a file: the functioneel beheerder (``manage_legal_holds``) of the file's
gemeente. Missing, other gemeente and missing capability all raise NotFound (404). The holder sees no personal
data of the file through this door: ids, status and dates only."""

from __future__ import annotations

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.clients.models import ClientFile
from openinburgering.core.errors import NotFound

from .models import LegalHold


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def access_file_for_holds(actor: Actor | None, client_file_id: int | str) -> ClientFile:
    if actor is None or not actor.can(Capability.MANAGE_LEGAL_HOLDS):
        raise NotFound()
    client_file = ClientFile.objects.filter(pk=_pk(client_file_id), gemeente_id=actor.gemeente_id).first()
    if client_file is None:
        raise NotFound()
    return client_file


def access_hold(actor: Actor | None, hold_id: int | str) -> LegalHold:
    """A hold by its id, through the file's door: another gemeente's hold or no capability gives 404."""
    if actor is None or not actor.can(Capability.MANAGE_LEGAL_HOLDS):
        raise NotFound()
    hold = (
        LegalHold.objects.select_related("client_file")
        .filter(pk=_pk(hold_id), client_file__gemeente_id=actor.gemeente_id)
        .first()
    )
    if hold is None:
        raise NotFound()
    return hold
