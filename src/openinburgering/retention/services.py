"""State changes of the retention (issue #12 item 5, ADR 0007): legal holds, and the destruction of files whose
retention date (``rules.retention``, B 9.9 lid 1 sub a) has passed. Every change is audited in its own
transaction; a file is destroyed whole or not at all."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Gemeente
from openinburgering.audit.services import record_event
from openinburgering.clients.models import ClientFile
from openinburgering.core.errors import ApplicationError, Conflict

from . import cbs_files, destruction, payment_files
from .models import BASIS_LID_1_SUB_A, DestructionRecord, LegalHold, LegalHoldRelease
from .selectors import FileRetention, active_holds, ended_files, retention_of, retention_rows

PURPOSE_RETENTION = "bewaartermijn (Besluit inburgering 2021 art. 9.9)"
JOB_NAME = "apply_retention"
REASON_MAX_LENGTH = 500


def _clean_reason(reason: str) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        message = "Vul de reden in."
        raise ApplicationError(message, field_errors={"reason": [message]})
    if len(cleaned) > REASON_MAX_LENGTH:
        message = f"De reden is te lang: gebruik hoogstens {REASON_MAX_LENGTH} tekens."
        raise ApplicationError(message, field_errors={"reason": [message]})
    return cleaned


@transaction.atomic
def set_legal_hold(*, actor: Actor, client_file: ClientFile, reason: str, via: str = "ui") -> LegalHold:
    """Stops the destruction of the file until the hold is released (a pending bezwaar or beroep, a complaint,
    a request of the Autoriteit Persoonsgegevens). The file is locked, so a running retention job waits."""
    cleaned = _clean_reason(reason)
    locked = ClientFile.objects.select_for_update().get(pk=client_file.pk)
    if DestructionRecord.objects.filter(client_file=locked).exists():
        raise Conflict("Dit dossier is al vernietigd. Een legal hold is niet meer mogelijk.")
    if active_holds().filter(client_file=locked).exists():
        raise Conflict("Dit dossier heeft al een legal hold.")
    hold = LegalHold.objects.create(
        gemeente_id=locked.gemeente_id, client_file=locked, reason=cleaned, placed_at=timezone.now(),
        placed_by=actor.user,
    )  # fmt: skip
    record_event(
        actor=actor, event_type="legal_hold_placed", purpose=PURPOSE_RETENTION, client_file=locked, subject=hold,
        changes={"on_hold": {"old": False, "new": True}}, via=via,
    )  # fmt: skip
    return hold


@transaction.atomic
def release_legal_hold(*, actor: Actor, hold: LegalHold, reason: str, via: str = "ui") -> LegalHoldRelease:
    """Ends a hold with a release row (the hold itself never changes). The file may be destroyed by the next run
    when its retention date has passed."""
    cleaned = _clean_reason(reason)
    locked = LegalHold.objects.select_for_update().select_related("client_file").get(pk=hold.pk)
    if LegalHoldRelease.objects.filter(hold=locked).exists():
        raise Conflict("Deze legal hold is al opgeheven.")
    release = LegalHoldRelease.objects.create(
        hold=locked, reason=cleaned, released_at=timezone.now(), released_by=actor.user
    )
    still_on_hold = active_holds().filter(client_file_id=locked.client_file_id).exists()
    record_event(
        actor=actor, event_type="legal_hold_released", purpose=PURPOSE_RETENTION, client_file=locked.client_file,
        subject=locked, changes={"on_hold": {"old": True, "new": still_on_hold}}, via=via,
    )  # fmt: skip
    return release


@dataclass
class GemeenteRetention:
    """The report of one gemeente: files past their retention date, and what happened to them."""

    code: str
    name: str
    past_retention: int = 0
    destroyable: list[int] = field(default_factory=list)
    destroyed: list[int] = field(default_factory=list)
    on_hold: list[int] = field(default_factory=list)
    still_open: list[int] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    def add_rows(self, counts: dict[str, int]) -> None:
        for code, count in counts.items():
            self.rows[code] = self.rows.get(code, 0) + count


@dataclass
class RetentionReport:
    as_of: date
    dry_run: bool
    run_id: uuid.UUID
    gemeenten: dict[str, GemeenteRetention] = field(default_factory=dict)
    payment_files: dict[str, list[int]] = field(default_factory=dict)
    """Per gemeente code: the payment runs' SEPA files past their own term (#13 gap 6), destroyed or to destroy."""
    cbs_files: dict[str, list[int]] = field(default_factory=dict)
    """Per gemeente code: the stored CBS delivery files past their own term (two years), destroyed or to destroy."""


