"""The daily refresh job of the aggregate layer (monitoring.tasks), run by the real worker: it brings the facts up to
date and, after a large refresh, gives PostgreSQL fresh planner statistics for the dashboards."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from openinburgering.accounts.models import Gemeente
from openinburgering.audit.models import AuditEvent
from openinburgering.core.jobs import run_queued_jobs, start_job
from openinburgering.core.models import JobRun, JobStatus
from openinburgering.monitoring import tasks
from openinburgering.monitoring.models import FileFact

pytestmark = pytest.mark.django_db


def _run_haarlem_refresh() -> JobRun:
    with transaction.atomic():
        run = start_job(
            task=tasks.refresh_monitoring_job,
            kind=tasks.KIND,
            label="Monitoringcijfers bijwerken",
            gemeente=Gemeente.objects.get(code="GM0392"),
        )
    run_queued_jobs()
    run.refresh_from_db()
    assert run.status == JobStatus.DONE, run.message
    return run


def _estimated_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        return float(cursor.fetchone()[0])


def test_a_small_refresh_writes_the_facts_and_leaves_the_statistics_to_autovacuum(make_file, staff):
    for _ in range(3):
        make_file()
    FileFact.objects.all().delete()
    run = _run_haarlem_refresh()
    assert run.result["changed"] == FileFact.objects.filter(gemeente__code="GM0392").count() >= 3
    assert run.result["analyzed"] is False
    assert AuditEvent.objects.filter(event_type="monitoring_facts_refreshed").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's")
def test_a_large_refresh_gives_the_planner_fresh_statistics(make_file, staff, monkeypatch):
    monkeypatch.setattr(tasks, "ANALYZE_AFTER", 2)
    for _ in range(4):
        make_file()
    FileFact.objects.all().delete()
    facts_table = FileFact._meta.db_table
    before = _estimated_rows(facts_table)
    run = _run_haarlem_refresh()
    facts = FileFact.objects.count()
    assert run.result["analyzed"] is True
    assert facts >= 4
    assert before != facts  # the estimate was stale before the job ...
    assert _estimated_rows(facts_table) == facts  # ... and is exact after its ANALYZE
