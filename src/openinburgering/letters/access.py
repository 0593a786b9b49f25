"""The door to a letter: through its client file (access_client_file), so the same 404 rules apply."""

from __future__ import annotations

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.sections import Section
from openinburgering.clients.access import access_client_file
from openinburgering.core.errors import NotFound

from .models import Letter


def access_letter(actor: Actor | None, client_file_id: int | str, letter_id: int | str) -> Letter:
    client_file = access_client_file(actor, client_file_id, section=Section.DOCUMENTEN)
    try:
        pk = int(letter_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    letter = Letter.objects.filter(pk=pk, client_file=client_file).first()
    if letter is None:
        raise NotFound()
    letter.client_file = client_file
    return letter
