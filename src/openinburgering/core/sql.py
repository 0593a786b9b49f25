"""Correlated subqueries written as SQL, for the worklists' hot query (#18).

Django compiles a correlated ``Subquery`` on every request; for the caseload's nine per-row facts that compiling
cost about 6 ms of CPU per page against 0.4 ms for running the SQL (bench/results/2026-12-07-cpu-profiles/). These
helpers write the same subqueries as plain SQL (``RawSQL``), which Django passes through without compiling. The
outer row is the queryset's base table, which Django always names by its table name; tables and columns come from
the models' ``_meta`` and are quoted by the connection. Every such subquery has a test that compares it with the
ORM selector it stands for (tests/clients/test_worklist_facts.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import connection, models
from django.db.models.expressions import RawSQL


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[models.Model], field: str) -> str:
    concrete = model._meta.get_field(field)
    if not isinstance(concrete, models.Field) or not concrete.column:
        raise ValueError(f"{model.__name__}.{field} is not a column")
    return connection.ops.quote_name(concrete.column)


def outer(model: type[models.Model], field: str = "id") -> str:
    """A column of the outer (base) table of the queryset being annotated."""
    return f"{table(model)}.{column(model, field)}"


def raw(
    template: str,
    names: Mapping[str, str],
    params: tuple[Any, ...] | list[Any] = (),
    output_field: models.Field[Any, Any] | None = None,
) -> RawSQL:
    """A subquery from ``template`` with ``{name}`` filled from ``names``: table and column names from ``table``,
    ``column`` and ``outer`` (quoted identifiers from the models, never input); values always as ``params``."""
    return RawSQL("(" + template.format(**names) + ")", tuple(params), output_field=output_field)  # noqa: S611 -- names are quoted model identifiers, values are params


def json_text(expression: str, key: str) -> tuple[str, list[str]]:
    """SQL and params for the text value of ``key`` in a JSON column, on PostgreSQL and SQLite."""
    if connection.vendor == "postgresql":
        return f"({expression} ->> %s)", [key]
    return f"json_extract({expression}, %s)", [f"$.{key}"]


def text_list(expression: str) -> str:
    """SQL of an aggregate joining the text of ``expression`` over the rows with commas, on PostgreSQL and SQLite; in
    no particular order (SQLite before 3.44 cannot order an aggregate): put the order into the text itself."""
    if connection.vendor == "postgresql":
        return f"string_agg(({expression})::text, ',')"
    return f"group_concat({expression}, ',')"
