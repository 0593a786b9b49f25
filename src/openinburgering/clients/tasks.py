"""Background job: the daily deadline refresh (ADR 0009; the `refresh_deadlines` command does the same by hand).

Thin: the work is `services.refresh_deadlines`, which is idempotent (a file whose step did not change is not
written), so a retry after a half-finished attempt only does what is left."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django_tasks import task

from openinburgering.accounts.models import Gemeente
from openinburgering.audit.services import record_event
from openinburgering.core.dates import today
from openinburgering.core.jobs import JobProgress, run_job, start_job
from openinburgering.core.models import JobRun
from openinburgering.core.schedule import daily_key

from .models import ClientFile
from .services import PURPOSE_DEADLINES, refresh_deadlines

KIND_REFRESH = "refresh_deadlines"


@task()
def refresh_deadlines_job(job_id: int) -> str:
    return run_job(job_id, task=refresh_deadlines_job, body=_refresh)


def _refresh(job: JobProgress) -> str:
    as_of = today()
    gemeente_id = job.run.gemeente_id
    open_files = ClientFile.objects.exclude(status__in=("verhuisd", "beeindigd"))
    if gemeente_id is not None:
        open_files = open_files.filter(gemeente_id=gemeente_id)
    job.progress(0, total=open_files.count())
    changed = refresh_deadlines(as_of=as_of, gemeente_id=gemeente_id, progress=lambda done, changed: job.progress(done))
    record_event(
        event_type="deadlines_refreshed", purpose=PURPOSE_DEADLINES, gemeente=job.run.gemeente,
        changes={"count": changed, "as_of": as_of.isoformat()}, via="job",
    )  # fmt: skip
    job.run.result = {"changed": changed, "as_of": as_of.isoformat()}
    if changed and connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:  # see the refresh_deadlines command: keeps index-only scans fast
            cursor.execute("VACUUM (ANALYZE) clients_clientfile")
    return f"{changed} dossiers kregen een nieuwe eerstvolgende termijn (peildatum {as_of:%d-%m-%Y})."


def start_daily_refresh(*, as_of: date) -> list[JobRun]:
    """One run per active gemeente, once per day."""
    return [
        start_job(
            task=refresh_deadlines_job,
            kind=KIND_REFRESH,
            label="Termijnen van alle open dossiers bijwerken",
            gemeente=gemeente,
            key=daily_key(KIND_REFRESH, as_of, gemeente.code),
        )
        for gemeente in Gemeente.objects.filter(is_active=True).order_by("code")
    ]
