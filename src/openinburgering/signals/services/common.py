"""Shared parts of the signals services: the purpose, the report of an import, and the receiver check."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.core.errors import ApplicationError, NotFound

from ..choices import ResultCode

PURPOSE_SIGNALS = "uitvoering Wet inburgering 2021 (signalen DUO/COA)"


@dataclass(frozen=True)
class MessageResult:
    index: int
    external_id: str
    result: str
    reason: str
    signal_id: int | None = None
    client_file_id: int | None = None

    @property
    def result_label(self) -> str:
        return str(ResultCode(self.result).label)


@dataclass
class ImportReport:
    results: list[MessageResult] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counter = Counter(result.result for result in self.results)
        return {str(code): counter.get(str(code), 0) for code in ResultCode}

    @property
    def total(self) -> int:
        return len(self.results)


def _reason_of(exc: ApplicationError) -> str:
    messages = [message for messages in exc.field_errors.values() for message in messages]
    return " ".join(messages) if messages else exc.message


def _require_receiver(actor: Actor | None) -> Actor:
    if actor is None or not actor.can(Capability.RECEIVE_SIGNALS):
        raise NotFound()
    return actor
