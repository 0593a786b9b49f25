"""The only door to a client file. Missing, other gemeente and missing capability all raise NotFound (404)."""

from __future__ import annotations

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.core.errors import NotFound

from .models import ClientFile, Note


def access_client_file(actor: Actor | None, client_file_id: int | str, *, for_write: bool = False) -> ClientFile:
    if actor is None or not actor.can(Capability.VIEW_CLIENT_FILES):
        raise NotFound()
    if for_write and not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    try:
        pk = int(client_file_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    queryset = ClientFile.objects.select_related(
        "person", "person__nationality", "person__birth_country", "assigned_to", "team"
    )
    if for_write:
        queryset = queryset.select_for_update(of=("self",))
    client_file = queryset.filter(pk=pk, gemeente_id=actor.gemeente_id).first()
    if client_file is None:
        raise NotFound()
    return client_file


def access_client_file_audit(actor: Actor | None, client_file_id: int | str) -> ClientFile:
    """The door to a file's audit trail ("wie heeft dit dossier ingezien"): for VIEW_FILE_AUDIT, which the
    functioneel beheerder holds without VIEW_CLIENT_FILES. Callers show no personal data from the file."""
    if actor is None or not actor.can(Capability.VIEW_FILE_AUDIT):
        raise NotFound()
    try:
        pk = int(client_file_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    client_file = ClientFile.objects.filter(pk=pk, gemeente_id=actor.gemeente_id).first()
    if client_file is None:
        raise NotFound()
    return client_file


def access_note(actor: Actor | None, client_file: ClientFile, note_id: int | str) -> Note:
    """A note of a file the actor already reached through access_client_file."""
    try:
        pk = int(note_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    note = Note.objects.filter(pk=pk, client_file=client_file).first()
    if actor is None or note is None:
        raise NotFound()
    return note
