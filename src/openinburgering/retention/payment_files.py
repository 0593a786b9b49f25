"""Destroying payment run SEPA files after their own retention term (#13 gap 6).

A run's pain.001 file (``ontzorgen.PaymentFile``) holds the creditors, IBANs and remittance lines of many clients
at once; it is not part of any one client file, so the file destruction (B 9.9) leaves it. It is the gemeente's
financial record and is kept for ``rules.retention.payment_file_retention`` (seven years after the end of the year
the run was approved). After that the daily retention job empties its content, each file in its own transaction
under the insert-only exemption, and writes ``payment_file_destroyed`` (job). What stays is the row without
personal data: message id, SHA-256, number of payments and total, so the run still shows what was sent and that
the file was destroyed. Idempotent: an emptied file is never selected again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import models, transaction
from django.utils import timezone

from openinburgering.audit.services import record_event
from openinburgering.ontzorgen.models import PaymentFile
from openinburgering.rules.retention import PAYMENT_FILE_RETENTION_YEARS, payment_file_retention

from . import destruction

PURPOSE_PAYMENT_FILES = "bewaartermijn financiële administratie (AWR art. 52 lid 4)"


@dataclass
class PaymentFileReport:
    """Per gemeente code: the ids of the payment files past their term (destroyed, or to destroy in a dry run)."""

    files: dict[str, list[int]] = field(default_factory=dict)


def _approved_on(payment_file: PaymentFile) -> date:
    approved_at = payment_file.run.approved_at or payment_file.created_at
    return timezone.localtime(approved_at).date()


def due_payment_files(*, as_of: date, gemeente_id: int | None = None) -> list[PaymentFile]:
    """Stored files whose term ended before ``as_of`` (not yet emptied). The database narrows by approval date;
    the rule decides. Content is not loaded."""
    latest_year = as_of.year - PAYMENT_FILE_RETENTION_YEARS  # approved in this year or before: maybe due
    cutoff = timezone.make_aware(datetime.combine(date(latest_year + 1, 1, 2), time.min))
    files = (
        PaymentFile.objects.filter(run__approved_at__lt=cutoff)
        .exclude(content=b"")
        .select_related("run__gemeente")
        .defer("content")
        .order_by("run__approved_at", "id")
    )
    if gemeente_id is not None:
        files = files.filter(run__gemeente_id=gemeente_id)
    return [f for f in files if payment_file_retention(approved_on=_approved_on(f)) < as_of]


def destroy_payment_files(*, as_of: date, dry_run: bool, gemeente_id: int | None = None) -> PaymentFileReport:
    """Empty every payment file past its term (``dry_run``: only list them)."""
    report = PaymentFileReport()
    for payment_file in due_payment_files(as_of=as_of, gemeente_id=gemeente_id):
        code = payment_file.run.gemeente.code
        if dry_run or _destroy(payment_file, as_of=as_of):
            report.files.setdefault(code, []).append(payment_file.pk)
    return report


@transaction.atomic
def _destroy(payment_file: PaymentFile, *, as_of: date) -> bool:
    kept_until = payment_file_retention(approved_on=_approved_on(payment_file))
    with destruction.exempt_insert_only():
        emptied = models.QuerySet.update(
            PaymentFile.objects.filter(pk=payment_file.pk).exclude(content=b""), content=b""
        )
    if not emptied:  # a parallel run was first
        return False
    record_event(
        event_type="payment_file_destroyed", purpose=PURPOSE_PAYMENT_FILES, gemeente=payment_file.run.gemeente,
        subject=payment_file, via="job",
        changes={
            "message_id": payment_file.message_id, "run": payment_file.run_id, "kept_until": kept_until.isoformat(),
            "as_of": as_of.isoformat(), "payment_count": payment_file.payment_count,
        },
    )  # fmt: skip
    return True
