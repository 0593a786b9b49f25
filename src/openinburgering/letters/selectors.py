from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.sections import ASSIGNED_ONLY, Access, Section
from openinburgering.clients.access import section_access
from openinburgering.clients.models import ClientFile

from .models import Letter, LetterDispatch


def letters_of(client_file: ClientFile) -> QuerySet[Letter]:
    """The letters of a file, newest first, without their PDF bytes (deferred)."""
    return (
        Letter.objects.filter(client_file=client_file)
        .defer("content")
        .select_related("created_by", "dispatch")
        .order_by("-created_at", "-id")
    )


def bekendgemaakt_on(letter_id: int | None, *, fallback: date) -> date:
    """The day a beschikking was bekendgemaakt (Awb 3:41: by sending it): the letter's recorded send date; the
    ``fallback`` (its dagtekening) while it is not recorded as sent. Terms from it are the rules' (bezwaar_termijn)."""
    if letter_id is None:
        return fallback
    sent_on = LetterDispatch.objects.filter(letter_id=letter_id).values_list("sent_on", flat=True).first()
    return sent_on or fallback


def unsent_letters(*, actor: Actor, limit: int | None = 200) -> QuerySet[Letter]:
    """Letters of the actor's gemeente not yet recorded as sent, oldest first (the worklist), without their PDF.
    Only for a role that reads the documents of files; a role limited to assigned files sees only those.
    ``limit`` None: unsliced, for the API's paginator (it pages in the database)."""
    if section_access(actor, Section.DOCUMENTEN) < Access.READ:
        return Letter.objects.none()
    letters = Letter.objects.filter(client_file__gemeente_id=actor.gemeente_id, dispatch__isnull=True)
    if actor.role_code in ASSIGNED_ONLY:
        letters = letters.filter(client_file__begeleider_id=actor.user.pk)
    ordered = letters.defer("content").select_related("client_file", "client_file__person").order_by("created_at", "pk")
    return ordered if limit is None else ordered[:limit]
