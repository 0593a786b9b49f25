"""Background jobs of the outbox. No logic here: the job calls the engine (``outbox.deliver``)."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from openinburgering.core.jobs import JobProgress, run_job, start_job
from openinburgering.core.models import JobRun
from openinburgering.core.schedule import daily_key

from . import brp_check, outbox
from .models import GemeenteConnection, System

KIND_BRP_CHECK = "brp_check"


@task()
def deliver_outbox_message(message_id: int) -> None:
    """One delivery attempt of one outbox message (a retry is enqueued by the engine with its backoff)."""
    outbox.deliver(message_id)


@task()
def sweep_outbox() -> None:
    """Delivers every due message: for a scheduler (``manage.py send_outbox`` does the same from cron)."""
    outbox.sweep()


@task()
def brp_check_job(job_id: int) -> str:
    """The daily BRP check of one gemeente's open files (moves out, deaths): ``brp_check.check_gemeente``."""
    return run_job(job_id, task=brp_check_job, body=_brp_check)


def _brp_check(job: JobProgress) -> str:
    from openinburgering.accounts.models import Gemeente

    if job.run.gemeente_id is None:
        raise ValueError("A BRP check run belongs to one gemeente.")
    gemeente = Gemeente.objects.get(pk=job.run.gemeente_id)
    report = brp_check.check_gemeente(gemeente=gemeente, progress=job.progress)
    job.run.result = {"checked": report.checked, "findings": len(report.findings), "signals": report.signals}
    return report.summary()


def start_daily_brp_check(*, as_of: date) -> list[JobRun]:
    """One run per gemeente with an active BRP connection, once per day."""
    connections = GemeenteConnection.objects.filter(system=System.BRP, is_active=True, gemeente__is_active=True)
    return [
        start_job(
            task=brp_check_job,
            kind=KIND_BRP_CHECK,
            label="Open dossiers controleren in de BRP (verhuizing, overlijden)",
            gemeente=connection.gemeente,
            key=daily_key(KIND_BRP_CHECK, as_of, connection.gemeente.code),
        )
        for connection in connections.select_related("gemeente").order_by("gemeente__code")
    ]
