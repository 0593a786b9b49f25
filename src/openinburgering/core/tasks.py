"""Core's own daily job: prune finished queue rows (django-tasks-db keeps one row per attempt until pruned).

The JobRun rows stay as the record of what ran; only the queue's DBTaskResult rows older than 14 days go."""

from __future__ import annotations

from datetime import date

from django.core.management import call_command
from django_tasks import task

from .jobs import JobProgress, run_job, start_job
from .models import JobRun
from .schedule import daily_key

KIND_PRUNE = "prune_task_results"
KEEP_DAYS = 14


@task()
def prune_task_results(job_id: int) -> str:
    return run_job(job_id, task=prune_task_results, body=_prune)


def _prune(job: JobProgress) -> str:
    call_command("prune_db_task_results", "--min-age-days", str(KEEP_DAYS), verbosity=0)
    return f"Afgeronde wachtrijregels ouder dan {KEEP_DAYS} dagen opgeruimd."


def start_daily_prune(*, as_of: date) -> list[JobRun]:
    return [
        start_job(
            task=prune_task_results,
            kind=KIND_PRUNE,
            label="Wachtrij opruimen",
            key=daily_key(KIND_PRUNE, as_of),
        )
    ]
