"""Background jobs of the outbox. No logic here: the job calls the engine (``outbox.deliver``)."""

from __future__ import annotations

from django_tasks import task

from . import outbox


@task()
def deliver_outbox_message(message_id: int) -> None:
    """One delivery attempt of one outbox message (a retry is enqueued by the engine with its backoff)."""
    outbox.deliver(message_id)


@task()
def sweep_outbox() -> None:
    """Delivers every due message: for a scheduler (``manage.py send_outbox`` does the same from cron)."""
    outbox.sweep()
