"""Reads for the CBS delivery: the clients missing data for a quarter's file (the worklist "ontbreekt voor het
kwartaalbestand") and the open delivery step on the worklist of the start page.

The worklist names a client (name and a link to the page where the data is fixed) only for staff who may open
files (VIEW_CLIENT_FILES, the teamleider); the link leads through that page's own access check. The
beleidsmedewerker, who has no access to files, sees the dossier number, what is missing and the klantregisseur to
ask, never a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.clients.models import ClientFile

from . import mapping
from .models import CbsDeliveryDownload
from .services import Quarter
from .sources import quarter_sources

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")  # fmt: skip

FIX_PAGES = {
    "persoon": ("clients:edit-person", "Persoonsgegevens aanvullen"),
    "gegevens": ("clients:edit-file", "Gegevens van het dossier aanvullen"),
    "intake": ("intakes:overview", "Naar de brede intake"),
    "pip": ("plans:index", "Naar het PIP"),
}


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class IncompleteRow:
    client_file_id: int
    name: str  # "" for staff who may not open files
    caseworker: str
    gaps: tuple[mapping.Missing, ...]
    links: tuple[tuple[str, str], ...]  # (text, url), one per page to visit; empty without file access

    @property
    def left_out(self) -> bool:
        return not mapping.is_deliverable(self.gaps)


def incomplete_for(actor: Actor, quarter: Quarter) -> list[IncompleteRow]:
    """The clients of the quarter's file with something missing, those left out of the file first (7 queries)."""
    period = quarter.period
    gaps = {
        source.client_file_id: found
        for source in quarter_sources(actor.gemeente_id, start=period.period_start_on, end=period.period_end_on)
        if (found := mapping.missing(source))
    }
    if not gaps:
        return []
    named = actor.can(Capability.VIEW_CLIENT_FILES)
    files = ClientFile.objects.filter(pk__in=list(gaps), gemeente_id=actor.gemeente_id).values_list(
        "pk", "person__given_names", "person__surname_prefix", "person__surname", "assigned_to__first_name",
        "assigned_to__last_name",
    )  # fmt: skip
    rows = []
    for pk, given, prefix, surname, first, last in files:
        links: list[tuple[str, str]] = []
        if named:
            for fix in dict.fromkeys(gap.fix for gap in gaps[pk]):
                url_name, text = FIX_PAGES[fix]
                links.append((text, reverse(url_name, kwargs={"file_id": pk})))
        rows.append(IncompleteRow(
            client_file_id=pk, name=" ".join(p for p in (given, prefix, surname) if p) if named else "",
            caseworker=" ".join(p for p in (first, last) if p) or "Niet toegewezen", gaps=gaps[pk],
            links=tuple(links),
        ))  # fmt: skip
    rows.sort(key=lambda row: (not row.left_out, row.client_file_id))
    return rows


@dataclass(frozen=True)
class DeliveryStep:
    quarter: Quarter
    deliver_by_on: date
    is_overdue: bool

    @property
    def label(self) -> str:
        if self.is_overdue:
            return f"CBS-bestand {self.quarter.title}: te laat, uiterlijk {long_date(self.deliver_by_on)}"
        return f"CBS-bestand {self.quarter.title}: leveren uiterlijk {long_date(self.deliver_by_on)}"


def open_delivery_step(gemeente_id: int, *, as_of: date) -> DeliveryStep | None:
    """The last completed quarter while none of its files has been downloaded yet (1 query); the deadline is
    ``rules.cbs_levering``."""
    quarter = Quarter.last_completed(as_of)
    if quarter.year < 2022:  # the Wi2021 applies from 2022: no earlier delivery
        return None
    if CbsDeliveryDownload.objects.filter(delivery__gemeente_id=gemeente_id, delivery__year=quarter.year,
                                          delivery__quarter=quarter.quarter).exists():  # fmt: skip
        return None
    deliver_by = quarter.period.deliver_by_on
    return DeliveryStep(quarter=quarter, deliver_by_on=deliver_by, is_overdue=as_of > deliver_by)


@dataclass(frozen=True)
class QuarterSummary:
    """Aggregates only (the API): how many clients the quarter's file holds and what is missing how often."""

    in_scope: int
    deliverable: int
    incomplete: int
    left_out: int
    missing: dict[str, int]  # Dutch label -> number of clients


def quarter_summary(gemeente_id: int, quarter: Quarter) -> QuarterSummary:
    period = quarter.period
    sources = quarter_sources(gemeente_id, start=period.period_start_on, end=period.period_end_on)
    counts: dict[str, int] = {}
    incomplete = left_out = 0
    for source in sources:
        gaps = mapping.missing(source)
        if not mapping.is_deliverable(gaps):
            left_out += 1
        elif gaps:
            incomplete += 1
        for gap in gaps:
            counts[gap.label] = counts.get(gap.label, 0) + 1
    return QuarterSummary(in_scope=len(sources), deliverable=len(sources) - left_out, incomplete=incomplete,
                          left_out=left_out, missing=counts)  # fmt: skip
