"""The outbox engine: written with the change, delivered by the job, retried with backoff, at-most-once effect."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openinburgering.accounts.models import Gemeente
from openinburgering.core.jobs import run_queued_jobs
from openinburgering.interop import outbox
from openinburgering.interop.models import OutboxMessage, OutboxState

from .conftest import TEST_KIND, Receiver

pytestmark = pytest.mark.django_db


def _enqueue(gemeente: Gemeente, key: str = "file-1:zaak") -> OutboxMessage | None:
    return outbox.enqueue_outgoing(kind=TEST_KIND, key=key, payload={"n": 1}, gemeente=gemeente)


def test_a_rolled_back_change_leaves_no_message_and_no_job(receiver: Receiver, haarlem: Gemeente) -> None:
    jobs_before = DBTaskResult.objects.count()

    class Rollback(Exception):
        pass

    def change_that_fails() -> None:
        with transaction.atomic():
            _enqueue(haarlem)
            raise Rollback

    with pytest.raises(Rollback):
        change_that_fails()

    assert OutboxMessage.objects.count() == 0
    assert DBTaskResult.objects.count() == jobs_before


@pytest.mark.django_db(transaction=True)
def test_a_committed_message_is_delivered_once_by_the_job(receiver: Receiver, reference_data: None) -> None:
    haarlem = Gemeente.objects.get(code="GM0392")
    with transaction.atomic():
        message = _enqueue(haarlem)
    assert message is not None
    assert message.state == OutboxState.PENDING

    run_queued_jobs()
    run_queued_jobs()

    message.refresh_from_db()
    assert message.state == OutboxState.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    assert message.progress == {"created": "file-1:zaak"}
    assert receiver.created == ["file-1:zaak"]
    assert receiver.confirmed == ["file-1:zaak"]


def test_the_same_key_twice_is_one_message(receiver: Receiver, haarlem: Gemeente) -> None:
    first = _enqueue(haarlem)
    second = outbox.enqueue_outgoing(kind=TEST_KIND, key="file-1:zaak", payload={"n": 2}, gemeente=haarlem)

    assert first is not None
    assert second is not None
    assert second.pk == first.pk
    assert second.payload == {"n": 1}
    assert DBTaskResult.objects.filter(args_kwargs__args=[first.pk]).count() == 1
    outbox.sweep()
    assert receiver.created == ["file-1:zaak"]


def test_a_gemeente_without_the_connection_gets_no_message(receiver: Receiver, haarlem: Gemeente) -> None:
    receiver.configured = set()

    assert _enqueue(haarlem) is None
    assert OutboxMessage.objects.count() == 0


def test_an_unknown_kind_is_a_programming_error(haarlem: Gemeente) -> None:
    with pytest.raises(ValueError, match="No outbox handler"):
        outbox.enqueue_outgoing(kind="nope", key="k", payload={}, gemeente=haarlem)


def test_a_failed_attempt_waits_with_exponential_backoff(receiver: Receiver, haarlem: Gemeente) -> None:
    receiver.fail_with = outbox.DeliveryError("Zaak aanmaken mislukt: HTTP 503.")
    message = _enqueue(haarlem)
    assert message is not None

    before = timezone.now()
    assert outbox.deliver(message.pk) == OutboxState.PENDING
    message.refresh_from_db()
    assert message.state == OutboxState.PENDING
    assert message.attempts == 1
    assert message.last_error == "Zaak aanmaken mislukt: HTTP 503."
    assert before + timedelta(seconds=30) <= message.next_attempt_at <= timezone.now() + timedelta(seconds=30)

    # Not due yet: a retry job is queued for its time; the sweeper does nothing now.
    retry_job = DBTaskResult.objects.filter(args_kwargs__args=[message.pk]).order_by("-enqueued_at").first()
    assert retry_job is not None
    assert retry_job.run_after == message.next_attempt_at
    assert outbox.sweep() == 0
    message.refresh_from_db()
    assert message.attempts == 1

    # Second failure: the wait doubles.
    assert outbox.deliver(message.pk, now=message.next_attempt_at) == OutboxState.PENDING
    message.refresh_from_db()
    assert message.attempts == 2

    receiver.fail_with = None
    assert outbox.sweep(now=message.next_attempt_at) == 1
    message.refresh_from_db()
    assert message.state == OutboxState.SENT
    assert message.last_error == ""
    assert receiver.created == ["file-1:zaak"]


def test_backoff_doubles_and_is_capped() -> None:
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert outbox.backoff(30) == timedelta(hours=6)


def test_after_the_last_attempt_the_message_is_failed_and_stays(receiver: Receiver, haarlem: Gemeente) -> None:
    receiver.fail_with = RuntimeError("connection to 10.0.0.1 with BSN 999993653 refused")
    message = _enqueue(haarlem)
    assert message is not None
    when = timezone.now()
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.deliver(message.pk, now=when)
        message.refresh_from_db()
        when = message.next_attempt_at

    assert message.state == OutboxState.FAILED
    assert message.attempts == outbox.MAX_ATTEMPTS
    # Only the class name: no address, no BSN from the exception text.
    assert message.last_error == "Onverwachte fout (RuntimeError)."
    assert outbox.sweep(now=when + timedelta(days=1)) == 0


def test_a_worker_that_dies_mid_delivery_is_picked_up_after_its_lease_exactly_once(
    receiver: Receiver, haarlem: Gemeente
) -> None:
    message = _enqueue(haarlem)
    assert message is not None
    receiver.crash_after_create = True

    with pytest.raises(KeyboardInterrupt):
        outbox.deliver(message.pk)
    message.refresh_from_db()
    assert message.state == OutboxState.SENDING
    assert message.progress == {}  # the receiver acted, but we never heard back

    receiver.crash_after_create = False
    assert outbox.sweep() == 0  # still leased to the dead worker
    assert outbox.sweep(now=timezone.now() + outbox.LEASE + timedelta(seconds=1)) == 1

    message.refresh_from_db()
    assert message.state == OutboxState.SENT
    assert message.attempts == 2
    assert receiver.created == ["file-1:zaak"]
    assert receiver.confirmed == ["file-1:zaak"]


def test_the_sweeper_command_sends_stragglers(receiver: Receiver, haarlem: Gemeente) -> None:
    message = _enqueue(haarlem)
    assert message is not None
    sink = _Sink()

    call_command("send_outbox", stdout=sink)

    message.refresh_from_db()
    assert message.state == OutboxState.SENT
    assert sink.text == "1 bericht(en) geprobeerd.\n"


class _Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str, *args: Any, **kwargs: Any) -> None:
        self.text += text

    def flush(self) -> None:
        pass
