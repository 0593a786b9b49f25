"""The entry of a timeline and the helpers every source uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

from django.db.models import DateField, DateTimeField, F, IntegerField, Model, QuerySet, TextField, Value
from django.db.models.functions import Cast
from django.utils import timezone

from openinburgering.accounts.sections import Section
from openinburgering.clients.models import ClientFile

TIMELINE_KINDS = (
    "status", "note", "change", "household", "oproep", "intake", "toets", "route", "pip", "bezwaar", "voortgang",
    "letter", "signal", "plaatsing", "exam", "boete", "vervolg",
)  # fmt: skip
"""The kinds of entry (``TimelineEntry.kind``): a CSS modifier on the page and a code in the API."""

UNKNOWN_ACTOR = "niet vastgelegd"
SYSTEM_ACTOR = "systeem"


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # one of TIMELINE_KINDS
    title: str
    detail: str
    actor: str


@dataclass(frozen=True)
class Row:
    """One row of the timeline's union: the same columns from every kind of record (see :func:`shape`)."""

    src: int
    rid: int
    at: datetime
    moment: datetime | None
    d: date | None
    t1: str | None
    t2: str | None
    t3: str | None
    t4: str | None
    t5: str | None
    by_first: str | None
    by_last: str | None
    by_user: str | None


COLUMNS = tuple(Row.__dataclass_fields__)


@dataclass(frozen=True)
class Branch:
    """One kind of moment in one kind of record: ``rows`` gives the file's rows in the union's shape (through
    :func:`shape`, with ``src`` the branch's place in the union), ``entry`` turns one row into its entry."""

    rows: Callable[[ClientFile, int], QuerySet[Any]]
    entry: Callable[[Row], TimelineEntry]
    at_in_json: str | None = None  # a text column holding JSON whose "at", when set, is the row's moment


@dataclass(frozen=True)
class Source:
    kind: str
    label: str  # what the source holds, in Dutch (for the legend and the API docs)
    branches: tuple[Branch, ...]  # a record with two moments (planned, outcome) has a branch for each
    section: Section  # the part of the file these entries belong to: shown only to who may read it (#12 item 1)
    capability: str | None = None  # only actors with this capability see these entries


def shape(
    queryset: QuerySet[Any],
    src: int,
    *,
    at: Any,
    texts: tuple[Any, ...] = (),
    by: str | None = None,
    moment: Any = None,
    d: Any = None,
) -> QuerySet[Any]:
    """The rows of ``queryset`` as the union's columns (:class:`Row`): where a field is a name or an expression,
    texts cast to text (at most five), ``by`` the relation to the user who did it."""
    if len(texts) > 5:
        raise ValueError("at most five text columns")

    def expr(value: Any) -> Any:
        return F(value) if isinstance(value, str) else value

    def text(value: Any) -> Cast:
        return Cast(Value(None) if value is None else expr(value), TextField())

    columns: dict[str, Any] = {
        "src": Value(src, output_field=IntegerField()),
        "rid": F("pk"),
        "at": expr(at),
        "moment": Cast(Value(None) if moment is None else expr(moment), DateTimeField()),
        "d": Cast(Value(None) if d is None else expr(d), DateField()),
    }
    padded = (*texts, *([None] * (5 - len(texts))))
    columns.update({f"t{index}": text(value) for index, value in enumerate(padded, start=1)})
    for column, field in (("by_first", "first_name"), ("by_last", "last_name"), ("by_user", "username")):
        columns[column] = text(None if by is None else f"{by}__{field}")
    return queryset.order_by().values(**columns)


def who_of(row: Row, *, system: bool = False) -> str:
    """The user of the row's ``by`` columns by name (``User.display_name``); no user: the system or unknown."""
    if row.by_user is None:
        return SYSTEM_ACTOR if system else UNKNOWN_ACTOR
    return f"{row.by_first or ''} {row.by_last or ''}".strip() or row.by_user


@cache
def _labels(model: type[Model], field: str) -> dict[str, Any]:
    return {str(key): value for key, value in model._meta.get_field(field).flatchoices}  # type: ignore[union-attr]  # a concrete Field, never a relation


def label(model: type[Model], field: str, value: str | None) -> str:
    """The display of a choice read as text (what ``get_FOO_display`` gives)."""
    return str(_labels(model, field).get(str(value), value))


def is_true(value: str | None) -> bool:
    """A boolean read as text: ``true`` on PostgreSQL, ``1`` on SQLite."""
    return value in ("true", "1", "True")


def day(day: date) -> datetime:
    """A record with only a date is placed at noon of that day (Europe/Amsterdam)."""
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def full_name(given: str | None, prefix: str | None, surname: str | None) -> str:
    return " ".join(part for part in (given, prefix, surname) if part)


def money(amount: Decimal) -> str:
    return f"€ {amount:.2f}".replace(".", ",")
