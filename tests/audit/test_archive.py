"""Archiving old months of the audit table (#18 item 6): ``archive_audit`` detaches a month past
AUDIT_ONLINE_MONTHS, exports it with its seals, checks the export and drops the table; it is idempotent, goes on
after a crash, refuses a month whose content was changed, and the hash chains still verify afterwards."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from openinburgering.audit import archive as archive_module
from openinburgering.audit.chain import verify_chains
from openinburgering.audit.models import AuditArchive, AuditEvent
from openinburgering.audit.partitions import ensure_partitions, monthly_partitions
from openinburgering.clients.reference_data import ensure_reference_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="partitioning exists on PostgreSQL only; CI requires it"
    ),
]

AS_OF = "2020-01-15"  # with 6 online months, the months before July 2019 are due
MARCH, APRIL = "audit_auditevent_y2019m03", "audit_auditevent_y2019m04"


@pytest.fixture(autouse=True)
def _old_months(transactional_db: Any) -> Iterator[None]:
    ensure_reference_data()
    ensure_partitions(first_month=date(2019, 3, 1), last_month=date(2019, 4, 1))
    yield
    with connection.cursor() as cursor:  # partitions are not flushed between tests: leave none behind
        cursor.execute(f"DROP TABLE IF EXISTS {MARCH}, {APRIL}")


def event_at(at: datetime) -> AuditEvent:
    with transaction.atomic():  # committed: the seal is written at commit
        return AuditEvent.objects.create(occurred_at=at, event_type="login_failed", purpose="beveiliging")


def archive(folder: Path, *extra: str) -> tuple[str, str | None]:
    out = StringIO()
    try:
        call_command(
            "archive_audit", "--folder", str(folder), "--as-of", AS_OF, "--online-months", "6", *extra, stdout=out
        )
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def table_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        return bool(cursor.fetchone()[0])


def csv_rows(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@contextmanager
def triggers_off() -> Iterator[None]:
    """What an intruder with the owner's rights does (as in test_chain)."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        try:
            yield
        finally:
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def test_a_month_past_the_online_period_is_detached_exported_verified_and_dropped(tmp_path: Path) -> None:
    first = event_at(datetime(2019, 3, 2, 8, tzinfo=UTC))
    between = event_at(datetime(2026, 1, 5, tzinfo=UTC))  # a recent event whose id lies inside March's id range
    last = event_at(datetime(2019, 3, 31, 23, 59, 59, 999999, tzinfo=UTC))
    april = event_at(datetime(2019, 4, 1, tzinfo=UTC))

    dry_output, dry_error = archive(tmp_path, "--dry-run")
    assert dry_error is None
    assert f"{MARCH}: 2 gebeurtenissen te archiveren" in dry_output
    assert table_exists(MARCH)
    assert not (tmp_path / MARCH).exists()

    output, error = archive(tmp_path)

    assert error is None, output
    assert f"{MARCH}: 2 gebeurtenissen gearchiveerd naar {tmp_path / MARCH}" in output
    assert f"{APRIL}: 1 gebeurtenissen gearchiveerd naar {tmp_path / APRIL}" in output
    assert not table_exists(MARCH)
    assert not table_exists(APRIL)
    assert set(AuditEvent.objects.values_list("pk", flat=True)) >= {between.pk}
    assert not AuditEvent.objects.filter(pk__in=[first.pk, last.pk, april.pk]).exists()

    manifest_bytes = (tmp_path / MARCH / "manifest.json").read_bytes()
    manifest = json.loads(manifest_bytes)
    assert (manifest["event_count"], manifest["seal_count"]) == (2, 2)
    assert (manifest["first_event_id"], manifest["last_event_id"]) == (first.pk, last.pk)
    assert manifest["range_start"] == "2019-03-01T00:00:00+00:00"
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((tmp_path / MARCH / name).read_bytes()).hexdigest() == digest
    events = csv_rows(tmp_path / MARCH / "events.csv.gz")
    assert [(int(row["id"]), row["content_hash"]) for row in events] == [
        (first.pk, first.content_hash),
        (last.pk, last.content_hash),
    ]
    seals = csv_rows(tmp_path / MARCH / "seals.csv.gz")
    assert sorted(int(row["event_id"]) for row in seals) == [first.pk, last.pk]

    record = AuditArchive.objects.get(partition=MARCH)
    assert (record.event_count, record.first_event_id, record.last_event_id) == (2, first.pk, last.pk)
    assert record.manifest_sha256 == hashlib.sha256(manifest_bytes).hexdigest()
    assert record.folder == str(tmp_path / MARCH)
    archived_events = AuditEvent.objects.filter(event_type="audit_partition_archived").order_by("id")
    assert [(e.subject_id, e.changes["event_count"], e.via) for e in archived_events] == [
        (MARCH, 2, "command"),
        (APRIL, 1, "command"),
    ]

    reports = list(verify_chains())
    assert [r.first_break for r in reports] == [None] * len(reports)
    assert sum(r.archived for r in reports) == 3
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "(waarvan 3 in het archief)" in out.getvalue()

    again, again_error = archive(tmp_path)  # idempotent: nothing is due any more
    assert again_error is None
    assert "gearchiveerd" not in again.replace("gaan naar het archief", "")
    assert AuditArchive.objects.filter(partition__in=[MARCH, APRIL]).count() == 2


