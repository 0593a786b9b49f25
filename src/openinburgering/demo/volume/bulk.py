"""Writing the volume's rows fast (``demo.volume``): a row writer that reserves primary keys and uses PostgreSQL COPY
(``executemany`` elsewhere), secondary indexes dropped and rebuilt for large runs, and a check of the references
afterwards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import Model

from openinburgering.accounts.models import User
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile, Note, Person, StatusChange
from openinburgering.households.models import Household, HouseholdMember

# --- row writer ------------------------------------------------------------------------------------------


class RowWriter:
    """Reserves primary keys and writes rows: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self) -> None:
        self.is_postgres = connection.vendor == "postgresql"

    def reserve_ids(self, model: type[Model], count: int) -> list[int]:
        if count == 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.is_postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608 -- table name from model meta, not input
            start = int(cursor.fetchone()[0]) + 1
            return list(range(start, start + count))

    def write(self, model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        table = connection.ops.quote_name(model._meta.db_table)
        column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
        count = 0
        if self.is_postgres:
            connection.ensure_connection()
            raw = connection.connection
            assert raw is not None
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        materialised = list(rows)
        placeholders = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", materialised)  # noqa: S608 -- names from model meta
        return len(materialised)


def _drop_secondary_indexes() -> list[str]:
    """For a large run, building each index once after COPY is several times faster than maintaining it
    row by row (the trigram GIN indexes and the eight audit indexes above all). Drops every index of the bulk
    tables except primary keys and returns their definitions to recreate them in the same transaction; a
    unique index that would be violated fails the rebuild and rolls the seed back. Takes exclusive locks:
    for benchmark and test databases only, like the whole command."""
    tables = [m._meta.db_table for m in _BULK_MODELS]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
            "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    # A partitioned table's index reads "ON ONLY <table>" (audit, migration audit.0005): recreated without ONLY
    # it is built on every partition again.
    return [definition.replace(" ON ONLY ", " ON ", 1) for _name, definition in indexes]


def _skip_foreign_key_triggers() -> bool:
    """Per-row foreign-key triggers dominate COPY time (three checks per audit row). The rows are generated
    consistent, so the seed switches them off for its own transaction (`session_replication_role = replica`,
    needs a superuser; without one the checks simply run) and verifies the references afterwards."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


_BULK_MODELS: tuple[type[Model], ...] = (Person, ClientFile, StatusChange, Note, Household, HouseholdMember, AuditEvent)
_REFERENCES = (
    (ClientFile, "person_id", Person), (ClientFile, "assigned_to_id", User), (HouseholdMember, "person_id", Person),
    (HouseholdMember, "household_id", Household), (StatusChange, "client_file_id", ClientFile),
    (Note, "client_file_id", ClientFile), (AuditEvent, "client_file_id", ClientFile),
)  # fmt: skip


def _verify_references() -> None:
    """Fails the seed (and so rolls it back) if any generated row points at a row that does not exist."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, column, target in _REFERENCES:
            table, other = quote(model._meta.db_table), quote(target._meta.db_table)
            cursor.execute(
                f"SELECT count(*) FROM {table} t WHERE t.{quote(column)} IS NOT NULL AND NOT EXISTS "  # noqa: S608 -- names from model meta, not input
                f"(SELECT 1 FROM {other} o WHERE o.id = t.{quote(column)})"
            )
            missing = cursor.fetchone()[0]
            if missing:
                raise RuntimeError(f"seed produced {missing} rows in {table} with a dangling {column}")
