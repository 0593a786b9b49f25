"""The monthly partitions of the audit table on PostgreSQL (#18 item 6; migration 0005, docs/audit.md "Partitions").

One partition per calendar month in UTC, named ``audit_auditevent_yYYYYmMM``, plus ``audit_auditevent_default``
for rows of a month that has no partition yet. The daily job (`audit.tasks`) keeps the current month and
``MONTHS_AHEAD`` months after it ready through the database function ``audit_ensure_partitions`` (SECURITY DEFINER,
so an application role that does not own the table may call it). On SQLite (the demo) there is nothing to do."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import connection

MONTHS_AHEAD = 3
"""The daily job keeps this many months after the current one created ahead of time."""

PREFIX = "audit_auditevent_y"
DEFAULT_PARTITION = "audit_auditevent_default"
_NAME = re.compile(r"^audit_auditevent_y(\d{4})m(\d{2})$")


def is_partitioned() -> bool:
    """True on PostgreSQL after migration 0005 (the demo's SQLite has one plain table)."""
    return connection.vendor == "postgresql"


def add_months(month: date, months: int) -> date:
    """The first day of the month ``months`` after (or before, when negative) the month of ``month``."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"{PREFIX}{month.year:04d}m{month.month:02d}"


def month_of(name: str) -> date | None:
    """The month a partition's name stands for, or None for another table's name."""
    match = _NAME.match(name)
    return date(int(match.group(1)), int(match.group(2)), 1) if match else None


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The range of a month's partition: from its first instant (UTC) up to, not including, the next month's."""
    start = date(month.year, month.month, 1)
    end = add_months(start, 1)
    return datetime(start.year, start.month, 1, tzinfo=UTC), datetime(end.year, end.month, 1, tzinfo=UTC)


def ensure_partitions(*, first_month: date, last_month: date) -> int:
    """Create every missing monthly partition from ``first_month`` to ``last_month`` (both included) and the
    default partition; returns how many months were created. Idempotent. Rows of a new month that already sit in
    the default partition are moved into it (in this transaction). A month that was archived is created again
    (empty) only when asked for explicitly."""
    if not is_partitioned():
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT audit_ensure_partitions(%s, %s)", [first_month, last_month])
        return int(cursor.fetchone()[0])


def ensure_ahead(*, today: date) -> int:
    """The daily job's work: the current month (UTC) and ``MONTHS_AHEAD`` months after it."""
    this_month = today.replace(day=1)
    return ensure_partitions(first_month=this_month, last_month=add_months(this_month, MONTHS_AHEAD))


@dataclass(frozen=True)
class Partition:
    name: str
    month: date
    is_attached: bool


def monthly_partitions() -> list[Partition]:
    """Every monthly partition table in the schema, attached or detached (not yet archived), oldest first."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relispartition FROM pg_class c "
            "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname ~ %s",
            [r"^audit_auditevent_y[0-9]{4}m[0-9]{2}$"],
        )
        rows = cursor.fetchall()
    partitions = []
    for name, attached in rows:
        month = month_of(name)
        if month is not None:
            partitions.append(Partition(name=name, month=month, is_attached=bool(attached)))
    return sorted(partitions, key=lambda p: p.month)


def rows_in_default() -> int:
    """Rows in the default partition: a month without its own partition (the daily job did not run). The job
    moves them when it creates that month; a number above zero for long deserves a look."""
    if not is_partitioned():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {DEFAULT_PARTITION}")  # noqa: S608 -- fixed table name
        return int(cursor.fetchone()[0])
