"""Receiving DUO events and COA koppelingen: each message in its own savepoint, duplicates reported, rejected
messages stored with a Dutch reason, accepted ones applied to the file and its file signals raised."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.audit.services import record_event
from openinburgering.clients import services as client_services
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, NotFound

from ..choices import FileSignalKind, MessageStatus, ResultCode, Source
from ..handlers import Outcome, handle_coa_koppeling, handle_duo_event
from ..messages import (
    InvalidEnvelopeError,
    MessageRejectedError,
    canonical_hash,
    external_id_of,
    parse_coa_koppeling,
    parse_duo_event,
    without_health_data,
)
from ..models import FileSignal, SignalMessage
from ..plicht_check import SignalDraft
from ..selectors import duo_termijn_reports
from .common import PURPOSE_SIGNALS, ImportReport, MessageResult, _reason_of, _require_receiver
from .retraction import _retract

# ---------------------------------------------------------------------------------------------------------------
# Receiving


def import_duo_events(*, actor: Actor, events: Iterable[Any], via: str = "ui") -> ImportReport:
    """Process a batch of raw DUO events in order; one result per message."""
    actor = _require_receiver(actor)
    report = ImportReport()
    for index, raw in enumerate(events):
        report.results.append(_receive(actor=actor, raw=raw, index=index, via=via, source=Source.DUO))
    return report


def import_coa_koppelingen(*, actor: Actor, koppelingen: Iterable[Any], via: str = "ui") -> ImportReport:
    actor = _require_receiver(actor)
    report = ImportReport()
    for index, raw in enumerate(koppelingen):
        report.results.append(_receive(actor=actor, raw=raw, index=index, via=via, source=Source.COA))
    return report


def _receive(*, actor: Actor, raw: Any, index: int, via: str, source: str) -> MessageResult:
    try:
        external_id = external_id_of(raw)
    except InvalidEnvelopeError as exc:
        return MessageResult(index=index, external_id="", result=ResultCode.REJECTED, reason=exc.reason)
    payload_hash = canonical_hash(raw)
    duplicate = _duplicate(
        actor=actor, source=source, external_id=external_id, payload_hash=payload_hash, index=index, via=via
    )
    if duplicate is not None:
        return duplicate
    now, today_ = timezone.now(), today()
    parse: Callable[..., Any] = parse_duo_event if source == Source.DUO else parse_coa_koppeling
    try:
        parsed = parse(raw, today=today_, now=now)
    except MessageRejectedError as exc:
        return _store_rejected(
            actor=actor,
            source=source,
            raw=raw,
            external_id=external_id,
            payload_hash=payload_hash,
            reason=exc.reason,
            index=index,
            via=via,
        )
    try:
        with transaction.atomic():
            return _apply(
                actor=actor, source=source, parsed=parsed, raw=raw, payload_hash=payload_hash, index=index, via=via
            )
    except NotFound:
        # The acting role may receive signals but not open files (e.g. an integration role without casework):
        # report it per message, never as a 404 for the whole batch.
        return _store_rejected(
            actor=actor,
            source=source,
            raw=raw,
            external_id=external_id,
            payload_hash=payload_hash,
            index=index,
            via=via,
            reason="Deze rol mag geen dossiers aanmaken of wijzigen.",
        )
    except ApplicationError as exc:
        return _store_rejected(
            actor=actor,
            source=source,
            raw=raw,
            external_id=external_id,
            payload_hash=payload_hash,
            reason=_reason_of(exc),
            index=index,
            via=via,
        )
    except IntegrityError:  # the same berichtId arrived at the same moment through another door
        again = _duplicate(
            actor=actor, source=source, external_id=external_id, payload_hash=payload_hash, index=index, via=via
        )
        if again is None:
            raise
        return again


def _duplicate(
    *, actor: Actor, source: str, external_id: str, payload_hash: str, index: int, via: str
) -> MessageResult | None:
    existing = (
        SignalMessage.objects.filter(gemeente_id=actor.gemeente_id, source=source, external_id=external_id)
        .only("pk", "payload_sha256", "status", "client_file_id", "received_at")
        .first()
    )
    if existing is None:
        return None
    if existing.payload_sha256 != payload_hash:
        return MessageResult(
            index=index,
            external_id=external_id,
            result=ResultCode.REJECTED,
            signal_id=existing.pk,
            reason="Dit berichtId is al gebruikt voor een bericht met een andere inhoud. Er is niets veranderd. "
            "Stuur een wijziging als correctie met een nieuw berichtId.",
        )
    with transaction.atomic():
        record_event(
            actor=actor,
            event_type="signal_duplicate_ignored",
            purpose=PURPOSE_SIGNALS,
            subject=existing,
            changes={},
            via=via,
        )
    received = timezone.localtime(existing.received_at)
    return MessageResult(
        index=index,
        external_id=external_id,
        result=ResultCode.DUPLICATE,
        signal_id=existing.pk,
        client_file_id=existing.client_file_id,
        reason=f"Dit bericht is al ontvangen op {received:%d-%m-%Y om %H:%M} "
        f"({MessageStatus(existing.status).label.lower()}). Er is niets veranderd.",
    )


def _registered_at_of(parsed: Any) -> datetime | None:
    value = getattr(parsed, "registered_at", None)
    return value if isinstance(value, datetime) else None


@transaction.atomic
def _store_rejected(
    *, actor: Actor, source: str, raw: Any, external_id: str, payload_hash: str, reason: str, index: int, via: str
) -> MessageResult:
    """A rejected message is kept as a record (type, times, hash, reason) without its content."""
    message_type = raw.get("gebeurtenisId") if source == Source.DUO else raw.get("soort", "koppeling")
    message_type = message_type if isinstance(message_type, str) and len(message_type) <= 20 else ""
    try:
        with transaction.atomic():
            message = SignalMessage.objects.create(
                gemeente_id=actor.gemeente_id,
                source=source,
                message_type=message_type,
                external_id=external_id,
                received_at=timezone.now(),
                received_by=actor.user,
                via=via,
                payload={},
                payload_sha256=payload_hash,
                status=MessageStatus.REJECTED,
                reason=reason,
            )
    except IntegrityError:
        again = _duplicate(
            actor=actor, source=source, external_id=external_id, payload_hash=payload_hash, index=index, via=via
        )
        if again is None:
            raise
        return again
    record_event(
        actor=actor,
        event_type="signal_received",
        purpose=PURPOSE_SIGNALS,
        subject=message,
        via=via,
        changes={"status": {"old": None, "new": MessageStatus.REJECTED}},
    )
    record_event(actor=actor, event_type="signal_rejected", purpose=PURPOSE_SIGNALS, subject=message, via=via)
    return MessageResult(
        index=index, external_id=external_id, result=ResultCode.REJECTED, reason=reason, signal_id=message.pk
    )


def _target(*, actor: Actor, source: str, external_id: str, word: str) -> SignalMessage:
    target = (
        SignalMessage.objects.select_for_update()
        .filter(gemeente_id=actor.gemeente_id, source=source, external_id=external_id)
        .first()
    )
    if target is None:
        raise ApplicationError(f"Het bericht waar deze {word} naar verwijst ({external_id}) is niet ontvangen.")
    if SignalMessage.objects.filter(retraction_of=target).exists():
        raise ApplicationError(f"Het bericht waar deze {word} naar verwijst is al ingetrokken.")
    if target.status == MessageStatus.REJECTED:
        raise ApplicationError(f"Het bericht waar deze {word} naar verwijst was afgewezen. Stuur een nieuw bericht.")
    return target


def _same_person(target: SignalMessage, bsn: str, word: str) -> None:
    payload = target.payload or {}
    original = payload.get("bsn") or (payload.get("persoon") or {}).get("bsn")
    if original and bsn and str(original) != bsn:
        raise ApplicationError(f"De {word} gaat over een andere persoon (BSN) dan het oorspronkelijke bericht.")


def _apply(
    *, actor: Actor, source: str, parsed: Any, raw: dict[str, Any], payload_hash: str, index: int, via: str
) -> MessageResult:
    correction_of: SignalMessage | None = None
    if parsed.retraction_of:
        target = _target(actor=actor, source=source, external_id=parsed.retraction_of, word="intrekking")
        _same_person(target, parsed.bsn, "intrekking")
        outcome = _retract(actor=actor, target=target, via=via)
        return _store(
            actor=actor,
            source=source,
            message_type=target.message_type,
            parsed=parsed,
            raw=raw,
            payload_hash=payload_hash,
            outcome=outcome,
            index=index,
            via=via,
            retraction_of=target,
        )
    if parsed.correction_of:
        correction_of = _target(actor=actor, source=source, external_id=parsed.correction_of, word="correctie")
        _same_person(correction_of, parsed.bsn, "correctie")
        if source == Source.DUO and correction_of.message_type != parsed.code:
            raise ApplicationError(
                f"Een correctie moet dezelfde gebeurteniscode hebben als het bericht dat zij corrigeert "
                f"({correction_of.message_type})."
            )
    if source == Source.DUO:
        outcome = handle_duo_event(actor=actor, event=parsed, via=via)
        message_type = parsed.code
        stored = raw
    else:
        outcome = handle_coa_koppeling(actor=actor, koppeling=parsed, via=via)
        message_type = "koppeling"
        keep_health = parsed.health_consent and outcome.status == MessageStatus.APPLIED
        stored = without_health_data(raw, keep=keep_health)
        if "gezondheid" in raw and not parsed.health_consent:
            outcome.notes.append(
                "Gezondheidssignalen zijn niet opgeslagen: in het bericht is geen toestemming vastgelegd."
            )
        elif "gezondheid" in raw and not keep_health:
            outcome.notes.append("Gezondheidssignalen zijn niet opgeslagen.")
    return _store(
        actor=actor,
        source=source,
        message_type=message_type,
        parsed=parsed,
        raw=stored,
        payload_hash=payload_hash,
        outcome=outcome,
        index=index,
        via=via,
        correction_of=correction_of,
    )


def _store(
    *,
    actor: Actor,
    source: str,
    message_type: str,
    parsed: Any,
    raw: dict[str, Any],
    payload_hash: str,
    outcome: Outcome,
    index: int,
    via: str,
    correction_of: SignalMessage | None = None,
    retraction_of: SignalMessage | None = None,
) -> MessageResult:
    linked = outcome.client_file if outcome.status == MessageStatus.APPLIED else None
    message = SignalMessage.objects.create(
        gemeente_id=actor.gemeente_id,
        source=source,
        message_type=message_type,
        external_id=parsed.external_id,
        registered_at=_registered_at_of(parsed),
        received_at=timezone.now(),
        received_by=actor.user,
        via=via,
        payload=raw,
        payload_sha256=payload_hash,
        client_file=linked,
        status=outcome.status,
        reason=outcome.full_reason(),
        result=outcome.result(),
        correction_of=correction_of,
        retraction_of=retraction_of,
    )
    record_event(
        actor=actor,
        event_type="signal_received",
        purpose=PURPOSE_SIGNALS,
        subject=message,
        client_file=linked,
        via=via,
        changes={"status": {"old": None, "new": outcome.status}},
    )
    if outcome.status == MessageStatus.QUARANTINED:
        event_type = "signal_quarantined"
    elif retraction_of is not None:
        event_type = "signal_retracted"
    elif correction_of is not None:
        event_type = "signal_corrected"
    else:
        event_type = "signal_applied"
    changes: dict[str, Any] = {}
    if correction_of is not None:
        changes["correction_of"] = correction_of.pk
    if retraction_of is not None:
        changes["retraction_of"] = retraction_of.pk
    record_event(
        actor=actor,
        event_type=event_type,
        purpose=PURPOSE_SIGNALS,
        subject=message,
        client_file=linked,
        via=via,
        changes=changes,
    )
    if linked is not None:
        _raise_file_signals(actor=actor, message=message, drafts=outcome.signals, via=via)
        if retraction_of is not None or any(d.kind == FileSignalKind.TERMIJN_STARTED for d in outcome.signals):
            # DUO's termijn (or its retraction) can move the termijn end (W 12): the file keeps the newest one left,
            # and its next step follows
            newest = duo_termijn_reports([linked.pk]).get(linked.pk)
            client_services.record_duo_termijn(
                linked, start_on=newest.start_on if newest else None,
                einddatum_on=newest.einddatum_on if newest else None,
                reported_on=newest.reported_on if newest else None,
            )  # fmt: skip
    return MessageResult(
        index=index,
        external_id=parsed.external_id,
        result=str(outcome.status),
        reason=message.reason,
        signal_id=message.pk,
        client_file_id=linked.pk if linked is not None else None,
    )


def _raise_file_signals(*, actor: Actor, message: SignalMessage, drafts: list[SignalDraft], via: str) -> None:
    client_file = message.client_file
    assert client_file is not None
    for draft in drafts:
        if (
            draft.is_mismatch
            and FileSignal.objects.filter(client_file=client_file, kind=draft.kind, resolved_at__isnull=True).exists()
        ):
            continue  # one open mismatch of a kind per file is enough; the new message is linked in the audit
        signal = FileSignal.objects.create(
            gemeente_id=actor.gemeente_id,
            client_file=client_file,
            message=message,
            kind=draft.kind,
            summary=draft.summary,
            data=draft.data,
        )
        if draft.kind in (FileSignalKind.PLICHT_MISMATCH, FileSignalKind.DOELGROEP_MISMATCH):
            record_event(
                actor=actor,
                event_type="plicht_mismatch_detected",
                purpose=PURPOSE_SIGNALS,
                client_file=client_file,
                subject=signal,
                via=via,
                changes={"kind": draft.kind, "message": message.pk},
            )
