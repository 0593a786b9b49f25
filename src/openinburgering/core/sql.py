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
from dataclasses import dataclass
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


class JoinedSelect:
    """A model with a chain of to-one relations (``select_related``'s paths) as one SELECT written once per process
    (#18): Django compiles a ``select_related`` query on every call, about 2 ms of CPU for an API token's five joins
    against a tenth of that for running it. ``sql`` selects every concrete column of every model, the base table as
    ``t0`` and the relation ``path`` as ``alias(path)``; the caller adds its WHERE, values as params. ``load(row)``
    builds the instances with Django's own converters (JSON, SQLite's types) and links them as the ORM does; a
    nullable relation without a row becomes None. Tables and columns come from ``_meta``, quoted by the connection."""

    def __init__(self, model: type[models.Model], paths: tuple[str, ...]) -> None:
        quote = connection.ops.quote_name
        self._aliases = {"": "t0"}
        self._parts: list[_Part] = []
        joins = []
        nullable_by_path = {"": False}
        self._add_part("", model, nullable=False)
        for path in paths:
            parent, _, name = path.rpartition("__")
            relation = self._models[parent]._meta.get_field(name)
            if not isinstance(relation, models.ForeignKey):  # a OneToOneField is one too
                raise ValueError(f"{path} is not a to-one relation")
            nullable = relation.null or nullable_by_path[parent]
            nullable_by_path[path] = nullable
            alias = self._aliases[path] = f"t{len(self._aliases)}"
            target = self._add_part(path, relation.related_model, nullable=nullable)
            target_column, own_column = quote(str(relation.target_field.column)), quote(str(relation.column))
            joins.append(
                f"{'LEFT JOIN' if nullable else 'JOIN'} {quote(target._meta.db_table)} {alias} "
                f"ON {alias}.{target_column} = {self._aliases[parent]}.{own_column}"
            )
        columns = [
            f"{self._aliases[part.path]}.{quote(str(field.column))}"
            for part in self._parts
            for field in part.model._meta.concrete_fields
        ]
        self.sql = f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)} t0 {' '.join(joins)}".rstrip()  # noqa: S608 -- quoted model identifiers only

    @property
    def _models(self) -> dict[str, type[models.Model]]:
        return {part.path: part.model for part in self._parts}

    def _add_part(self, path: str, model: type[models.Model], *, nullable: bool) -> type[models.Model]:
        fields = model._meta.concrete_fields
        converters = []
        for i, field in enumerate(fields):
            col = field.get_col(self._aliases.get(path, "t0"))
            for convert in connection.ops.get_db_converters(col) + field.get_db_converters(connection):
                converters.append((i, convert, col))
        pk_index = [field.attname for field in fields].index(model._meta.pk.attname)
        parent, _, name = path.rpartition("__")
        self._parts.append(_Part(path, model, len(fields), converters, pk_index, nullable, parent, name))
        return model

    def alias(self, path: str = "") -> str:
        return self._aliases[path]

    def load(self, row: tuple[Any, ...] | list[Any]) -> Any:
        """The base instance of ``row`` with its relations."""
        loaded: dict[str, models.Model | None] = {}
        start = 0
        for part in self._parts:
            values = list(row[start : start + part.width])
            start += part.width
            for i, convert, col in part.converters:
                values[i] = convert(values[i], col, connection)
            instance = None
            if not (part.nullable and values[part.pk_index] is None):
                instance = part.model.from_db(connection.alias, (), values)  # every column: no names needed
            loaded[part.path] = instance
            owner = loaded.get(part.parent) if part.path else None
            if owner is not None:
                owner._meta.get_field(part.name).set_cached_value(owner, instance)  # type: ignore[union-attr]  # a ForeignKey
        return loaded[""]


@dataclass(frozen=True)
class _Part:
    path: str
    model: type[models.Model]
    width: int
    converters: list[tuple[int, Any, Any]]
    pk_index: int
    nullable: bool
    parent: str
    name: str


def count_of(rows: models.QuerySet[Any]) -> models.Subquery:
    """The number of ``rows`` (a queryset correlated with ``OuterRef``) as a subquery: COUNT without GROUP BY, so
    one row and 0 when there are none. For a page that reads a few counts in a row it reads anyway (#18)."""
    counted = rows.order_by().annotate(
        n=models.Func(models.F("pk"), function="COUNT", output_field=models.IntegerField())
    )
    return models.Subquery(counted.values("n"), output_field=models.IntegerField())
