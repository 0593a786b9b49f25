"""Migration audit.0005 converts the audit table in place (#18 item 6): back to a plain table and forward again,
every row, id, hash and seal is kept, the hash chains verify with the same heads, the id sequence goes on where it
stood, and each month that holds rows gets its partition."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from openinburgering.audit.chain import verify_chains
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.reference_data import ensure_reference_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="partitioning exists on PostgreSQL only; CI requires it"
    ),
]


def relkind() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = 'audit_auditevent'::regclass")
        return str(cursor.fetchone()[0])


def partition_of(event_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_auditevent WHERE id = %s", [event_id])
        return str(cursor.fetchone()[0])


def partition_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'audit_auditevent'::regclass"
        )
        return {str(row[0]) for row in cursor.fetchall()}


def heads() -> list[tuple[str, int, str, str | None]]:
    return [(r.chain, r.head_seq, r.head_hash, r.first_break) for r in verify_chains()]


def test_the_conversion_keeps_every_row_and_the_chain_both_ways(transactional_db: Any) -> None:
    ensure_reference_data()
    existing = partition_names()
    try:
        _converts_both_ways()
    finally:  # the conversion made a partition for every month from July 2014 on: leave none behind for other tests
        made = sorted(partition_names() - existing)
        if made:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {', '.join(made)}")  # names from pg_inherits


def _converts_both_ways() -> None:
    with transaction.atomic():
        old = AuditEvent.objects.create(
            occurred_at=datetime(2014, 7, 3, tzinfo=UTC), event_type="login_failed", purpose="beveiliging"
        )
        recent = AuditEvent.objects.create(
            occurred_at=datetime.now(UTC), event_type="login_failed", purpose="beveiliging"
        )
    before = heads()
    rows = list(AuditEvent.objects.order_by("id").values_list("id", "occurred_at", "content_hash"))
    try:
        call_command("migrate", "audit", "0004_audit_chain_triggers", verbosity=0)
        assert relkind() == "r"
        assert list(AuditEvent.objects.order_by("id").values_list("id", "occurred_at", "content_hash")) == rows
        with connection.cursor() as cursor:  # the seal's foreign key is back (verify_chains needs 0005's archive table)
            cursor.execute(
                "SELECT count(*) FROM pg_constraint WHERE conrelid = 'audit_auditseal'::regclass AND contype = 'f' "
                "AND confrelid = 'audit_auditevent'::regclass"
            )
            assert cursor.fetchone()[0] == 1
        with transaction.atomic():
            on_plain = AuditEvent.objects.create(
                occurred_at=datetime(2014, 8, 1, tzinfo=UTC), event_type="login_failed", purpose="beveiliging"
            )
        assert on_plain.pk > recent.pk
    finally:
        call_command("migrate", "audit", verbosity=0)

    assert relkind() == "p"
    assert AuditEvent.objects.count() == len(rows) + 1
    after_conversion = heads()
    assert [r[3] for r in after_conversion] == [None] * len(after_conversion)
    assert [(chain, seq) for chain, seq, _hash, _break in after_conversion] == [
        (chain, seq + 1) for chain, seq, _hash, _break in before
    ]  # one chain (no gemeente): the event written on the plain table extended it
    assert partition_of(old.pk) == "audit_auditevent_y2014m07"
    assert partition_of(on_plain.pk) == "audit_auditevent_y2014m08"
    with transaction.atomic():
        after = AuditEvent.objects.create(
            occurred_at=datetime.now(UTC), event_type="login_failed", purpose="beveiliging"
        )
    assert after.pk > on_plain.pk
