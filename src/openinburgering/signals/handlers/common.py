"""Shared parts of the signal handlers: the outcome of a message, the file changes through ``clients.services``
(fields, status) and the remit checks (another gemeente, no file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openinburgering.accounts.actor import Actor
from openinburgering.clients import services as client_services
from openinburgering.clients.models import ClientFile
from openinburgering.clients.workflow import can_transition

from ..choices import FileSignalKind, MessageStatus
from ..plicht_check import SignalDraft

FIELD_LABELS = {
    "doelgroep": "doelgroep",
    "residence": "soort verblijf",
    "residence_purpose": "verblijfsdoel",
    "residence_from_on": "verblijfsvergunning vanaf",
    "kennisgeving_on": "kennisgeving DUO",
    "coa_koppeling_on": "COA-koppeling",
    "housed_under_taakstelling": "gehuisvest via de taakstelling",
    "registered_on": "inschrijving BRP",
    "housed_on": "huisvesting vanaf",
    "pip_dagtekening_on": "dagtekening PIP",
}


@dataclass
class Outcome:
    status: str
    reason: str
    client_file: ClientFile | None = None
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    created_file: bool = False
    status_change: dict[str, str] | None = None
    signals: list[SignalDraft] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @classmethod
    def quarantine(cls, reason: str) -> Outcome:
        return cls(status=MessageStatus.QUARANTINED, reason=reason)

    def full_reason(self) -> str:
        return " ".join([self.reason, *self.notes]).strip()

    def result(self) -> dict[str, Any]:
        return {
            "changes": self.changes,
            "created_file": self.created_file,
            "status_change": self.status_change,
            "signals": [draft.kind for draft in self.signals],
        }


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def update_file(*, actor: Actor, client_file: ClientFile, data: dict[str, Any], via: str) -> dict[str, Any]:
    """Apply field values through clients.services (audited there); return {field: {old, new}} of real changes."""
    changes = {
        name: {"old": _json(getattr(client_file, name)), "new": _json(value)}
        for name, value in data.items()
        if getattr(client_file, name) != value
    }
    if changes:
        client_services.update_client_file(
            actor=actor, client_file=client_file, data={k: data[k] for k in changes}, via=via
        )
    return changes


def change_status(
    *, actor: Actor, outcome: Outcome, client_file: ClientFile, to_status: str, reason: str, via: str
) -> None:
    """Change the status through clients.services when the workflow allows it; otherwise ask a person to look."""
    if client_file.status == to_status:
        outcome.notes.append("De status van het dossier was al goed.")
        return
    if not can_transition(client_file.status, to_status):
        outcome.signals.append(
            SignalDraft(
                FileSignalKind.REVIEW_NEEDED,
                f"{reason} De status van het dossier kon niet automatisch worden aangepast "
                f"(nu: {client_file.get_status_display()}). Beoordeel het dossier.",
                {"wanted_status": to_status, "current_status": client_file.status},
            )
        )
        outcome.notes.append("De status is niet automatisch aangepast; er staat een signaal op het dossier.")
        return
    old = client_file.status
    # checked: a DUO event decides (e.g. SS106 voldaan); the gemeente's own check is for manual changes.
    client_services.change_status(
        actor=actor, client_file=client_file, to_status=to_status, reason=reason, via=via, checked=True
    )
    outcome.status_change = {"old": old, "new": to_status}


def _changed_text(changes: dict[str, Any]) -> str:
    if not changes:
        return "Er veranderde niets in het dossier."
    return "Bijgewerkt: " + ", ".join(FIELD_LABELS.get(name, name) for name in changes) + "."


def _other_gemeente(code: str) -> Outcome:
    return Outcome.quarantine(
        f"DUO koppelt deze persoon aan een andere gemeente (GM{code}). Het bericht hoort niet bij deze gemeente "
        "en is niet aan een dossier gekoppeld."
    )


NO_FILE = (
    "Deze persoon heeft geen open dossier in deze gemeente. Het bericht is apart gezet en niet aan een dossier "
    "gekoppeld."
)


def _register(*, actor: Actor, person: dict[str, Any], file_data: dict[str, Any], via: str) -> ClientFile:
    return client_services.register_client(actor=actor, person_data=person, file_data=file_data, via=via)
