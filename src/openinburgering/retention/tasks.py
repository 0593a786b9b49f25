"""Background job: the daily retention run (ADR 0009; the `apply_retention` command does the same by hand).

Thin: the work is `services.apply_retention`, idempotent by design (a destroyed file has a DestructionRecord and
is never read again), so a retry continues where a failed attempt stopped. Each file is destroyed in its own
transaction; the audit events of destroyed files stay (docs/retention.md)."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from openinburgering.accounts.models import Gemeente
from openinburgering.core.dates import today
from openinburgering.core.jobs import JobProgress, run_job, start_job
from openinburgering.core.models import JobRun
from openinburgering.core.schedule import daily_key

from .services import apply_retention

KIND_RETENTION = "apply_retention"


@task()
def apply_retention_job(job_id: int) -> str:
    return run_job(job_id, task=apply_retention_job, body=_apply)


def _apply(job: JobProgress) -> str:
    as_of = today()
    report = apply_retention(
        as_of=as_of, dry_run=False, gemeente_id=job.run.gemeente_id, progress=lambda done, _d: job.progress(done)
    )
    destroyed = sum(len(part.destroyed) for part in report.gemeenten.values())
    on_hold = sum(len(part.on_hold) for part in report.gemeenten.values())
    job.run.result = {"destroyed": destroyed, "on_hold": on_hold, "as_of": as_of.isoformat()}
    return (
        f"Bewaartermijn (peildatum {as_of:%d-%m-%Y}): {destroyed} dossiers vernietigd, "
        f"{on_hold} tegengehouden door een legal hold."
    )


def start_daily_retention(*, as_of: date) -> list[JobRun]:
    """One run per active gemeente, once per day."""
    return [
        start_job(
            task=apply_retention_job,
            kind=KIND_RETENTION,
            label="Dossiers over de bewaartermijn vernietigen",
            gemeente=gemeente,
            key=daily_key(KIND_RETENTION, as_of, gemeente.code),
        )
        for gemeente in Gemeente.objects.filter(is_active=True).order_by("code")
    ]
