"""Writing many rows in ONE statement, without a Django model instance per row.

``bulk_create`` builds a model instance per row and a statement per batch with a placeholder per value: for the
50,000 payments and ledger entries of a monthly payment run (#13) that cost most of a minute in Python. Here rows
are plain tuples in the order of ``columns``:

- on PostgreSQL one ``COPY ... FROM STDIN`` (psycopg 3), which also fires the table's triggers and checks its
  constraints and foreign keys like an INSERT does. Values go to psycopg as they are, so they must be types it
  adapts natively: ``str``, ``int``, ``bool``, ``date``, timezone-aware ``datetime``, ``None``; a JSON column's
  value (dict, list, ...) is written as its JSON text;
- elsewhere (the SQLite demo, small numbers) one ``executemany`` of a plain INSERT, every value prepared by its
  model field as the ORM would.

Both go through Django's cursor, so a COPY is logged as one query when queries are logged (``DEBUG``, the tests'
``CaptureQueriesContext``): query-count tests see it. Callers hold the transaction and write the audit event;
nothing here validates the rows, so every value must come from a service that did.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from itertools import chain
from typing import Any

from django.db import connection
from django.db.models import Field, JSONField, Model


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples of values for ``columns``, by column name) into ``model``'s table; the row count.
    No rows, no statement."""
    remaining = iter(rows)
    first = next(remaining, None)
    if first is None:
        return 0
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_list = ", ".join(quote(column) for column in columns)
    fields = [_concrete_field(model, column) for column in columns]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({column_list}) FROM STDIN"
            count = 0
            json_at = [(index, field.encoder) for index, field in enumerate(fields) if isinstance(field, JSONField)]
            debug_sql = getattr(cursor, "debug_sql", None)  # Django's CursorDebugWrapper when queries are logged
            with debug_sql(sql=sql) if debug_sql is not None else nullcontext(), cursor.cursor.copy(sql) as copy:
                for row in chain([first], remaining):
                    if json_at:  # COPY's text format: a JSON column takes the JSON text
                        row = list(row)
                        for index, encoder in json_at:
                            row[index] = json.dumps(row[index], cls=encoder)
                    copy.write_row(row)
                    count += 1
            return count
        materialised = [
            tuple(field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True))
            for row in chain([first], remaining)
        ]
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", materialised)  # noqa: S608 -- table and column names from the model, values are parameters
        return len(materialised)


def _concrete_field(model: type[Model], column: str) -> Field[Any, Any]:
    field = model._meta.get_field(column)
    if not isinstance(field, Field):
        raise TypeError(f"{model.__name__}.{column} is not a column of its table.")
    return field
