"""The tamper-evident audit trail (#12 item 7): each event's content hash, one hash chain per gemeente sealed by the
database when the transaction commits, and ``verify_audit`` finding the first broken link."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from openinburgering.audit.chain import GENESIS, content_hash_of, link_hash
from openinburgering.audit.models import AuditEvent, AuditSeal
from openinburgering.audit.services import record_event
from openinburgering.clients.reference_data import ensure_reference_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: Any) -> None:
    """Committed transactions are the point here; a flushed database gets its reference data back first."""
    ensure_reference_data()


@contextmanager
def insert_only_guard_off() -> Iterator[None]:
    """What an intruder with the table owner's rights does: switch off the insert-only and seal triggers (on SQLite,
    which has only the model's guard against edits, drop the seal trigger and put it back afterwards)."""
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE audit_auditseal DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_event_seal")
        try:
            yield
        finally:
            if postgresql:
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
                cursor.execute("ALTER TABLE audit_auditseal ENABLE TRIGGER USER")
            else:
                cursor.execute(import_module("openinburgering.audit.migrations.0004_audit_chain_triggers").SQLITE[0])


def verify() -> tuple[str, str | None]:
    out = StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def write_events(actor: Callable[..., Any]) -> list[AuditEvent]:
    kim, zeynep = actor("kim"), actor("zeynep", "GM0473")
    events = []
    for _ in range(3):
        with transaction.atomic():
            events.append(record_event(actor=kim, event_type="caseload_viewed", purpose="regie"))
            events.append(record_event(actor=zeynep, event_type="caseload_viewed", purpose="regie"))
    with transaction.atomic():
        events.append(record_event(event_type="caseload_viewed", purpose="regie"))  # no gemeente: chain "-"
    return events


def test_every_committed_event_is_sealed_into_the_chain_of_its_gemeente(actor: Callable[..., Any]) -> None:
    events = write_events(actor)
    seals = {seal.event_id: seal for seal in AuditSeal.objects.all()}
    assert len(seals) == 7
    assert [seals[event.pk].seq for event in events[0::2]] == [1, 2, 3, 1]
    assert [seals[event.pk].chain for event in events[0::2]] == ["GM0392"] * 3 + ["-"]
    assert [seals[event.pk].seq for event in events[1::2]] == [1, 2, 3]
    assert {seals[event.pk].chain for event in events[1::2]} == {"GM0473"}
    first = seals[events[0].pk]
    stored = AuditEvent.objects.get(pk=events[0].pk)
    assert stored.content_hash == content_hash_of(stored)
    assert (first.prev_hash, first.chain_hash) == (GENESIS, link_hash(GENESIS, stored.content_hash))
    assert seals[events[2].pk].prev_hash == first.chain_hash
    output, error = verify()
    assert error is None
    assert output.splitlines() == [
        f"OK    keten -: 1 gebeurtenissen, kop #1 {seals[events[6].pk].chain_hash}",
        f"OK    keten GM0392: 3 gebeurtenissen, kop #3 {seals[events[4].pk].chain_hash}",
        f"OK    keten GM0473: 3 gebeurtenissen, kop #3 {seals[events[5].pk].chain_hash}",
    ]


