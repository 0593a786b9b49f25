"""The entry of a timeline and the helpers every source uses."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from openinburgering.accounts.models import User
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
class Source:
    kind: str
    label: str  # what the source holds, in Dutch (for the legend and the API docs)
    read: Callable[[ClientFile, int | None], list[TimelineEntry]]
    section: Section  # the part of the file these entries belong to: shown only to who may read it (#12 item 1)
    capability: str | None = None  # only actors with this capability see these entries


def who(user: User | None, *, system: bool = False) -> str:
    if user is None:
        return SYSTEM_ACTOR if system else UNKNOWN_ACTOR
    return user.display_name


def cut(queryset: QuerySet[Any], limit: int | None) -> Iterable[Any]:
    return queryset if limit is None else queryset[:limit]


def day(day: date) -> datetime:
    """A record with only a date is placed at noon of that day (Europe/Amsterdam)."""
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def full_name(given: str | None, prefix: str | None, surname: str | None) -> str:
    return " ".join(part for part in (given, prefix, surname) if part)


def money(amount: Decimal) -> str:
    return f"€ {amount:.2f}".replace(".", ",")
