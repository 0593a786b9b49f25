"""What the CBS file needs of each client file, read from the records as they stood at the end of a quarter.

:func:`quarter_sources` returns one :class:`Source` per file of the gemeente that was under the plicht in the
quarter: a kennisgeving on or before the last day of the quarter, and not already ended (voldaan, vrijgesteld or
ontheven, verhuisd, beëindigd) before its first day. Every value is "as of the last day of the quarter": a brede
intake completed later, a PIP version with a later dagtekening or a later status change is not seen, so a file for
a past quarter can be made again with the same content (and a late entry shows up as a correction).

Six queries whatever the number of files (files with their person, intakes, PIP versions, status history,
participation enrolments, PVT/MAP milestones). No names are read here; the worklist reads them separately for the
files that are incomplete, and only for staff who may open files.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Min
from django.utils import timezone

from openinburgering.clients.choices import FileStatus
from openinburgering.clients.models import ClientFile, StatusChange
from openinburgering.intakes.models import Intake
from openinburgering.plans.choices import PipStatus
from openinburgering.plans.models import PipVersion
from openinburgering.providers.choices import Component, EnrolmentStatus, MilestoneKind
from openinburgering.providers.models import Enrolment, ModuleMilestone

ENDED = (FileStatus.VOLDAAN, FileStatus.VRIJGESTELD_ONTHEVEN, FileStatus.VERHUISD, FileStatus.BEEINDIGD)
PARTICIPATION = (Component.PARTICIPATIE, Component.DUAAL, Component.MAP)
NOT_STARTED = (EnrolmentStatus.VOORGESTELD, EnrolmentStatus.GEWEIGERD)


@dataclass(frozen=True)
class PipState:
    """The PIP version in force on the last day of the quarter (the highest vastgestelde number by then)."""

    number: int
    dagtekening_on: date
    leerroute: str
    level: str
    previous_leerroute: str
    ontzorgen_applies: bool
    ontzorgen_start_on: date | None
    ontzorgen_end_on: date | None
    has_pvt: bool
    has_map: bool


@dataclass(frozen=True)
class Source:
    client_file_id: int
    bsn: str
    doelgroep: str
    status: str  # at the end of the quarter
    status_changed_on: date | None  # the last status change on or before the end of the quarter
    kennisgeving_on: date
    intake_on: date | None = None
    first_pip_on: date | None = None
    pip: PipState | None = None
    participation_on: date | None = None
    pvt_signed_on: date | None = None
    map_done_on: date | None = None
    voldaan_on: date | None = None


def _day(value: datetime | None) -> date | None:
    return None if value is None else timezone.localdate(value)


def quarter_sources(gemeente_id: int, *, start: date, end: date) -> list[Source]:
    """The files in scope for the quarter ``start``..``end`` (inclusive), by file id."""
    return sources_by_period(gemeente_id, [(start, end)])[0]


def _first_until(value: date | None, end: date) -> date | None:
    """A first date (a minimum over the records) as it stood on ``end``: the minimum is on or before ``end``
    exactly when some record is."""
    return value if value is not None and value <= end else None


def sources_by_period(gemeente_id: int, periods: list[tuple[date, date]]) -> list[list[Source]]:
    """The sources of several quarters (a file and the earlier quarters it corrects) from ONE read of the records
    up to the last day of the latest (the same six queries), each as the records stood on its own last day."""
    end = max(period_end for _, period_end in periods)
    files = list(
        ClientFile.objects.filter(gemeente_id=gemeente_id, kennisgeving_on__isnull=False, kennisgeving_on__lte=end)
        .order_by("pk")
        .values_list("pk", "person__bsn", "doelgroep", "kennisgeving_on")
    )
    ids = [row[0] for row in files]
    if not ids:
        return [[] for _ in periods]
    # Status history: per file, to read the status on the day before each quarter and on its last day.
    history: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for file_id, to_status, changed_at in (
        StatusChange.objects.filter(client_file_id__in=ids).order_by("client_file_id", "changed_at", "id")
        .values_list("client_file_id", "to_status", "changed_at")
    ):  # fmt: skip
        history[file_id].append((timezone.localdate(changed_at), to_status))
    intakes = {
        file_id: _day(first)
        for file_id, first in Intake.objects.filter(client_file_id__in=ids, status="completed",
                                                    completed_at__isnull=False)
        .values("client_file_id").annotate(first=Min("completed_at")).values_list("client_file_id", "first")
    }  # fmt: skip
    versions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for version in (
        PipVersion.objects.filter(client_file_id__in=ids, status__in=(PipStatus.VASTGESTELD, PipStatus.VERVANGEN),
                                  dagtekening_on__lte=end)
        .order_by("client_file_id", "number")
        .values("client_file_id", "number", "dagtekening_on", "leerroute", "level", "ontzorgen_applies",
                "ontzorgen_start_on", "ontzorgen_end_on", "pvt_intensity", "map_intensity")
    ):  # fmt: skip
        versions[version["client_file_id"]].append(dict(version))
    participation = dict(Enrolment.objects.filter(client_file_id__in=ids, component__in=PARTICIPATION,
                                                       starts_on__lte=end)
        .exclude(status__in=NOT_STARTED).values("client_file_id").annotate(first=Min("starts_on"))
        .values_list("client_file_id", "first"))  # fmt: skip
    milestones: dict[tuple[int, str], date] = {}
    for file_id, kind, first in (
        ModuleMilestone.objects.filter(enrolment__client_file_id__in=ids, happened_on__lte=end,
                                       kind__in=(MilestoneKind.PVT_ONDERTEKEND, MilestoneKind.MAP_KLAAR))
        .values("enrolment__client_file_id", "kind").annotate(first=Min("happened_on"))
        .values_list("enrolment__client_file_id", "kind", "first")
    ):  # fmt: skip
        milestones[(file_id, kind)] = first

    return [_sources(files, history, intakes, versions, participation, milestones, start=start, end=period_end)
            for start, period_end in periods]  # fmt: skip


def _sources(files: list[tuple[int, str, str, date | None]], history: dict[int, list[tuple[date, str]]],
             intakes: dict[int, date | None], versions: dict[int, list[dict[str, Any]]],
             participation: dict[int, date], milestones: dict[tuple[int, str], date], *, start: date, end: date,
             ) -> list[Source]:  # fmt: skip
    sources: list[Source] = []
    for pk, bsn, doelgroep, kennisgeving_on in files:
        if kennisgeving_on is None or kennisgeving_on > end:
            continue
        changes = history.get(pk, [])
        before = [status for day, status in changes if day < start]
        if before and before[-1] in ENDED:
            continue
        until_end = [(day, status) for day, status in changes if day <= end]
        status, changed_on = (until_end[-1][1], until_end[-1][0]) if until_end else (FileStatus.AANGEMELD, None)
        voldaan_on = next((day for day, s in until_end if s == FileStatus.VOLDAAN), None)
        fixed = [version for version in versions.get(pk, []) if version["dagtekening_on"] <= end]
        pip = None
        if fixed:
            current = fixed[-1]
            previous = fixed[-2]["leerroute"] if len(fixed) > 1 else ""
            pip = PipState(
                number=current["number"], dagtekening_on=current["dagtekening_on"], leerroute=current["leerroute"],
                level=current["level"], previous_leerroute=previous, ontzorgen_applies=current["ontzorgen_applies"],
                ontzorgen_start_on=current["ontzorgen_start_on"], ontzorgen_end_on=current["ontzorgen_end_on"],
                has_pvt=bool(current["pvt_intensity"].strip()), has_map=bool(current["map_intensity"].strip()),
            )  # fmt: skip
        intake_on = intakes.get(pk)
        sources.append(
            Source(
                client_file_id=pk,
                bsn=bsn or "",
                doelgroep=doelgroep or "",
                status=status,
                status_changed_on=changed_on,
                kennisgeving_on=kennisgeving_on,
                intake_on=_first_until(intake_on, end),
                first_pip_on=fixed[0]["dagtekening_on"] if fixed else None,
                pip=pip,
                participation_on=_first_until(participation.get(pk), end),
                pvt_signed_on=_first_until(milestones.get((pk, MilestoneKind.PVT_ONDERTEKEND)), end),
                map_done_on=_first_until(milestones.get((pk, MilestoneKind.MAP_KLAAR)), end),
                voldaan_on=voldaan_on,
            )
        )
    return sources