def test_a_run_after_a_crash_finishes_a_detached_month_and_exports_the_same_bytes(tmp_path: Path) -> None:
    event_at(datetime(2019, 3, 10, tzinfo=UTC))
    first_folder = tmp_path / "first"
    with connection.cursor() as cursor:  # the first run stopped right after detaching March
        cursor.execute(f"ALTER TABLE audit_auditevent DETACH PARTITION {MARCH}")
    assert [(p.name, p.is_attached) for p in monthly_partitions() if p.month.year == 2019] == [
        (MARCH, False),
        (APRIL, True),
    ]
    detached = next(p for p in monthly_partitions() if p.name == MARCH)
    manifest = archive_module._export(MARCH, detached.month, first_folder / MARCH)  # the export, then the crash

    output, error = archive(tmp_path / "second")

    assert error is None, output
    assert f"{MARCH}: 1 gebeurtenissen gearchiveerd" in output
    assert not table_exists(MARCH)
    second = json.loads((tmp_path / "second" / MARCH / "manifest.json").read_text())
    assert second["files"] == manifest["files"]  # byte for byte the same export
    assert all(report.first_break is None for report in verify_chains())


def test_a_month_whose_content_was_changed_is_not_archived(tmp_path: Path) -> None:
    changed = event_at(datetime(2019, 3, 12, tzinfo=UTC))
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {MARCH} SET purpose = 'iets anders' WHERE id = %s", [changed.pk])

    output, error = archive(tmp_path)

    assert error == "1 maand(en) niet gearchiveerd; zie de regels met FOUT."
    assert f"FOUT  {MARCH}: de inhoud van gebeurtenis #{changed.pk} is gewijzigd; niet gearchiveerd." in output
    assert table_exists(MARCH)
    assert MARCH in {p.name for p in monthly_partitions() if p.is_attached}
    assert not AuditArchive.objects.filter(partition=MARCH).exists()


def test_an_event_removed_inside_an_archived_id_range_is_still_found(tmp_path: Path) -> None:
    event_at(datetime(2019, 3, 2, tzinfo=UTC))
    between = event_at(datetime(2026, 1, 5, tzinfo=UTC))
    event_at(datetime(2019, 3, 30, tzinfo=UTC))
    assert archive(tmp_path)[1] is None
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [between.pk])

    breaks = [report.first_break for report in verify_chains() if report.first_break]

    assert breaks == [
        "3 schakels wijzen naar een ontbrekende gebeurtenis in een gearchiveerde maand, maar er zijn 2 "
        "gebeurtenissen gearchiveerd"
    ]


def test_the_archive_record_is_insert_only(tmp_path: Path) -> None:
    event_at(datetime(2019, 3, 2, tzinfo=UTC))
    assert archive(tmp_path)[1] is None
    record = AuditArchive.objects.get(partition=MARCH)
    with pytest.raises(TypeError):
        record.save()
    with pytest.raises(TypeError):
        AuditArchive.objects.filter(pk=record.pk).delete()
    with pytest.raises(DatabaseError, match="insert-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditarchive SET event_count = 0 WHERE id = %s", [record.pk])


def test_without_a_folder_nothing_happens() -> None:
    out = StringIO()
    with pytest.raises(CommandError, match="Geef een map voor de export"):
        call_command("archive_audit", "--as-of", AS_OF, "--online-months", "6", stdout=out)
    assert table_exists(MARCH)


def test_a_busy_audit_table_is_not_detached_and_the_next_run_tries_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_at(datetime(2019, 3, 2, tzinfo=UTC))
    monkeypatch.setattr(archive_module, "LOCK_TIMEOUT", "200ms")
    settings = connection.settings_dict
    other = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"], dbname=settings["NAME"],
        password=settings["PASSWORD"] or None,
    )  # fmt: skip
    try:
        other.execute("SELECT count(*) FROM audit_auditevent")  # a long read keeps its lock until it ends
        output, error = archive(tmp_path)
    finally:
        other.rollback()
        other.close()

    assert error == "2 maand(en) niet gearchiveerd; zie de regels met FOUT."  # March and the empty April
    assert f"FOUT  {MARCH}: het auditlogboek was bezet; niet losgekoppeld" in output
    assert MARCH in {p.name for p in monthly_partitions() if p.is_attached}
    assert archive(tmp_path)[1] is None  # the next run, with the table free
    assert not table_exists(MARCH)


def test_old_rows_in_the_default_partition_are_archived_with_their_month(tmp_path: Path) -> None:
    stray = event_at(datetime(2019, 5, 20, tzinfo=UTC))  # May 2019 never got its partition
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_auditevent WHERE id = %s", [stray.pk])
        assert cursor.fetchone()[0] == "audit_auditevent_default"

    output, error = archive(tmp_path)

    assert error is None, output
    assert "1 oude maand(en) uit het restdeel een eigen deel gegeven." in output
    assert (
        f"audit_auditevent_y2019m05: 1 gebeurtenissen gearchiveerd naar {tmp_path / 'audit_auditevent_y2019m05'}"
        in output
    )
    assert not AuditEvent.objects.filter(pk=stray.pk).exists()
    assert AuditArchive.objects.get(partition="audit_auditevent_y2019m05").first_event_id == stray.pk
    assert all(report.first_break is None for report in verify_chains())
