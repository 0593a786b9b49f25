"""Background job: create the audit table's monthly partitions ahead of time (#18 item 6; docs/audit.md).

Thin: the work is ``partitions.ensure_ahead``, idempotent (an existing month is left alone), once a day for the
whole database (the table is shared by all gemeenten). On SQLite (the demo) it does nothing and says so."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django_tasks import task

from openinburgering.core.dates import today
from openinburgering.core.jobs import JobProgress, run_job, start_job
from openinburgering.core.models import JobRun
from openinburgering.core.schedule import daily_key

from . import partitions

KIND = "audit_partitions"
LOCK_TIMEOUT = "5s"
"""Creating a partition briefly locks the audit table; rather than queue every audit insert behind a long wait,
the job gives up after this long and is retried (30 s, then 60 s later)."""


@task()
def ensure_audit_partitions_job(job_id: int) -> str:
    return run_job(job_id, task=ensure_audit_partitions_job, body=_ensure)


def _ensure(job: JobProgress) -> str:
    if not partitions.is_partitioned():
        return "Niet nodig: deze database (SQLite) deelt het auditlogboek niet op in maanden."
    as_of = today()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        created = partitions.ensure_ahead(today=as_of)
    waiting = partitions.rows_in_default()
    last = partitions.add_months(as_of.replace(day=1), partitions.MONTHS_AHEAD)
    job.run.result = {"created": created, "rows_in_default": waiting, "through": last.isoformat()}
    message = f"Auditlogboek: {created} maanddelen aangemaakt; klaar tot en met {last:%m-%Y}."
    if waiting:
        message += f" Let op: {waiting} gebeurtenissen staan in het restdeel (zonder eigen maand)."
    return message


def start_daily_partitions(*, as_of: date) -> list[JobRun]:
    """One run per day for the whole database."""
    return [
        start_job(
            task=ensure_audit_partitions_job,
            kind=KIND,
            label="Auditlogboek: maanden vooruit aanmaken",
            key=daily_key(KIND, as_of),
        )
    ]
