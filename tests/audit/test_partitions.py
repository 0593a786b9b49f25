"""The audit table partitioned by month on PostgreSQL (#18 item 6): rows land in their month's partition, every
partition refuses UPDATE and DELETE and carries the index of "wie heeft dit dossier ingezien", the daily job creates
months ahead, and a month without its partition waits in the default partition until the job moves it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from openinburgering.audit.chain import verify_chains
from openinburgering.audit.models import AuditEvent, AuditSeal
from openinburgering.audit.partitions import (
    DEFAULT_PARTITION,
    MONTHS_AHEAD,
    add_months,
    ensure_partitions,
    month_bounds,
    monthly_partitions,
    partition_name,
)
from openinburgering.audit.services import record_event
from openinburgering.audit.tasks import KIND, start_daily_partitions
from openinburgering.clients.reference_data import ensure_reference_data
from openinburgering.clients.selectors import file_readers
from openinburgering.core.dates import today
from openinburgering.core.jobs import run_queued_jobs
from openinburgering.core.models import JobRun, JobStatus

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitioning exists on PostgreSQL only; CI requires it"
)


def partition_of(event_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_auditevent WHERE id = %s", [event_id])
        rows = cursor.fetchall()
    assert len(rows) == 1, rows
    return str(rows[0][0])


def event_at(at: datetime, **fields: Any) -> AuditEvent:
    return AuditEvent.objects.create(occurred_at=at, event_type="login_failed", purpose="beveiliging", **fields)


def attached_partitions() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'audit_auditevent'::regclass"
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_an_event_lands_in_the_partition_of_its_month_in_utc() -> None:
    this_month = timezone.now().date().replace(day=1)
    next_month = add_months(this_month, 1)
    boundary, _ = month_bounds(next_month)  # the first instant of next month, UTC
    last_of_this_month = event_at(boundary - timedelta(microseconds=1))
    first_of_next_month = event_at(boundary)
    written = record_event(event_type="login_failed", purpose="beveiliging")

    assert partition_of(last_of_this_month.pk) == partition_name(this_month)
    assert partition_of(first_of_next_month.pk) == partition_name(next_month)
    assert partition_of(written.pk) == partition_name(written.occurred_at.astimezone(UTC).date())
    assert AuditEvent.objects.get(pk=first_of_next_month.pk).occurred_at == boundary


@pytest.mark.django_db
def test_the_migration_prepared_this_month_and_the_months_ahead_with_a_default_partition() -> None:
    this_month = timezone.now().date().replace(day=1)
    expected = {partition_name(add_months(this_month, n)) for n in range(MONTHS_AHEAD + 1)}
    assert expected | {DEFAULT_PARTITION} <= attached_partitions()
    assert ensure_partitions(first_month=this_month, last_month=add_months(this_month, MONTHS_AHEAD)) == 0


@pytest.mark.django_db
def test_every_partition_refuses_update_and_delete_also_one_made_later() -> None:
    ensure_partitions(first_month=datetime(2016, 2, 1).date(), last_month=datetime(2016, 2, 1).date())
    old = event_at(datetime(2016, 2, 10, tzinfo=UTC))
    recent = record_event(event_type="login_failed", purpose="beveiliging")
    for event, table in ((old, "audit_auditevent_y2016m02"), (recent, partition_of(recent.pk))):
        for statement in (
            f"UPDATE {table} SET purpose = 'changed' WHERE id = %s",  # the partition itself, not only the parent
            f"DELETE FROM {table} WHERE id = %s",
            "UPDATE audit_auditevent SET purpose = 'changed' WHERE id = %s",
            "DELETE FROM audit_auditevent WHERE id = %s",
        ):
            with pytest.raises(DatabaseError, match="insert-only"), transaction.atomic(), connection.cursor() as c:
                c.execute(statement, [event.pk])
    assert AuditEvent.objects.filter(pk__in=[old.pk, recent.pk], purpose="beveiliging").count() == 2
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, array_agg(t.tgname ORDER BY t.tgname) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_trigger t ON t.tgrelid = c.oid AND NOT t.tgisinternal "
            "WHERE i.inhparent = 'audit_auditevent'::regclass GROUP BY c.relname"
        )
        triggers = dict(cursor.fetchall())
    assert set(triggers) == attached_partitions()
    assert {tuple(names) for names in triggers.values()} == {("audit_event_no_update_delete", "audit_event_seal")}


@pytest.mark.django_db
def test_every_partition_carries_the_index_of_wie_heeft_dit_dossier_ingezien() -> None:
    ensure_partitions(first_month=datetime(2016, 3, 1).date(), last_month=datetime(2016, 4, 1).date())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.relname, pg_get_indexdef(ix.indexrelid) FROM pg_inherits ii "
            "JOIN pg_index ix ON ix.indexrelid = ii.inhrelid JOIN pg_class t ON t.oid = ix.indrelid "
            "WHERE ii.inhparent = 'audit_client_recent'::regclass"
        )
        indexed = dict(cursor.fetchall())
    assert set(indexed) == attached_partitions()
    assert {definition.split(" USING ")[1] for definition in indexed.values()} == {
        "btree (client_file_id, occurred_at DESC)"
    }


def plan_nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)


@pytest.mark.django_db
def test_wie_heeft_dit_dossier_ingezien_reads_each_month_through_its_index(
    actor: Callable[..., Any], make_file: Callable[..., Any]
) -> None:
    """EXPLAIN of the selector's own query (no timing): on three months of 12,000 events over 400 files, every
    partition is read through its copy of audit_client_recent, none by a sequential scan."""
    client_file = make_file()
    teamleider = actor("tamara")
    this_month = timezone.now().date().replace(day=1)
    months = {partition_name(add_months(this_month, -back)) for back in range(3)}
    with transaction.atomic(), connection.cursor() as cursor:
        for back in range(3):
            start, _ = month_bounds(add_months(this_month, -back))
            ensure_partitions(first_month=start.date(), last_month=start.date())
            cursor.execute(
                "INSERT INTO audit_auditevent (occurred_at, actor_role, event_type, subject_type, subject_id, "
                "purpose, changes, request_id, via, client_file_id, gemeente_id, content_hash) "
                "SELECT %s + n * interval '3 minutes', '', 'client_file_viewed', '', '', 'regie', '{}', '', 'ui', "
                "CASE WHEN n %% 400 = 0 THEN %s ELSE 1000000 + n %% 400 END, %s, '' FROM generate_series(1, 4000) n",
                [start, client_file.pk, client_file.gemeente_id],
            )
        cursor.execute("ANALYZE audit_auditevent")
        readers = file_readers(actor=teamleider, client_file=client_file)
        sql, params = readers[:25].query.sql_with_params()  # the page's query: 25 rows, newest first
        cursor.execute(f"EXPLAIN (FORMAT JSON, COSTS OFF) {sql}", params)
        raw = cursor.fetchone()[0]
        assert readers.filter(event_type="client_file_viewed").count() == 30  # beside the registration event
        # The other files' ids do not exist: undo the rows before the test's foreign keys are checked.
        transaction.set_rollback(True)
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
    used = {}
    for node in plan_nodes(plan):
        if node.get("Relation Name") in months:
            index = node.get("Index Name") or next(
                (
                    child.get("Index Name")
                    for child in node.get("Plans", [])
                    if child["Node Type"] == "Bitmap Index Scan"
                ),
                None,
            )
            used[node["Relation Name"]] = (node["Node Type"] != "Seq Scan", index)
    assert used == {name: (True, f"{name}_client_file_id_occurred_at_idx") for name in months}


@pytest.mark.django_db
def test_the_daily_job_creates_the_months_ahead() -> None:
    last = add_months(today().replace(day=1), MONTHS_AHEAD)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {partition_name(last)}")  # as if the month had never been made
    assert partition_name(last) not in attached_partitions()

    runs = start_daily_partitions(as_of=today())
    assert start_daily_partitions(as_of=today()) == runs  # once a day
    run_queued_jobs()

    run = JobRun.objects.get(kind=KIND)
    assert run.status == JobStatus.DONE
    assert run.message == f"Auditlogboek: 1 maanddelen aangemaakt; klaar tot en met {last:%m-%Y}."
    assert run.result == {"created": 1, "rows_in_default": 0, "through": last.isoformat()}
    assert partition_name(last) in attached_partitions()


@pytest.mark.django_db(transaction=True)
def test_a_month_without_partition_waits_in_the_default_partition_until_the_job_moves_it() -> None:
    ensure_reference_data()
    try:
        _moves_the_stray_month()
    finally:  # partitions are not flushed between tests: leave none behind
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS audit_auditevent_y2015m05, audit_auditevent_y2015m06")


def _moves_the_stray_month() -> None:
    with transaction.atomic():
        stray = event_at(datetime(2015, 5, 20, 12, tzinfo=UTC))  # the job did not run for that month
    assert partition_of(stray.pk) == DEFAULT_PARTITION
    seal = AuditSeal.objects.get(event_id=stray.pk)

    with transaction.atomic():
        assert ensure_partitions(first_month=datetime(2015, 5, 1).date(), last_month=datetime(2015, 6, 1).date()) == 2

    assert partition_of(stray.pk) == "audit_auditevent_y2015m05"
    assert AuditEvent.objects.filter(pk=stray.pk).count() == 1
    assert list(AuditSeal.objects.filter(event_id=stray.pk).values_list("pk", flat=True)) == [
        seal.pk
    ]  # not sealed twice
    assert {p.name for p in monthly_partitions() if p.month.year == 2015} == {
        "audit_auditevent_y2015m05",
        "audit_auditevent_y2015m06",
    }
    assert all(report.first_break is None for report in verify_chains())
    with pytest.raises(DatabaseError, match="insert-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent_y2015m05 WHERE id = %s", [stray.pk])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {DEFAULT_PARTITION}")
        assert cursor.fetchone()[0] == 0
