"""Archive old months of the audit table: detach, export, verify, drop (#18 item 6; docs/audit.md "Archive").

What happens to a month older than ``AUDIT_ONLINE_MONTHS`` (PostgreSQL only), in this order:

1. **Check** (the month still attached): every event's content hash is recomputed and every event has its seal.
   A month that fails is left alone and reported; nothing is detached.
2. **Detach** the partition (``ALTER TABLE … DETACH PARTITION``, a short lock on the audit table): from then on
   the month is no longer part of ``audit_auditevent``, so no screen, API or "wie heeft dit dossier ingezien"
   shows it; the table still exists in the database under its own name, without the cloned triggers.
3. **Export** to ``<folder>/<partition>/``: ``events.csv.gz`` (every row, ``COPY … CSV HEADER``, ordered by id),
   ``seals.csv.gz`` (the hash-chain seals of those events) and ``manifest.json`` (range, counts, first and last
   id, per chain the first and last sequence number and the last chain hash, the SHA-256 of both files). The
   files are written under a temporary name and renamed; gzip without a timestamp, so a repeated export of the
   same month gives the same bytes.
4. **Verify** the files: read back, count the rows, compare the hashes with the manifest.
5. **Drop** the detached table, in one transaction with an insert-only ``AuditArchive`` record and the audit
   event ``audit_partition_archived``. After this the month's events exist only in the export (and in older
   backups until they expire): keeping the export as long as the gemeente's logging policy requires, and
   destroying it afterwards, is the gemeente's archive's job, not the application's.

The seals stay in ``audit_auditseal``: the chains remain whole, and ``verify_chains`` counts a seal whose event is
gone as archived when its id lies in an ``AuditArchive`` id range (and the total must match the archived count).

Every step can be repeated: a run after a crash finds a detached month and goes on with its export; an existing
export is written again identically; a dropped month is not seen again. Detaching and dropping need the owner of
the audit table: run ``archive_audit`` as the database owner role, like migrations (docs/audit.md)."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import OperationalError, connection, transaction
from django.utils import timezone

from openinburgering.core.checksums import file_sha256

from .chain import canonical_content
from .models import AuditArchive
from .partitions import DEFAULT_PARTITION, Partition, add_months, ensure_partitions, month_bounds, monthly_partitions
from .services import record_event

PURPOSE = "archivering van het auditlogboek (bewaarbeleid)"
LOCK_TIMEOUT = "5s"
EVENT_COLUMNS = (
    "id, occurred_at, actor_id, actor_role, gemeente_id, client_file_id, event_type, subject_type, subject_id, "
    "purpose, changes, request_id, via, content_hash"
)


class ArchiveError(Exception):
    """A month that cannot be archived safely; the message is Dutch and names the partition."""


@dataclass(frozen=True)
class Outcome:
    partition: str
    month: date
    event_count: int
    folder: str
    archived: bool  # False in a dry run


def cutoff(*, today: date, online_months: int) -> date:
    """Months before this first day of a month are due for the archive."""
    return add_months(today.replace(day=1), -online_months)


def adopt_default_rows(*, before: date) -> int:
    """Give each month before ``before`` that has rows in the default partition (the daily job never made it) its
    own partition, moving the rows there, so the archive takes them with their month. Returns the months made."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date FROM {DEFAULT_PARTITION} "  # noqa: S608 -- fixed table name
            "WHERE occurred_at < %s ORDER BY 1",
            [month_bounds(before)[0]],
        )
        months = [row[0] for row in cursor.fetchall()]
    made = 0
    for month in months:
        with transaction.atomic():
            made += ensure_partitions(first_month=month, last_month=month)
    return made


def due_partitions(*, today: date, online_months: int) -> list[Partition]:
    before = cutoff(today=today, online_months=online_months)
    return [partition for partition in monthly_partitions() if partition.month < before]


def archive_due_one(partition: Partition, *, folder: Path, dry_run: bool = False) -> Outcome:
    """Archive one month that is due (``due_partitions``); a dry run only counts its events."""
    if dry_run:
        return Outcome(partition.name, partition.month, _count(partition.name), str(folder / partition.name), False)
    return archive_partition(partition, folder=folder)


def archive_partition(partition: Partition, *, folder: Path) -> Outcome:
    name = partition.name
    if partition.is_attached:
        _check_contents(name)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                cursor.execute(f'ALTER TABLE audit_auditevent DETACH PARTITION "{name}"')
        except OperationalError as exc:  # lock_timeout: the table was busy for longer than LOCK_TIMEOUT
            raise ArchiveError(
                f"{name}: het auditlogboek was bezet; niet losgekoppeld, de volgende run probeert het opnieuw."
            ) from exc
    target = folder / name
    manifest = _export(name, partition.month, target)
    manifest_bytes = _write_manifest(target, manifest)
    _verify_export(target, manifest)
    start, end = month_bounds(partition.month)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        database_user = cursor.fetchone()[0]
        AuditArchive.objects.create(
            partition=name,
            range_start=start,
            range_end=end,
            event_count=manifest["event_count"],
            first_event_id=manifest["first_event_id"],
            last_event_id=manifest["last_event_id"],
            folder=str(target),
            manifest_sha256=hashlib.sha256(manifest_bytes).hexdigest(),
            archived_at=timezone.now(),
            database_user=database_user,
        )
        record_event(
            event_type="audit_partition_archived",
            purpose=PURPOSE,
            subject_type="auditarchive",
            subject_id=name,
            changes={
                "partition": name,
                "event_count": manifest["event_count"],
                "first_event_id": manifest["first_event_id"],
                "last_event_id": manifest["last_event_id"],
                "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
            },
            via="command",
        )
        cursor.execute(f'DROP TABLE "{name}"')
    return Outcome(name, partition.month, manifest["event_count"], str(target), True)


