"""Destroying stored CBS delivery files after their retention term (#16 item 5, docs/retention.md).

A quarter's CBS file (``monitoring.CbsDelivery``) holds the BSN and kenmerken of every client delivered in it. It
belongs to no single client file, so the file destruction (B 9.9) leaves it. It is kept for
``rules.retention.cbs_delivery_retention`` (two years after the end of its quarter: our default, the gemeente's
choice under its selectielijst). After that the daily retention job empties its content and its per-record digests
(keyed by client file id), each file in its own transaction under the insert-only exemption, and writes
``cbs_delivery_destroyed`` (job). What stays is the row without personal data: quarter, version, SHA-256 and counts,
so the CBS page still shows what was made and that it was destroyed. Idempotent: an emptied file is never selected
again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import models, transaction

from openinburgering.audit.services import record_event
from openinburgering.monitoring.cbs.models import CbsDelivery
from openinburgering.rules.retention import CBS_DELIVERY_RETENTION_YEARS, cbs_delivery_retention

from . import destruction

PURPOSE_CBS_FILES = "bewaartermijn CBS-leveringen (selectielijst gemeente; AVG art. 5 lid 1 sub e)"


@dataclass
class CbsFileReport:
    """Per gemeente code: the ids of the CBS files past their term (destroyed, or to destroy in a dry run)."""

    files: dict[str, list[int]] = field(default_factory=dict)


def due_cbs_files(*, as_of: date, gemeente_id: int | None = None) -> list[CbsDelivery]:
    """Stored files whose term ended before ``as_of`` (not yet emptied). The database narrows by year; the rule
    decides. Content and digests are not loaded."""
    files = (
        CbsDelivery.objects.filter(year__lte=as_of.year - CBS_DELIVERY_RETENTION_YEARS)
        .exclude(content=b"")
        .select_related("gemeente")
        .defer("content", "digests")
        .order_by("year", "quarter", "version", "id")
    )
    if gemeente_id is not None:
        files = files.filter(gemeente_id=gemeente_id)
    return [f for f in files if cbs_delivery_retention(year=f.year, quarter=f.quarter) < as_of]


def destroy_cbs_files(*, as_of: date, dry_run: bool, gemeente_id: int | None = None) -> CbsFileReport:
    """Empty every CBS file past its term (``dry_run``: only list them)."""
    report = CbsFileReport()
    for delivery in due_cbs_files(as_of=as_of, gemeente_id=gemeente_id):
        if dry_run or _destroy(delivery, as_of=as_of):
            report.files.setdefault(delivery.gemeente.code, []).append(delivery.pk)
    return report


@transaction.atomic
def _destroy(delivery: CbsDelivery, *, as_of: date) -> bool:
    kept_until = cbs_delivery_retention(year=delivery.year, quarter=delivery.quarter)
    with destruction.exempt_insert_only():
        emptied = models.QuerySet.update(
            CbsDelivery.objects.filter(pk=delivery.pk).exclude(content=b""), content=b"", digests={}
        )
    if not emptied:  # a parallel run was first
        return False
    record_event(
        event_type="cbs_delivery_destroyed", purpose=PURPOSE_CBS_FILES, gemeente=delivery.gemeente,
        subject=delivery, via="job",
        changes={
            "period": f"{delivery.year}-K{delivery.quarter}", "version": delivery.version,
            "kept_until": kept_until.isoformat(), "as_of": as_of.isoformat(), "records": delivery.record_count,
            "sha256": delivery.sha256,
        },
    )  # fmt: skip
    return True
