"""The aggregate layer of the monitoring figures (#16 item 7; docs/monitoring.md explains the choice).

Two tables, both derived and rebuildable from the records at any time:

- ``FileFact``: one row per client file with what the figures need (dates, statuses, flags; no names, no BSN),
  computed here from the records in a constant number of queries per batch, every statutory date asked of
  ``rules`` (``rules.pip_deadline``; the termijn is the one stored from ``rules.termijn`` on the first PIP);
- ``FactCell``: summable numbers per gemeente, month, doelgroep, team and metric. ``contributions(fact)`` says
  which cells one file adds to; a cell is the sum of the contributions of every file's fact.

Refreshing a file (:func:`refresh_files`) computes its new fact, compares it with the stored one and adds the
difference of their contributions to the cells, all in one transaction with the file rows locked, so the cells
always equal the sum over the facts. It runs on change (``monitoring.signals``: after the commit of a change to
a file, its intakes, PIP versions, status history, vervolgcontacten or fines) and every night for every file of
every active gemeente (``monitoring.tasks``), which also catches what time alone changes (a PIP deadline that
passed) and what bulk writes skipped. :func:`rebuild_gemeente` throws the cells of a gemeente away and sums them
again from its facts (the ``monitoring_rebuild`` command; a check, not needed in normal operation).

Pages and the API only sum cells (``monitoring.figures``): their cost depends on the number of months, doelgroepen
and teams, not on the number of clients.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from openinburgering import rules
from openinburgering.clients.choices import FileStatus
from openinburgering.clients.models import ClientFile, StatusChange
from openinburgering.followup.selectors import latest_by_file
from openinburgering.handhaving.models import DecisionOutcome, FineDecision
from openinburgering.intakes.models import Intake
from openinburgering.plans.choices import PipStatus
from openinburgering.plans.models import PipVersion
from openinburgering.rules.deadlines import PIP_WEEKS

from .models import FactCell, FileFact

BATCH = 2000
ON_TIME = "on_time"
LATE = "late"
FIXED_PIP = (PipStatus.VASTGESTELD, PipStatus.VERVANGEN)
NO_PIP_EXPECTED = (FileStatus.VRIJGESTELD_ONTHEVEN, FileStatus.VERHUISD, FileStatus.BEEINDIGD)
UNDER_PLICHT = (FileStatus.AANGEMELD, FileStatus.INTAKE, FileStatus.PIP, FileStatus.IN_TRAJECT)

# Weeks from the kennisgeving, in groups read against the norm of rules.deadlines.PIP_WEEKS (B 5.3: the PIP at
# the latest 10 weeks after the kennisgeving). (label, first week, last week or None); weeks are whole days / 7
# rounded up, so day 70 is week 10 and day 71 is week 11.
NORM_WEEKS = PIP_WEEKS
WEEK_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-2", 0, 2),
    ("3-4", 3, 4),
    ("5-6", 5, 6),
    ("7-8", 7, 8),
    (f"9-{NORM_WEEKS}", 9, NORM_WEEKS),
    (f"{NORM_WEEKS + 1}-12", NORM_WEEKS + 1, 12),
    ("13-16", 13, 16),
    ("17+", 17, None),
)


def weeks(days: int) -> int:
    return 0 if days <= 0 else -(-days // 7)


def bucket(days: int) -> str:
    count = weeks(days)
    for label, first, last in WEEK_BUCKETS:
        if count >= first and (last is None or count <= last):
            return label
    raise AssertionError(count)  # pragma: no cover - the last bucket is open


def month_of(day: date) -> date:
    return day.replace(day=1)


@dataclass(frozen=True)
class Fact:
    """A ``FileFact`` as plain values (what :func:`contributions` reads)."""

    client_file_id: int
    gemeente_id: int
    team: int
    assigned_to_id: int | None
    doelgroep: str
    status: str
    kennisgeving_on: date | None = None
    koppeling_on: date | None = None
    vestiging_on: date | None = None
    intake_on: date | None = None
    pip_on: date | None = None
    pip_due_on: date | None = None
    pip_outcome: str = ""
    pip_outcome_on: date | None = None
    leerroute: str = ""
    route_switched: bool = False
    vroege_start: bool = False
    duaal: bool = False
    kinderopvang: bool = False
    reiskosten: bool = False
    lestijden: bool = False
    begeleiding: bool = False
    bijstand: bool = False
    ontzorgen: bool = False
    termijn_end_on: date | None = None
    voldaan_on: date | None = None
    voldaan_outcome: str = ""
    voldaan_outcome_on: date | None = None
    situation: str = ""
    fines_on: tuple[str, ...] = ()
    extension_months: int = 0
    extended_on: date | None = None


FACT_FIELDS = tuple(name for name in Fact.__dataclass_fields__ if name != "client_file_id")

Key = tuple[date, str, int, str]  # month, doelgroep, team, metric


def contributions(fact: Fact) -> Counter[Key]:
    """The cells one file adds to, each in the month of the event it counts (the definitions are in
    ``monitoring.figures.DEFINITIONS``)."""
    out: Counter[Key] = Counter()

    def add(day: date | None, metric: str, value: int = 1) -> None:
        if day is not None and value:
            out[(month_of(day), fact.doelgroep, fact.team, metric)] += value

    add(fact.kennisgeving_on, "inflow_kennisgeving")
    add(fact.koppeling_on, "inflow_koppeling")
    add(fact.vestiging_on, "inflow_vestiging")
    if fact.kennisgeving_on is not None and fact.intake_on is not None:
        add(fact.kennisgeving_on, "reached")
    if fact.intake_on is not None:
        add(fact.intake_on, "intake_done")
        if fact.kennisgeving_on is not None:
            days = max(0, (fact.intake_on - fact.kennisgeving_on).days)
            add(fact.intake_on, "intake_timed")
            add(fact.intake_on, "intake_days", days)
            add(fact.intake_on, f"intake_weeks:{bucket(days)}")
        if fact.koppeling_on is not None and fact.doelgroep == "asielstatushouder":
            add(fact.intake_on, "vroege_start_base")
            add(fact.intake_on, "vroege_start", int(fact.vroege_start))
    if fact.pip_on is not None:
        add(fact.pip_on, "pip_set")
        if fact.kennisgeving_on is not None:
            days = max(0, (fact.pip_on - fact.kennisgeving_on).days)
            add(fact.pip_on, "pip_timed")
            add(fact.pip_on, "pip_days", days)
            add(fact.pip_on, f"pip_weeks:{bucket(days)}")
        if fact.leerroute:
            add(fact.pip_on, f"route:{fact.leerroute}")
            add(fact.pip_on, "route_switched", int(fact.route_switched))
            for flag in ("duaal", "kinderopvang", "reiskosten", "lestijden", "begeleiding"):
                add(fact.pip_on, flag, int(getattr(fact, flag)))
            add(fact.pip_on, "bijstand", int(fact.bijstand))
            add(fact.pip_on, "ontzorgen", int(fact.ontzorgen))
    if fact.pip_outcome:
        add(fact.pip_outcome_on, "pip_counted")
        add(fact.pip_outcome_on, "pip_on_time", int(fact.pip_outcome == ON_TIME))
    if fact.voldaan_on is not None:
        add(fact.voldaan_on, "voldaan")
        add(fact.voldaan_on, f"outcome:{fact.situation or 'onbekend'}")
    if fact.voldaan_outcome:
        add(fact.voldaan_outcome_on, "voldaan_counted")
        add(fact.voldaan_outcome_on, "voldaan_on_time", int(fact.voldaan_outcome == ON_TIME))
    for day in fact.fines_on:
        add(date.fromisoformat(day), "fine")
    if fact.extension_months:
        add(fact.extended_on, "extension")
        add(fact.extended_on, "extension_months", fact.extension_months)
    return out


# ---------------------------------------------------------------------------------------------------------------
# Computing facts from the records (6 queries per batch of files: files, intakes, PIP versions, voldaan, vervolg,
# boetebesluiten; DUO's termijn is on the file row)


def _day(value: Any) -> date | None:
    return None if value is None else timezone.localdate(value)


def compute_facts(file_ids: Sequence[int], *, today: date) -> dict[int, Fact]:
    ids = list(file_ids)
    if not ids:
        return {}
    files = ClientFile.objects.filter(pk__in=ids).values(
        "pk", "gemeente_id", "team_id", "assigned_to_id", "doelgroep", "status", "kennisgeving_on",
        "coa_koppeling_on", "registered_on", "housed_on", "housed_under_taakstelling", "pip_dagtekening_on",
        "duo_termijn_start_on", "duo_termijn_einddatum_on", "duo_termijn_reported_on",
    )  # fmt: skip
    intakes = {
        row["client_file_id"]: _day(row["first"])
        for row in Intake.objects.filter(client_file_id__in=ids, status="completed", completed_at__isnull=False)
        .values("client_file_id")
        .annotate(first=Min("completed_at"))
    }
    versions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for version in (
        PipVersion.objects.filter(client_file_id__in=ids, status__in=FIXED_PIP)
        .order_by("client_file_id", "number")
        .values("client_file_id", "status", "leerroute", "dagtekening_on", "termijn_end_on", "duaal",
                "kinderopvang", "reiskosten", "lestijden", "begeleiding", "receives_bijstand", "ontzorgen_applies")
    ):  # fmt: skip
        versions[version["client_file_id"]].append(dict(version))
    voldaan_at = {
        row["client_file_id"]: _day(row["first"])
        for row in StatusChange.objects.filter(client_file_id__in=ids, to_status=FileStatus.VOLDAAN)
        .values("client_file_id")
        .annotate(first=Min("changed_at"))
    }
    follow_ups = latest_by_file(ids)
    latest_decision: dict[int, tuple[int, int, str, date]] = {}
    for proposal_id, file_id, sequence, outcome, decided_on in FineDecision.objects.filter(
        proposal__client_file_id__in=ids
    ).values_list("proposal_id", "proposal__client_file_id", "sequence", "outcome", "decided_on"):
        if proposal_id not in latest_decision or latest_decision[proposal_id][1] < sequence:
            latest_decision[proposal_id] = (file_id, sequence, outcome, decided_on)
    fines: dict[int, list[str]] = defaultdict(list)
    for file_id, _, outcome, decided_on in latest_decision.values():
        if outcome == DecisionOutcome.OPGELEGD:
            fines[file_id].append(decided_on.isoformat())

    facts: dict[int, Fact] = {}
    for file_row in files:
        row: dict[str, Any] = dict(file_row)
        pk = row["pk"]
        fixed = versions.get(pk, [])
        current = next((v for v in reversed(fixed) if v["status"] == PipStatus.VASTGESTELD), None)
        pip_on = row["pip_dagtekening_on"] or min((v["dagtekening_on"] for v in fixed if v["dagtekening_on"]),
                                                  default=None)  # fmt: skip
        kennisgeving_on = row["kennisgeving_on"]
        status = row["status"]
        intake_on = intakes.get(pk)
        pip_due_on = None
        pip_outcome, pip_outcome_on = "", None
        if kennisgeving_on is not None:
            pip_due_on = rules.pip_deadline(
                kennisgeving_on=kennisgeving_on, housed_under_taakstelling=row["housed_under_taakstelling"],
                registered_on=row["registered_on"],
            ).pip_due_on  # fmt: skip
            if pip_due_on is not None:
                if pip_on is not None:
                    pip_outcome, pip_outcome_on = (ON_TIME if pip_on <= pip_due_on else LATE), pip_on
                elif status not in NO_PIP_EXPECTED and pip_due_on < today:
                    pip_outcome, pip_outcome_on = LATE, pip_due_on
        termijn_end_on = next((v["termijn_end_on"] for v in fixed if v["termijn_end_on"]), None)
        extension_months, extended_on = 0, None
        first_dagtekening = row["pip_dagtekening_on"]
        if first_dagtekening is not None:
            # W 12: DUO decides on an extension; the newest termijn it reported is stored on the file and read by
            # the rule every page uses (clients.deadlines.termijn_of).
            termijn = rules.file_termijn(
                pip_dagtekening_on=first_dagtekening, duo_startdatum_on=row["duo_termijn_start_on"],
                duo_einddatum_on=row["duo_termijn_einddatum_on"],
            )  # fmt: skip
            if termijn.extension_months:
                extension_months, extended_on = termijn.extension_months, row["duo_termijn_reported_on"]
                termijn_end_on = termijn.termijn_end_on
        voldaan_on = voldaan_at.get(pk) if status == FileStatus.VOLDAAN else None
        voldaan_outcome, voldaan_outcome_on = "", None
        if termijn_end_on is not None:
            if voldaan_on is not None:
                voldaan_outcome = ON_TIME if voldaan_on <= termijn_end_on else LATE
                voldaan_outcome_on = voldaan_on
            elif status in UNDER_PLICHT and termijn_end_on < today:
                voldaan_outcome, voldaan_outcome_on = LATE, termijn_end_on
        housed_on = row["housed_on"]
        follow_up = follow_ups.get(pk)
        facts[pk] = Fact(
            client_file_id=pk,
            gemeente_id=row["gemeente_id"],
            team=row["team_id"] or 0,
            assigned_to_id=row["assigned_to_id"],
            doelgroep=row["doelgroep"] or "",
            status=status,
            kennisgeving_on=kennisgeving_on,
            koppeling_on=row["coa_koppeling_on"],
            vestiging_on=row["registered_on"],
            intake_on=intake_on,
            pip_on=pip_on,
            pip_due_on=pip_due_on,
            pip_outcome=pip_outcome,
            pip_outcome_on=pip_outcome_on,
            leerroute=current["leerroute"] if current else "",
            route_switched=len({v["leerroute"] for v in fixed}) > 1,
            # Vroege start: the brede intake was done while the person still lived in the AZC (COA koppeling,
            # not yet housed in the gemeente on the day of the intake).
            vroege_start=bool(row["coa_koppeling_on"] and intake_on and (housed_on is None or intake_on < housed_on)),
            duaal=bool(current and current["duaal"].strip()),
            kinderopvang=bool(current and current["kinderopvang"].strip()),
            reiskosten=bool(current and current["reiskosten"].strip()),
            lestijden=bool(current and current["lestijden"].strip()),
            begeleiding=bool(current and current["begeleiding"].strip()),
            bijstand=bool(current and current["receives_bijstand"]),
            ontzorgen=bool(current and current["ontzorgen_applies"]),
            termijn_end_on=termijn_end_on,
            voldaan_on=voldaan_on,
            voldaan_outcome=voldaan_outcome,
            voldaan_outcome_on=voldaan_outcome_on,
            situation=follow_up.situation if follow_up is not None else "",
            fines_on=tuple(sorted(fines.get(pk, []))),
            extension_months=extension_months,
            extended_on=extended_on,
        )
    return facts


def _stored(row: FileFact) -> Fact:
    values = {name: getattr(row, name) for name in FACT_FIELDS}
    values["fines_on"] = tuple(row.fines_on or ())
    return Fact(client_file_id=row.pk, **values)


# The table name is a constant of this module (FactCell's db_table), not input: no injection.
UPSERT_CELL = (
    "INSERT INTO monitoring_factcell (gemeente_id, month, doelgroep, team, metric, value) "
    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (gemeente_id, month, doelgroep, team, metric) "
    "DO UPDATE SET value = monitoring_factcell.value + excluded.value"
)


def _add_to_cells(delta: Counter[Key], gemeente_ids: dict[Key, int]) -> None:
    """Adds every non-zero difference to its cell, creating the cell when needed (one upsert per batch)."""
    rows = [(gemeente_ids[key], key[0], key[1], key[2], key[3], value) for key, value in delta.items() if value]
    if not rows:
        return
    sql = UPSERT_CELL
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@transaction.atomic
def refresh_files(file_ids: Iterable[int], *, today: date) -> int:
    """Brings the facts of these files up to date and adds the difference to the cells; returns how many facts
    changed. Idempotent: a second call changes nothing. The file rows are locked (in id order) so two refreshes
    of one file cannot both add their difference."""
    ids = sorted(set(file_ids))
    changed = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        list(ClientFile.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values_list("pk"))
        old = {row.pk: row for row in FileFact.objects.filter(client_file_id__in=chunk)}
        new = compute_facts(chunk, today=today)
        delta: Counter[Key] = Counter()
        gemeente_of: dict[Key, int] = {}
        creates: list[FileFact] = []
        updates: list[FileFact] = []
        for pk in chunk:
            before = _stored(old[pk]) if pk in old else None
            after = new.get(pk)
            if before == after:
                continue
            changed += 1
            if before is not None:
                for key, value in contributions(before).items():
                    delta[key] -= value
                    gemeente_of[key] = before.gemeente_id
            if after is not None:
                for key, value in contributions(after).items():
                    delta[key] += value
                    gemeente_of[key] = after.gemeente_id
                values = {name: getattr(after, name) for name in FACT_FIELDS}
                values["fines_on"] = list(after.fines_on)
                row = FileFact(client_file_id=pk, computed_on=today, **values)
                (updates if pk in old else creates).append(row)
        FileFact.objects.bulk_create(creates)
        if updates:
            FileFact.objects.bulk_update(updates, [*FACT_FIELDS, "computed_on"])
        _add_to_cells(delta, gemeente_of)
    return changed


def refresh_gemeente(gemeente_id: int, *, today: date, progress: Callable[[int, int], None] | None = None) -> int:
    """Refreshes every file of the gemeente in batches (one transaction each); returns how many facts changed."""
    ids = list(ClientFile.objects.filter(gemeente_id=gemeente_id).order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), BATCH):
        changed += refresh_files(ids[start : start + BATCH], today=today)
        if progress is not None:
            progress(min(start + BATCH, len(ids)), len(ids))
    return changed


@transaction.atomic
def rebuild_gemeente(gemeente_id: int) -> int:
    """Sums the cells of a gemeente again from its stored facts (locked meanwhile); returns the number of cells."""
    facts = [_stored(row) for row in FileFact.objects.select_for_update().filter(gemeente_id=gemeente_id)]
    total: Counter[Key] = Counter()
    for fact in facts:
        total.update(contributions(fact))
    FactCell.objects.filter(gemeente_id=gemeente_id).delete()
    FactCell.objects.bulk_create(
        FactCell(gemeente_id=gemeente_id, month=k[0], doelgroep=k[1], team=k[2], metric=k[3], value=v)
        for k, v in total.items()
        if v
    )
    return sum(1 for v in total.values() if v)