def _count(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608 -- partition name from pg_class, matched
        return int(cursor.fetchone()[0])


def _rows(name: str, chunk: int = 2000) -> Iterator[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT {EVENT_COLUMNS} FROM "{name}" ORDER BY id')  # noqa: S608 -- name from pg_class
        while batch := cursor.fetchmany(chunk):
            yield from batch


def _check_contents(name: str) -> None:
    """Before anything is detached: every event's content is unchanged and every event is sealed."""
    for row in _rows(name):
        (event_id, occurred_at, actor_id, actor_role, gemeente_id, client_file_id, event_type, subject_type,
         subject_id, purpose, changes, request_id, via, content_hash) = row  # fmt: skip
        text = canonical_content(
            occurred_at=occurred_at, actor_id=actor_id, actor_role=actor_role, gemeente_id=gemeente_id,
            client_file_id=client_file_id, event_type=event_type, subject_type=subject_type, subject_id=subject_id,
            purpose=purpose, changes=json.loads(changes) if isinstance(changes, str) else changes,
            request_id=request_id, via=via,
        )  # fmt: skip
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != content_hash:
            raise ArchiveError(f"{name}: de inhoud van gebeurtenis #{event_id} is gewijzigd; niet gearchiveerd.")
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT count(*) FROM "{name}" e WHERE NOT EXISTS '  # noqa: S608 -- name from pg_class
            "(SELECT 1 FROM audit_auditseal s WHERE s.event_id = e.id)"
        )
        unsealed = int(cursor.fetchone()[0])
    if unsealed:
        raise ArchiveError(f"{name}: {unsealed} gebeurtenissen zonder schakel in de hashketen; niet gearchiveerd.")


def _copy_to(path: Path, query: str) -> str:
    """COPY ``query`` as CSV with a header into a gzip file (no timestamp in it); returns the file's SHA-256."""
    temporary = path.with_name(path.name + ".tmp")
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    with temporary.open("wb") as handle:
        with (
            gzip.GzipFile(filename="", mode="wb", fileobj=handle, mtime=0) as compressed,
            raw.cursor() as cursor,
            cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy,
        ):
            for block in copy:
                compressed.write(block)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return file_sha256(path)


def _export(name: str, month: date, target: Path) -> dict[str, Any]:
    target.mkdir(parents=True, exist_ok=True)
    seals_of_month = f'SELECT s.* FROM audit_auditseal s WHERE s.event_id IN (SELECT id FROM "{name}")'  # noqa: S608 -- name from pg_class
    files = {
        "events.csv.gz": _copy_to(target / "events.csv.gz", f'SELECT {EVENT_COLUMNS} FROM "{name}" ORDER BY id'),  # noqa: S608 -- name from pg_class
        "seals.csv.gz": _copy_to(target / "seals.csv.gz", f"{seals_of_month} ORDER BY s.chain, s.seq"),
    }
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*), min(id), max(id) FROM "{name}"')  # noqa: S608 -- name from pg_class
        event_count, first_id, last_id = cursor.fetchone()
        cursor.execute(
            f"SELECT chain, min(seq), max(seq), count(*), "  # noqa: S608 -- name from pg_class
            f"(array_agg(chain_hash ORDER BY seq DESC))[1] FROM ({seals_of_month}) s GROUP BY chain ORDER BY chain"
        )
        chains = {
            chain: {"first_seq": first, "last_seq": last, "seals": count, "last_chain_hash": last_hash}
            for chain, first, last, count, last_hash in cursor.fetchall()
        }
    start, end = month_bounds(month)
    return {
        "what": "Open Inburgering audit events of one month, detached from audit_auditevent (docs/audit.md)",
        "partition": name,
        "range_start": start.isoformat(),
        "range_end": end.isoformat(),
        "event_count": event_count,
        "seal_count": sum(c["seals"] for c in chains.values()),
        "first_event_id": first_id,
        "last_event_id": last_id,
        "chains": chains,
        "files": files,
        "columns": {"events.csv.gz": EVENT_COLUMNS, "seals.csv.gz": "every column of audit_auditseal"},
    }


def _write_manifest(target: Path, manifest: dict[str, Any]) -> bytes:
    data = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8") + b"\n"
    temporary = target / "manifest.json.tmp"
    temporary.write_bytes(data)
    os.replace(temporary, target / "manifest.json")
    return data


def _verify_export(target: Path, manifest: dict[str, Any]) -> None:
    """Read the files back: the hashes in the manifest and the number of rows in each file."""
    expected_rows = {"events.csv.gz": manifest["event_count"], "seals.csv.gz": manifest["seal_count"]}
    for file_name, digest in manifest["files"].items():
        path = target / file_name
        if file_sha256(path) != digest:
            raise ArchiveError(f"{manifest['partition']}: {file_name} wijkt af van het manifest; niet verwijderd.")
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            rows = sum(1 for _ in csv.reader(handle)) - 1  # the header
        if rows != expected_rows[file_name]:
            raise ArchiveError(
                f"{manifest['partition']}: {file_name} bevat {rows} rijen in plaats van {expected_rows[file_name]}; "
                "niet verwijderd."
            )
    if manifest["seal_count"] != manifest["event_count"]:
        raise ArchiveError(f"{manifest['partition']}: niet elke gebeurtenis heeft een schakel; niet verwijderd.")
