"""Background jobs on the database queue (django-tasks-db, ADR 0009): start, run with retries, report progress.

Jobs are `django_tasks.task` functions in each app's `tasks.py`. The pattern (docs/architecture.md, "Background
jobs"):

    # myapp/tasks.py
    @task()
    def rebuild_thing(job_id: int) -> None:
        run_job(job_id, task=rebuild_thing, body=_rebuild)      # thin: the work is an idempotent service

    def _rebuild(job: JobProgress) -> str:
        count = services.rebuild(gemeente_id=job.run.gemeente_id, progress=job.progress)
        return f"{count} dingen opnieuw opgebouwd."              # the Dutch outcome shown on the jobs page

    # myapp/services.py, inside the transaction of the change that causes it
    start_job(task=rebuild_thing, kind="rebuild_thing", label="Dingen opnieuw opbouwen", gemeente=g, actor=actor)

`start_job` writes a `JobRun` and enqueues the task in the caller's transaction (roll back and neither exists).
`run_job` marks the run as running, calls the body, and on an exception enqueues the task again with backoff until
`max_attempts`; the state lives in the database. `run_queued_jobs()` runs every job that is due with the real worker
(`db_worker --batch`), the same code path as production; tests call it to run jobs for real instead of mocking."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from unittest import mock

from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from .models import FINISHED, JobRun, JobStatus

if TYPE_CHECKING:
    from django_tasks.base import Task

    from openinburgering.accounts.actor import Actor
    from openinburgering.accounts.models import Gemeente

logger = logging.getLogger(__name__)

#: First retry after this many seconds, then twice as long each time (30 s, 60 s, 120 s, ...).
RETRY_BASE_SECONDS = 30


def run_queued_jobs(*, queue_name: str = "default") -> None:
    """Run every job that is due on one queue, then return (the worker's batch mode).

    Inside a test's transaction (pytest-django's ``db``) the worker's ``close_old_connections()`` would close the
    connection (its autocommit differs from the settings) and break the test; there it is switched off, as Django's
    own test client does for requests. Outside a transaction the worker runs exactly as in production."""
    if connection.in_atomic_block:
        with mock.patch.object(db_worker, "close_old_connections", return_value=None):
            call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", queue_name, verbosity=0)
        return
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", queue_name, verbosity=0)


def start_job(
    *,
    task: Task[..., Any],
    kind: str,
    label: str,
    gemeente: Gemeente | None = None,
    actor: Actor | None = None,
    key: str | None = None,
    payload: dict[str, Any] | None = None,
    total: int | None = None,
    max_attempts: int = 3,
) -> JobRun:
    """Record a JobRun and enqueue ``task(job_id)`` in the current transaction. With a ``key``, a second call
    returns the run that already exists and enqueues nothing (idempotent, also when two callers race)."""
    if key:
        existing = JobRun.objects.filter(key=key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            run = JobRun.objects.create(
                kind=kind,
                label=label,
                key=key or None,
                gemeente=gemeente if gemeente is not None else (actor.gemeente if actor else None),
                started_by=actor.user if actor else None,
                membership=actor.membership if actor and actor.membership.pk else None,
                payload=payload or {},
                total=total,
                max_attempts=max(1, max_attempts),
            )
            result = task.enqueue(run.pk)
            run.task_result_id = result.id
            run.save(update_fields=["task_result_id"])
    except IntegrityError:
        if not key:
            raise
        return JobRun.objects.get(key=key)
    return run


@dataclass
class JobProgress:
    """Handed to a job's body: the run, and a way to report progress that other connections see at once."""

    run: JobRun

    def progress(self, done: int, total: int | None = None) -> None:
        self.run.done = done
        fields: dict[str, Any] = {"done": done}
        if total is not None:
            self.run.total = total
            fields["total"] = total
        JobRun.objects.filter(pk=self.run.pk).update(**fields)


def run_job(job_id: int, *, task: Task[..., Any], body: Callable[[JobProgress], str | None]) -> str:
    """Run one attempt of a JobRun. A run that is already finished is left alone (a duplicate delivery does
    nothing). On an exception the task is enqueued again after ``RETRY_BASE_SECONDS * 2**(attempt-1)`` until
    ``max_attempts``; then the run is failed. The exception is raised again so the worker records its traceback."""
    run = JobRun.objects.filter(pk=job_id).first()
    if run is None:
        logger.warning("JobRun %s does not exist; nothing to do.", job_id)
        return "missing"
    if run.status in FINISHED:
        return "already finished"
    run.attempts += 1
    run.status = JobStatus.RUNNING
    run.started_at = timezone.now()
    run.next_attempt_at = None
    run.save(update_fields=["attempts", "status", "started_at", "next_attempt_at"])
    try:
        message = body(JobProgress(run))
    except Exception as exc:
        run.refresh_from_db(fields=["done", "total"])
        run.last_error = f"{type(exc).__name__}: {exc}"[:500]
        if run.attempts < run.max_attempts:
            run.status = JobStatus.RETRYING
            run.next_attempt_at = timezone.now() + timedelta(seconds=RETRY_BASE_SECONDS * 2 ** (run.attempts - 1))
            retry = task.using(run_after=run.next_attempt_at).enqueue(run.pk)
            run.task_result_id = retry.id
        else:
            run.status = JobStatus.FAILED
            run.finished_at = timezone.now()
            run.message = "De taak is mislukt, ook na opnieuw proberen. Meld dit aan de functioneel beheerder."
        run.save(update_fields=["last_error", "status", "next_attempt_at", "task_result_id", "finished_at", "message"])
        raise
    run.refresh_from_db(fields=["done", "total"])
    run.status = JobStatus.DONE
    run.finished_at = timezone.now()
    run.message = (message or "Klaar.")[:500]
    run.payload = {}  # the input (e.g. uploaded messages) is not kept once the work is done
    if run.total is not None:
        run.done = run.total
    run.save(update_fields=["status", "finished_at", "message", "payload", "done", "result"])
    return "done"
