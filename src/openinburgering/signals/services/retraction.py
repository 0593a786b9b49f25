"""A retraction from DUO or COA: the earlier message's changes to the file put back, audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from openinburgering.accounts.actor import Actor

from ..choices import FileSignalKind, MessageStatus
from ..handlers import FIELD_LABELS, Outcome, update_file
from ..models import SignalMessage
from ..plicht_check import SignalDraft
from ..selectors import lock_file

# ---------------------------------------------------------------------------------------------------------------
# Retraction


_DATE_FIELDS = {
    "residence_from_on",
    "kennisgeving_on",
    "coa_koppeling_on",
    "registered_on",
    "housed_on",
    "pip_dagtekening_on",
}


def _from_json(name: str, value: Any) -> Any:
    if name in _DATE_FIELDS and isinstance(value, str):
        return date.fromisoformat(value)
    if value is None and name in ("doelgroep", "residence", "residence_purpose"):
        return ""
    return value


def _retract(*, actor: Actor, target: SignalMessage, via: str) -> Outcome:
    """Undo what the retracted message (and its corrections) changed in the file, where nobody changed it since.
    Opening a file or changing its status is not undone automatically: a person decides (review signal)."""
    if target.status != MessageStatus.APPLIED or target.client_file_id is None:
        return Outcome(
            status=MessageStatus.APPLIED,
            reason="Het ingetrokken bericht was niet aan een dossier gekoppeld. Er is niets teruggezet.",
        )
    client_file = lock_file(target.client_file_id)
    chain = [
        target,
        *SignalMessage.objects.filter(correction_of=target, status=MessageStatus.APPLIED).order_by("received_at", "id"),
    ]
    restore: dict[str, Any] = {}
    for message in reversed(chain):
        for name, change in (message.result.get("changes") or {}).items():
            current = getattr(client_file, name)
            current_json = current.isoformat() if isinstance(current, date) else current
            if name in restore or current_json == change.get("new"):
                restore[name] = _from_json(name, change.get("old"))
    outcome = Outcome(status=MessageStatus.APPLIED, client_file=client_file, reason="")
    if client_file.is_open:
        outcome.changes = update_file(actor=actor, client_file=client_file, data=restore, via=via)
    if outcome.changes:
        labels = ", ".join(FIELD_LABELS.get(name, name) for name in outcome.changes)
        outcome.reason = f"Bericht ingetrokken. Teruggezet in het dossier: {labels}."
    else:
        outcome.reason = "Bericht ingetrokken. Er hoefde niets in het dossier te worden teruggezet."
    created = any(message.result.get("created_file") for message in chain)
    status_changed = [m.result["status_change"] for m in chain if m.result.get("status_change")]
    if created or status_changed:
        what = "opende dit dossier" if created else "veranderde de status van het dossier"
        outcome.signals.append(
            SignalDraft(
                FileSignalKind.REVIEW_NEEDED,
                f"De bron trok een bericht in dat {what}. Dat wordt niet automatisch teruggedraaid. Beoordeel of het "
                "dossier zo klopt.",
                {
                    "retracted_message": target.pk,
                    "created_file": created,
                    "status_changes": status_changed,
                    "current_status": client_file.status,
                },
            )
        )
        outcome.notes.append("Er staat een signaal op het dossier om te controleren.")
    return outcome
