"""Running the background queue (django-tasks-db) to its end: for management commands and tests.

Jobs are `django_tasks.task` functions in each app's `tasks.py`, enqueued with `.enqueue()` inside the transaction of
the change that causes them. `run_queued_jobs()` runs every job that is due with the real worker (`db_worker
--batch`), the same code path as production; tests call it to run jobs for real instead of mocking them."""

from __future__ import annotations

from django.core.management import call_command


def run_queued_jobs(*, queue_name: str = "default") -> None:
    """Run every job that is due on one queue, then return (the worker's batch mode)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", queue_name, verbosity=0)