def test_verify_audit_finds_an_event_edited_with_the_trigger_disabled(actor: Callable[..., Any]) -> None:
    events = write_events(actor)
    target = events[2]  # Haarlem's second event
    with insert_only_guard_off(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET purpose = 'iets anders' WHERE id = %s", [target.pk])
    output, error = verify()
    assert error == "1 keten(s) gebroken: het auditlogboek is gewijzigd buiten de applicatie om."
    assert f"BREUK keten GM0392: volgnummer 2 (gebeurtenis #{target.pk}): de inhoud is gewijzigd" in output
    assert "OK    keten GM0473: 3 gebeurtenissen" in output


def test_verify_audit_finds_a_recomputed_content_hash_by_the_chain(actor: Callable[..., Any]) -> None:
    events = write_events(actor)
    target = events[1]  # Zandvoort's first event: the intruder also recomputes its content hash
    with insert_only_guard_off(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET purpose = 'iets anders' WHERE id = %s", [target.pk])
        edited = AuditEvent.objects.get(pk=target.pk)
        cursor.execute(
            "UPDATE audit_auditevent SET content_hash = %s WHERE id = %s", [content_hash_of(edited), edited.pk]
        )
    output, error = verify()
    assert error is not None
    assert f"BREUK keten GM0473: volgnummer 1 (gebeurtenis #{target.pk}): de ketenhash klopt niet" in output


def test_verify_audit_finds_a_removed_event_and_an_unsealed_one(actor: Callable[..., Any]) -> None:
    events = write_events(actor)
    removed = events[4]  # Haarlem's third event, with its seal
    with insert_only_guard_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditseal WHERE event_id = %s", [removed.pk])
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [removed.pk])
        cursor.execute(
            "INSERT INTO audit_auditevent (occurred_at, actor_role, event_type, subject_type, subject_id, purpose,"
            " changes, request_id, via, content_hash) VALUES"
            " (CURRENT_TIMESTAMP, '', 'caseload_viewed', '', '', 'regie', '{}', '', 'ui', '')"
        )
    output, error = verify()
    assert error == "1 keten(s) gebroken: het auditlogboek is gewijzigd buiten de applicatie om."
    assert "OK    keten GM0392: 2 gebeurtenissen" in output  # the removed head leaves a shorter, intact chain
    inserted = AuditEvent.objects.order_by("-id").first()
    assert inserted is not None
    assert (
        f"BREUK keten (ongekoppeld): gebeurtenis #{inserted.pk} (caseload_viewed) is in geen keten opgenomen" in output
    )


def test_verify_audit_finds_a_gap_in_the_sequence(actor: Callable[..., Any]) -> None:
    events = write_events(actor)
    middle = events[2]  # Haarlem's second event
    with insert_only_guard_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditseal WHERE event_id = %s", [middle.pk])
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [middle.pk])
    output, error = verify()
    assert error is not None
    assert "BREUK keten GM0392: volgnummer 3: volgnummer 2 ontbreekt" in output


def test_bulk_inserted_events_carry_their_content_hash_and_are_sealed(actor: Callable[..., Any]) -> None:
    kim = actor("kim")
    with transaction.atomic():
        record_event(actor=kim, event_type="caseload_viewed", purpose="regie")
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    occurred_at=timezone.now(),
                    actor=kim.user,
                    actor_role=kim.role_code,
                    gemeente=kim.gemeente,
                    event_type="caseload_viewed",
                    subject_id=str(number),
                    purpose="regie",
                )
                for number in range(3)
            ]
        )
    events = list(AuditEvent.objects.order_by("id"))
    assert len(events) == 4
    assert all(event.content_hash == content_hash_of(event) != "" for event in events)
    assert list(AuditSeal.objects.order_by("seq").values_list("event_id", flat=True)) == [e.pk for e in events]
    assert verify()[1] is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL; CI requires it")
def test_concurrent_transactions_keep_one_unbroken_chain(actor: Callable[..., Any]) -> None:
    kim = actor("kim")
    errors: list[str] = []
    barrier = threading.Barrier(6)

    def write() -> None:
        barrier.wait()
        try:
            for _ in range(10):
                with transaction.atomic():
                    record_event(actor=kim, event_type="caseload_viewed", purpose="regie")
                    record_event(actor=kim, event_type="client_file_viewed", purpose="regie")
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(AuditSeal.objects.filter(chain="GM0392").order_by("seq").values_list("seq", flat=True)) == list(
        range(1, 121)
    )
    output, error = verify()
    assert error is None
    assert "OK    keten GM0392: 120 gebeurtenissen" in output


def test_a_bulk_load_with_the_triggers_off_is_sealed_afterwards(actor: Callable[..., Any]) -> None:
    from openinburgering.audit.chain import seal_pending

    write_events(actor)
    with insert_only_guard_off():
        with transaction.atomic():
            AuditEvent.objects.bulk_create(
                [
                    AuditEvent(occurred_at=timezone.now(), gemeente=actor("kim").gemeente, event_type="caseload_viewed",
                               purpose="regie", subject_id=str(number))
                    for number in range(3)
                ]
            )  # fmt: skip
        assert "(ongekoppeld)" in verify()[0]
        with transaction.atomic():
            assert seal_pending(now=timezone.now()) == 3
    output, error = verify()
    assert error is None
    assert "OK    keten GM0392: 6 gebeurtenissen" in output
