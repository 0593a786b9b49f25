"""Shared parts of the intake services: the plannable steps and their letters, the locks and checks every step
makes, and the audited read of the intake part of a file."""

from __future__ import annotations

from typing import Any

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.audit.services import record_event
from openinburgering.clients.models import ClientFile
from openinburgering.clients.services import PURPOSE_CASEWORK
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.letters.models import LetterKind
from openinburgering.rules import IntakeStep

from ..models import MAX_CALLS

PLANNABLE_STEPS = (IntakeStep.FIRST_CALL, IntakeStep.WARNING_AND_REPEAT_CALL, IntakeStep.FINE_AND_NEW_TERM)
CALL_LETTERS = {
    1: (LetterKind.OPROEP, "letters/intake_oproep.html", "Uitnodiging voor een gesprek: de brede intake"),
    2: (LetterKind.WAARSCHUWING, "letters/intake_waarschuwing.html", "Waarschuwing en nieuwe afspraak brede intake"),
    3: (
        LetterKind.BOETE_NIEUWE_TERMIJN,
        "letters/intake_boete_nieuwe_termijn.html",
        "Wij willen u een boete geven. U krijgt een nieuwe afspraak",
    ),
}
NOT_PLANNABLE = {
    IntakeStep.WAIT: "Er staat al een oproep gepland. Leg eerst vast hoe die afspraak ging.",
    IntakeStep.NONE: "De persoon is al gekomen. Een nieuwe oproep is niet nodig.",
    IntakeStep.FINE_AND_INTAKE_IN_ABSENCE: (
        f"Er zijn al {MAX_CALLS} oproepen geweest (W 14 lid 2). U kunt geen oproep meer plannen. "
        "Rond de brede intake af zonder de persoon."
    ),
}
WHAT_TO_BRING = (
    "uw identiteitsbewijs of verblijfsdocument",
    "diploma's en getuigschriften, ook uit uw land van herkomst",
    "papieren over uw werk in het verleden (als u die heeft)",
    "een lijst van de medicijnen die u gebruikt (als u dat wilt)",
)


def _lock(client_file: ClientFile) -> ClientFile:
    """Lock the file row, so two people cannot plan or record at the same time."""
    return ClientFile.objects.select_for_update().get(pk=client_file.pk)


def _require_change(actor: Actor) -> None:
    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()


def _require_open(client_file: ClientFile) -> None:
    if not client_file.is_open:
        raise ApplicationError("Dit dossier is gesloten. U kunt hier niets meer aan veranderen.")


def record_read(
    *, actor: Actor, client_file: ClientFile, event_type: str, subject: Any = None, via: str = "ui",
    changes: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    """Log a read of intake data (doelbinding: casework). Call inside the request's transaction."""
    record_event(
        actor=actor, event_type=event_type, purpose=PURPOSE_CASEWORK, client_file=client_file,
        subject=subject if subject is not None else client_file, changes=changes, via=via,
    )  # fmt: skip
