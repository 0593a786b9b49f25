"""THE mapping from Open Inburgering's data to the CBS file (#16 item 5): element names, codes, and what counts as
missing. Nothing else in the code knows a CBS code or element name.

The schema is OUR OWN (``oi-swi-gemeente-0.1.xsd`` beside this module), pending CBS's: the official schema of the
"Statistiek Wet inburgering, richtlijnen" for gemeenten was not available to us. It follows the categories the
issue lists (brede intake date, PIP dagtekening, leerroute and level, ontzorgen, participation component, PVT/MAP,
voldaan, and their changes in the quarter). To switch to CBS's schema: replace the XSD file, ``NAMESPACE`` and the
code tables and :func:`record` below; the sources, the job, the validation, the pages and the API stay.

A record is a tree of ``(element name, text or children)`` pairs in schema order; ``document.build`` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Union

from openinburgering.clients.choices import Doelgroep, FileStatus
from openinburgering.core.bsn import is_valid_bsn
from openinburgering.intakes.choices import Leerroute

from .sources import Source

SCHEMA_VERSION = "0.1"
SCHEMA_FILE = Path(__file__).with_name("oi-swi-gemeente-0.1.xsd")
NAMESPACE = "urn:open-inburgering:cbs:swi-gemeente:0.1"
ROOT = "swiLevering"
SOURCE_SYSTEM = "Open Inburgering"

Node = tuple[str, Union[str, list["Node"]]]  # noqa: UP007 -- a recursive alias needs the string form in Union

DOELGROEP: dict[str, str] = {Doelgroep.ASIELSTATUSHOUDER: "1", Doelgroep.GEZINSMIGRANT: "2", Doelgroep.OVERIG: "3"}
STATUS: dict[str, str] = {
    FileStatus.AANGEMELD: "01",
    FileStatus.INTAKE: "02",
    FileStatus.PIP: "03",
    FileStatus.IN_TRAJECT: "04",
    FileStatus.VOLDAAN: "05",
    FileStatus.VRIJGESTELD_ONTHEVEN: "06",
    FileStatus.VERHUISD: "07",
    FileStatus.BEEINDIGD: "08",
}
LEERROUTE: dict[str, str] = {Leerroute.B1: "B1", Leerroute.ONDERWIJS: "OR", Leerroute.Z: "ZR"}
# PipLevel "" is the standard level of the route: B1 for the B1-route and the onderwijsroute, none for the Z-route.
STANDARD_LEVEL: dict[str, str] = {Leerroute.B1: "B1", Leerroute.ONDERWIJS: "B1", Leerroute.Z: "NVT"}
YES_NO = {True: "J", False: "N"}
# Routes whose PIP must hold the MAP (W 8 lid 3: not in the onderwijsroute).
MAP_ROUTES = (Leerroute.B1, Leerroute.Z)
# Statuses in which a completed brede intake and a vastgesteld PIP are expected.
AFTER_INTAKE = (FileStatus.PIP, FileStatus.IN_TRAJECT, FileStatus.VOLDAAN)
AFTER_PIP = (FileStatus.IN_TRAJECT, FileStatus.VOLDAAN)


def period_label(year: int, quarter: int) -> str:
    """``2026-K3``: how a quarter is written in the file (``verslagperiode`` of a correction)."""
    return f"{year}-K{quarter}"


# ---------------------------------------------------------------------------------------------------------------
# What is missing. A blocking item keeps the record out of the file (the file cannot carry it: CBS links on the
# BSN, and the doelgroep is required); the others are delivered with the record and marked in <onvolledig>.


@dataclass(frozen=True)
class Missing:
    code: str  # the <ontbreekt> code; "" for blocking items (they never reach the file)
    label: str  # Dutch, for the worklist
    fix: str  # where it is fixed: "persoon", "gegevens", "intake" or "pip" (monitoring.cbs.worklist links it)
    blocking: bool = False


NO_BSN = Missing("", "BSN ontbreekt of klopt niet", "persoon", blocking=True)
NO_DOELGROEP = Missing("", "Doelgroep ontbreekt", "gegevens", blocking=True)
NO_INTAKE = Missing("BREDE_INTAKE", "Datum brede intake ontbreekt (geen afgeronde brede intake)", "intake")
NO_PIP = Missing("PIP", "Vastgesteld PIP ontbreekt (dagtekening, leerroute)", "pip")
NO_ONTZORGEN_START = Missing("ONTZORGEN_START", "Startdatum ontzorgen ontbreekt in het PIP", "pip")
NO_PVT = Missing("PVT_IN_PIP", "Het PIP zegt niets over het PVT", "pip")
NO_MAP = Missing("MAP_IN_PIP", "Het PIP zegt niets over de MAP", "pip")


def missing(source: Source) -> tuple[Missing, ...]:
    """What the file lacks for this client at the end of the quarter, in the order a klantregisseur fixes it."""
    out: list[Missing] = []
    if not is_valid_bsn(source.bsn):
        out.append(NO_BSN)
    if source.doelgroep not in DOELGROEP:
        out.append(NO_DOELGROEP)
    if source.intake_on is None and (source.status in AFTER_INTAKE or source.pip is not None):
        out.append(NO_INTAKE)
    pip = source.pip
    if pip is None:
        if source.status in AFTER_PIP:
            out.append(NO_PIP)
        return tuple(out)
    if pip.ontzorgen_applies and pip.ontzorgen_start_on is None:
        out.append(NO_ONTZORGEN_START)
    if not pip.has_pvt:
        out.append(NO_PVT)
    if pip.leerroute in MAP_ROUTES and not pip.has_map:
        out.append(NO_MAP)
    return tuple(out)


def is_deliverable(gaps: tuple[Missing, ...]) -> bool:
    return not any(gap.blocking for gap in gaps)


# ---------------------------------------------------------------------------------------------------------------
# The record and the header


def _in(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def changed_in_quarter(source: Source, *, start: date, end: date) -> list[str]:
    """The kenmerken whose value changed within the quarter (the <wijzigingen> of the record)."""
    pip = source.pip
    checks = [
        ("STATUS", _in(source.status_changed_on, start, end)),
        ("BREDE_INTAKE", _in(source.intake_on, start, end)),
        ("PIP", pip is not None and _in(pip.dagtekening_on, start, end)),
        ("LEERROUTE", pip is not None and bool(pip.previous_leerroute) and pip.previous_leerroute != pip.leerroute
         and _in(pip.dagtekening_on, start, end)),
        ("ONTZORGEN", pip is not None and (_in(pip.ontzorgen_start_on, start, end)
                                           or _in(pip.ontzorgen_end_on, start, end))),
        ("PARTICIPATIE", _in(source.participation_on, start, end)),
        ("PVT", _in(source.pvt_signed_on, start, end)),
        ("MAP", _in(source.map_done_on, start, end)),
        ("VOLDAAN", _in(source.voldaan_on, start, end)),
    ]  # fmt: skip
    return [code for code, changed in checks if changed]


def record(source: Source, *, start: date, end: date) -> list[Node]:
    """The children of one <inburgeraar> (state at ``end``), in schema order. Only for a deliverable source."""
    nodes: list[Node] = [
        ("bsn", source.bsn),
        ("doelgroep", DOELGROEP[source.doelgroep]),
        ("statusEindePeriode", STATUS[source.status]),
        ("datumKennisgeving", source.kennisgeving_on.isoformat()),
    ]
    if source.intake_on is not None:
        nodes.append(("bredeIntake", [("datumAfgerond", source.intake_on.isoformat())]))
    pip = source.pip
    if pip is not None:
        first = source.first_pip_on or pip.dagtekening_on
        pip_nodes: list[Node] = [
            ("dagtekeningEerstePip", first.isoformat()),
            ("dagtekening", pip.dagtekening_on.isoformat()),
            ("versie", str(pip.number)),
            ("leerroute", LEERROUTE[pip.leerroute]),
            ("taalniveau", pip.level or STANDARD_LEVEL[pip.leerroute]),
        ]
        if pip.previous_leerroute and pip.previous_leerroute != pip.leerroute:
            pip_nodes.append(("vorigeLeerroute", LEERROUTE[pip.previous_leerroute]))
        nodes.append(("pip", pip_nodes))
        ontzorgen: list[Node] = [("indicatie", YES_NO[pip.ontzorgen_applies])]
        if pip.ontzorgen_applies and pip.ontzorgen_start_on is not None:
            ontzorgen.append(("datumStart", pip.ontzorgen_start_on.isoformat()))
        if pip.ontzorgen_applies and pip.ontzorgen_end_on is not None and pip.ontzorgen_end_on <= end:
            ontzorgen.append(("datumEinde", pip.ontzorgen_end_on.isoformat()))
        nodes.append(("ontzorgen", ontzorgen))
        participation: list[Node] = [("pvtInPip", YES_NO[pip.has_pvt]), ("mapInPip", YES_NO[pip.has_map])]
        for name, day in (
            ("datumStartParticipatie", source.participation_on),
            ("datumPvtOndertekend", source.pvt_signed_on),
            ("datumMapAfgerond", source.map_done_on),
        ):
            if day is not None:
                participation.append((name, day.isoformat()))
        nodes.append(("participatiecomponent", participation))
    if source.voldaan_on is not None:
        nodes.append(("voldaan", [("datum", source.voldaan_on.isoformat())]))
    changed = changed_in_quarter(source, start=start, end=end)
    if changed:
        nodes.append(("wijzigingen", [("kenmerk", code) for code in changed]))
    gaps = [gap.code for gap in missing(source) if gap.code]
    if gaps:
        nodes.append(("onvolledig", [("ontbreekt", code) for code in gaps]))
    return nodes


@dataclass(frozen=True)
class Header:
    gemeente_code: str
    year: int
    quarter: int
    start: date
    end: date
    deliver_by: date
    version: int
    replaces_version: int | None
    created_at: datetime
    records: int
    corrections: int
    incomplete: int


def header(value: Header) -> list[Node]:
    nodes: list[Node] = [
        ("gemeentecode", value.gemeente_code),
        ("verslagjaar", str(value.year)),
        ("kwartaal", str(value.quarter)),
        ("periodeVan", value.start.isoformat()),
        ("periodeTot", value.end.isoformat()),
        ("uiterlijkeLeverdatum", value.deliver_by.isoformat()),
        ("volgnummer", str(value.version)),
        ("soortLevering", "regulier" if value.replaces_version is None else "vervangend"),
    ]
    if value.replaces_version is not None:
        nodes.append(("vervangtVolgnummer", str(value.replaces_version)))
    nodes += [
        ("aangemaaktOp", value.created_at.isoformat(timespec="seconds")),
        ("aantalInburgeraars", str(value.records)),
        ("aantalCorrecties", str(value.corrections)),
        ("aantalOnvolledig", str(value.incomplete)),
        ("bronsysteem", SOURCE_SYSTEM),
    ]
    return nodes