def apply_retention(
    *,
    as_of: date,
    dry_run: bool,
    gemeente_id: int | None = None,
    batch_size: int = 100,
    progress: Callable[[int, int], None] | None = None,
) -> RetentionReport:
    """The daily job. Reads the ended files in batches; each file past its retention date that is closed and not
    on hold is destroyed in its own transaction (``dry_run``: only counted, nothing changes, one
    ``retention_dry_run_reported`` event per gemeente). Idempotent: a destroyed file has a DestructionRecord and is
    never read again."""
    report = RetentionReport(as_of=as_of, dry_run=dry_run, run_id=uuid.uuid4())
    names = dict(Gemeente.objects.values_list("code", "name"))
    checked = 0
    batch: list[FileRetention] = []

    def flush() -> None:
        nonlocal checked
        destroyable: dict[str, list[int]] = {}
        for row in batch:
            if not row.is_past_retention(as_of):
                continue
            part = report.gemeenten.setdefault(
                row.gemeente_code, GemeenteRetention(code=row.gemeente_code, name=names[row.gemeente_code])
            )
            part.past_retention += 1
            if row.on_hold:
                part.on_hold.append(row.client_file_id)
            elif row.is_open:
                part.still_open.append(row.client_file_id)
            else:
                part.destroyable.append(row.client_file_id)
                destroyable.setdefault(row.gemeente_code, []).append(row.client_file_id)
        for code, file_ids in destroyable.items():
            part = report.gemeenten[code]
            if dry_run:
                part.add_rows(destruction.count_rows(file_ids))
                continue
            for file_id in file_ids:
                record = destroy_file(client_file_id=file_id, as_of=as_of, run_id=report.run_id)
                if record is not None:
                    part.destroyed.append(file_id)
                    part.add_rows(record.categories)
        checked += len(batch)
        if progress is not None:
            progress(checked, sum(len(part.destroyed) for part in report.gemeenten.values()))
        batch.clear()

    for row in retention_rows(gemeente_id=gemeente_id, batch_size=batch_size):
        batch.append(row)
        if len(batch) >= batch_size:
            flush()
    flush()
    report.payment_files = payment_files.destroy_payment_files(
        as_of=as_of, dry_run=dry_run, gemeente_id=gemeente_id
    ).files
    report.cbs_files = cbs_files.destroy_cbs_files(as_of=as_of, dry_run=dry_run, gemeente_id=gemeente_id).files
    if dry_run:
        _record_dry_run(report, gemeente_id=gemeente_id)
    return report


@transaction.atomic
def _record_dry_run(report: RetentionReport, *, gemeente_id: int | None) -> None:
    gemeenten = Gemeente.objects.filter(code__in=list(report.gemeenten))
    for gemeente in gemeenten.order_by("code"):
        part = report.gemeenten[gemeente.code]
        record_event(
            event_type="retention_dry_run_reported", purpose=PURPOSE_RETENTION, gemeente=gemeente, via="job",
            changes={
                "as_of": report.as_of.isoformat(), "basis": BASIS_LID_1_SUB_A,
                "past_retention": part.past_retention, "destroyable": len(part.destroyable),
                "on_hold": len(part.on_hold), "still_open": len(part.still_open), "rows": part.rows,
                "payment_files": len(report.payment_files.get(gemeente.code, [])),
                "cbs_files": len(report.cbs_files.get(gemeente.code, [])),
            },
        )  # fmt: skip
    if not report.gemeenten:
        record_event(
            event_type="retention_dry_run_reported", purpose=PURPOSE_RETENTION,
            gemeente=Gemeente.objects.filter(pk=gemeente_id).first() if gemeente_id else None, via="job",
            changes={"as_of": report.as_of.isoformat(), "basis": BASIS_LID_1_SUB_A, "past_retention": 0},
        )  # fmt: skip


@transaction.atomic
def destroy_file(*, client_file_id: int, as_of: date, run_id: uuid.UUID) -> DestructionRecord | None:
    """Destroys one file in one transaction: every category of personal data (``retention.destruction``), the
    household and the person, keeping the skeleton and writing a DestructionRecord and a ``retention_destroyed``
    event. Checked again under the file's lock: a file that got a hold, was destroyed by a parallel run or is
    not past its retention date is left alone (returns None)."""
    locked = ClientFile.objects.select_for_update().filter(pk=client_file_id).first()
    current = ended_files().filter(pk=client_file_id).first()
    if locked is None or current is None:
        return None
    row = retention_of(current)
    if not row.is_destroyable(as_of):
        return None
    with destruction.exempt_insert_only():
        counts = destruction.destroy_rows(locked)
        counts |= destruction.destroy_people(locked)
        destruction.clear_skeleton(locked)
    record = DestructionRecord.objects.create(
        gemeente_id=locked.gemeente_id, client_file=locked, destroyed_at=timezone.now(),
        plicht_ended_on=row.plicht_ended_on, plicht_ended_status=row.plicht_ended_status,
        retain_until_on=row.retain_until_on, basis=BASIS_LID_1_SUB_A, categories=counts, performed_by=JOB_NAME,
        run_id=run_id,
    )  # fmt: skip
    record_event(
        event_type="retention_destroyed", purpose=PURPOSE_RETENTION, gemeente=current.gemeente, client_file=locked,
        subject=record, via="job",
        changes={
            "basis": BASIS_LID_1_SUB_A, "plicht_ended_on": row.plicht_ended_on.isoformat(),
            "retain_until_on": row.retain_until_on.isoformat(),
            "categories": {code: count for code, count in counts.items() if count},
        },
    )  # fmt: skip
    return record
