"""Background job: the daily refresh of the aggregate layer per gemeente (ADR 0009; docs/monitoring.md).

Thin: the work is ``facts.refresh_gemeente``, idempotent (a file whose fact did not change is not written), so a
retry after a half-finished attempt only does what is left. It catches what time alone changes (a PIP deadline
that passed without a PIP, a termijn that ended) and what bulk writes did without ``post_save``."""

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

from .facts import refresh_gemeente
from .models import FactCell, FileFact

KIND = "monitoring_refresh"
PURPOSE = "monitoring en sturing"
# After this many changed facts the planner statistics of the aggregate tables are refreshed in the same job. A
# first build writes a fact per file; without fresh statistics PostgreSQL plans the dashboard for an empty table
# (measured on 100,000 clients with autovacuum off: p95 312 ms instead of 179 ms, bench/results/2026-12-07-monitoring).
ANALYZE_AFTER = 1000


@task()
def refresh_monitoring_job(job_id: int) -> str:
    return run_job(job_id, task=refresh_monitoring_job, body=_refresh)


def _refresh(job: JobProgress) -> str:
    as_of = today()
    gemeente = job.run.gemeente
    assert gemeente is not None
    changed = refresh_gemeente(gemeente.pk, today=as_of, progress=job.progress)
    analyzed = _fresh_statistics(changed)
    record_event(
        event_type="monitoring_facts_refreshed", purpose=PURPOSE, gemeente=gemeente,
        changes={"changed": changed, "as_of": as_of.isoformat()}, via="job",
    )  # fmt: skip
    job.run.result = {"changed": changed, "as_of": as_of.isoformat(), "analyzed": analyzed}
    return f"Monitoringcijfers bijgewerkt: {changed} dossiers veranderd (peildatum {as_of:%d-%m-%Y})."


def _fresh_statistics(changed: int) -> bool:
    """ANALYZE the aggregate tables after a large refresh (PostgreSQL; SQLite plans without such statistics).

    Autovacuum would do it some time later on a server where it runs; the dashboards are read right after the job."""
    if changed < ANALYZE_AFTER or connection.vendor != "postgresql":
        return False
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in (FileFact, FactCell))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
    return True


def start_daily_monitoring(*, as_of: date) -> list[JobRun]:
    """One run per active gemeente, once per day."""
    return [
        start_job(
            task=refresh_monitoring_job,
            kind=KIND,
            label="Monitoringcijfers bijwerken",
            gemeente=gemeente,
            key=daily_key(KIND, as_of, gemeente.code),
        )
        for gemeente in Gemeente.objects.filter(is_active=True).order_by("code")
    ]
