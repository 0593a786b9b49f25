"""The figures of the council report "Stand van zaken inburgering" (#16 item 6): a snapshot of the gemeente's
figures for a period, taken from the aggregate layer (``figures.sums``), with small cells suppressed by the same
rule as the region page (``region.suppress``: every cell under 5 shown as "< 5", and a published cell withheld as
"x" while a withheld cell could be worked out from the relations the table states).

A snapshot is plain JSON and holds only what is published: the shown strings ("12", "< 5", "x") and, for the
charts, the numbers of the shown cells. It never holds a suppressed value, so the stored report cannot leak one.
The PDF is rendered from the stored snapshot and the texts staff wrote (``council_services``), so a report can be
made again from what is stored and gives the same PDF. ``SNAPSHOT_VERSION`` names the layout of the snapshot;
a change of layout gets a new number, and old reports keep theirs.

Each theme is a list of tables. A table is rows x columns of counts with its exact relations:

- *block* tables (one column, "Aantal"): a population and partitions of it that add up exactly (e.g. "PIP
  vastgesteld" = "met een duaal traject" + "zonder duaal traject");
- *two-way* tables (inflow per part of the period, leerroute per doelgroep): parts and a total row, and (routes)
  a total column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .facts import NORM_WEEKS, WEEK_BUCKETS
from .figures import (
    DOELGROEPEN,
    OUTCOMES,
    ROUTES,
    Filters,
    Sums,
    add_months,
    average_days,
    month_label,
    percent,
    sums,
)
from .region import SMALL, THRESHOLD, WITHHELD, Cell, RegionTable, Row, suppress

SNAPSHOT_VERSION = 1
TEXT_MAX_LENGTH = 2000

_INTAKE_WITHIN = tuple(
    f"intake_weeks:{label}" for label, _, last in WEEK_BUCKETS if last is not None and last <= NORM_WEEKS
)
_INTAKE_OVER = tuple(f"intake_weeks:{label}" for label, _, last in WEEK_BUCKETS if last is None or last > NORM_WEEKS)
_PIP_WITHIN = tuple(f"pip_weeks:{label}" for label, _, last in WEEK_BUCKETS if last is not None and last <= NORM_WEEKS)
_PIP_OVER = tuple(f"pip_weeks:{label}" for label, _, last in WEEK_BUCKETS if last is None or last > NORM_WEEKS)


@dataclass(frozen=True)
class Part:
    """A row of a block table: its label and its value from the sums (a metric "-m" is the parent minus m)."""

    label: str
    metrics: tuple[str, ...]


@dataclass(frozen=True)
class BlockSpec:
    parent: Part
    partitions: tuple[tuple[Part, ...], ...]


def _p(label: str, *metrics: str) -> Part:
    return Part(label, metrics)


# ---------------------------------------------------------------------------------------------------------------
# Building one suppressed table


def _suppressed(columns: list[str], total_column: int | None, rows: list[tuple[str, int, list[int]]],
                relations: list[list[tuple[int, int, int]]]) -> RegionTable:  # fmt: skip
    """Runs the region page's suppression over any table: ``rows`` are (label, level, values); ``total_column``
    is the index of a total column (withheld last), or None."""
    data_columns = columns if total_column is None else columns[:total_column]
    table = RegionTable(0, "", list(data_columns), [
        Row(key=str(index), label=label, level=level, cells=[Cell(v, str(v)) for v in values])
        for index, (label, level, values) in enumerate(rows)
    ], relations)  # fmt: skip
    suppress(table)
    return table


def _table_json(key: str, title: str, definition: str, header: list[str], table: RegionTable,
                *, chart: dict[str, Any] | None = None, notes: Sequence[str] = ()) -> dict[str, Any]:  # fmt: skip
    return {
        "key": key,
        "title": title,
        "definition": definition,
        "columns": header,
        "rows": [{"label": row.label, "level": row.level, "values": [c.shown for c in row.cells]}
                 for row in table.rows],
        # The chart gets the numbers of the shown cells only; a withheld cell is None (drawn without a bar).
        "chart": None if chart is None else {**chart, "groups": _chart_groups(table, chart.get("level", 1))},
        "notes": list(notes),
    }  # fmt: skip


def _chart_groups(table: RegionTable, level: int) -> list[list[Any]]:
    """The chart's bars: the rows of one level, a part named with its population ("PIP vastgesteld: binnen 10
    weken"), and only the numbers of shown cells (a withheld cell is None: drawn without a bar)."""
    groups, parent = [], ""
    for row in table.rows:
        if row.level == 0:
            parent = row.label
        if row.level == level:
            label = f"{parent}: {row.label}" if level == 1 and parent and parent != "Totaal" else row.label
            groups.append([label, [None if c.withheld else c.value for c in row.cells]])
    return groups


def _block_table(s: Sums, key: str, title: str, definition: str, blocks: Sequence[BlockSpec], *,
                 chart: bool = True) -> dict[str, Any]:  # fmt: skip
    """One column of counts: every block's population and its partitions, suppressed together, with a share of
    the population only where the part and the rest of its partition are both published."""
    rows: list[tuple[str, int, list[int]]] = []
    relations: list[list[tuple[int, int, int]]] = []
    parent_of: dict[int, int] = {}
    partition_of: dict[int, int] = {}
    for block in blocks:
        parent_value = _metric_sum(s, block.parent.metrics, 0)
        rows.append((block.parent.label, 0, [parent_value]))
        parent_index = len(rows) - 1
        for partition in block.partitions:
            children = []
            for part in partition:
                rows.append((part.label, 1, [_metric_sum(s, part.metrics, parent_value)]))
                children.append(len(rows) - 1)
                parent_of[len(rows) - 1] = parent_index
                partition_of[len(rows) - 1] = len(relations)
            relations.append([*((1, child, 0) for child in children), (-1, parent_index, 0)])
    table = _suppressed(["Aantal"], None, rows, relations)
    spec = {"series": ["count"], "level": 1} if chart and any(level == 1 for _, level, _ in rows) else None
    result = _table_json(key, title, definition, ["Cijfer", "Aantal", "Deel van de groep erboven"], table, chart=spec)
    for index, row in enumerate(result["rows"]):
        share = ""
        if index in parent_of:
            parent = table.rows[parent_of[index]].cells[0]
            siblings = [r for r, p in partition_of.items() if p == partition_of[index]]
            cell = table.rows[index].cells[0]
            if parent.value and not parent.withheld and not any(table.rows[r].cells[0].withheld for r in siblings):
                share = f"{_percent(cell.value, parent.value)}%"
        row["values"].append(share)
    return result


def _metric_sum(s: Sums, metrics: Sequence[str], parent_value: int) -> int:
    return sum(parent_value - s.get(m[1:]) if m.startswith("-") else s.get(m) for m in metrics)


def _percent(part: int, whole: int) -> int:
    value = percent(part, whole)
    assert value is not None  # whole is not 0
    return value


def _parts_of_period(filters: Filters) -> list[tuple[date, date]]:
    """The period in parts of three months from its first month (the last part may be shorter)."""
    parts, start = [], filters.month_from
    while start <= filters.month_to:
        end = min(add_months(start, 2), filters.month_to)
        parts.append((start, end))
        start = add_months(end, 1)
    return parts


def _part_label(start: date, end: date) -> str:
    return month_label(start) if start == end else f"{month_label(start)} - {month_label(end)}"


def _inflow(s: Sums, filters: Filters) -> dict[str, Any]:
    metrics = ("inflow_kennisgeving", "inflow_koppeling", "inflow_vestiging")
    parts = _parts_of_period(filters)
    rows: list[tuple[str, int, list[int]]] = []
    for start, end in parts:
        months = [add_months(start, i) for i in range((end.year - start.year) * 12 + end.month - start.month + 1)]
        rows.append((_part_label(start, end), 1, [sum(s.month(m, metric) for m in months) for metric in metrics]))
    rows.append(("Totaal", 0, [s.get(metric) for metric in metrics]))
    total = len(rows) - 1
    relations = [[*((1, r, c) for r in range(total)), (-1, total, c)] for c in range(len(metrics))]
    table = _suppressed(["Kennisgeving DUO", "Koppeling COA", "Vestiging"], None, rows, relations)
    return _table_json(
        "inflow", "Instroom",
        "Aantal dossiers per deel van de periode (drie maanden) met een kennisgeving van DUO, een koppeling door het "
        "COA of een inschrijving in de gemeente (vestiging). Eén dossier kan in alle drie de kolommen staan.",
        ["Periode", "Kennisgeving DUO", "Koppeling COA", "Vestiging"], table,
        chart={"series": ["kennisgeving", "koppeling", "vestiging"], "level": 1},
    )  # fmt: skip


def _routes(s: Sums) -> dict[str, Any]:
    groups = [
        (code, label) for code, label in DOELGROEPEN if code or any(s.group(code, f"route:{r}") for r, _ in ROUTES)
    ]
    rows: list[tuple[str, int, list[int]]] = []
    for code, label in groups:
        values = [s.group(code, f"route:{r}") for r, _ in ROUTES]
        rows.append((label, 1, [*values, sum(values)]))
    totals = [s.get(f"route:{r}") for r, _ in ROUTES]
    rows.append(("Totaal", 0, [*totals, sum(totals)]))
    last_row, last_column = len(rows) - 1, len(ROUTES)
    relations = [[*((1, r, c) for r in range(last_row)), (-1, last_row, c)] for c in range(last_column + 1)]
    relations += [[*((1, r, c) for c in range(last_column)), (-1, r, last_column)] for r in range(last_row + 1)]
    columns = [label for _, label in ROUTES]
    table = _suppressed([*columns, "Totaal"], last_column, rows, relations)
    return _table_json(
        "routes", "Leerroute per doelgroep",
        "Dossiers waarvan het eerste PIP in de periode is vastgesteld, naar de leerroute van het huidige PIP en de "
        "doelgroep.", ["Doelgroep", *columns, "Totaal"], table,
        chart={"series": ["route_b1", "route_onderwijs", "route_z"], "level": 1},
    )  # fmt: skip


def _average_note(s: Sums, label: str, days_metric: str, count_metric: str) -> str:
    count = s.get(count_metric)
    if count < THRESHOLD:
        return f"Gemiddelde tijd tot {label}: niet getoond, want minder dan {THRESHOLD} dossiers."
    average = average_days(s.get(days_metric), count)
    assert average is not None
    return f"Gemiddelde tijd van de kennisgeving tot {label}: {str(average).replace('.', ',')} dagen."


def _on_time(s: Sums) -> dict[str, Any]:
    return _block_table(s, "on_time", "Brede intake en PIP op tijd",
        f"Brede intake: dossiers waarvan de brede intake in de periode is afgerond, naar de tijd sinds de "
        f"kennisgeving. PIP vastgesteld: eerste PIP's met dagtekening in de periode. Uitkomst PIP-termijn: dossiers "
        f"met een PIP of waarvan de uiterste datum voor het PIP in de periode viel (volgens de wet {NORM_WEEKS} weken "
        f"na de kennisgeving, Besluit inburgering 2021 art. 5.3; soms later).", (
        BlockSpec(_p("Brede intake afgerond", "intake_timed"),
                  ((_p(f"binnen {NORM_WEEKS} weken na de kennisgeving", *_INTAKE_WITHIN),
                    _p(f"later dan {NORM_WEEKS} weken", *_INTAKE_OVER)),)),
        BlockSpec(_p("PIP vastgesteld", "pip_timed"),
                  ((_p(f"binnen {NORM_WEEKS} weken na de kennisgeving", *_PIP_WITHIN),
                    _p(f"later dan {NORM_WEEKS} weken", *_PIP_OVER)),)),
        BlockSpec(_p("Uitkomst PIP-termijn bekend", "pip_counted"),
                  ((_p("PIP op tijd", "pip_on_time"), _p("PIP te laat", "-pip_on_time")),)),
    ))  # fmt: skip


def _flags(s: Sums) -> dict[str, Any]:
    flags = (("duaal", "duaal traject (taal samen met werk of participatie)"),
             ("kinderopvang", "kinderopvang geregeld"), ("reiskosten", "reiskosten geregeld"),
             ("lestijden", "lestijden afgestemd"),
             ("begeleiding", "maatschappelijke begeleiding"))  # fmt: skip
    return _block_table(s, "conditions", "Randvoorwaarden, duale trajecten en ontzorgen",
        "Eerste PIP's met dagtekening in de periode, naar wat het PIP regelt. Ontzorgen: eerste PIP's van mensen "
        "met bijstand. Vroege start: asielstatushouders met een COA-koppeling van wie de brede intake in de periode "
        "is afgerond, vóór zij in de gemeente woonden.", (
        BlockSpec(_p("PIP vastgesteld", "pip_set"),
                  tuple((_p(f"met {label}", metric), _p(f"zonder {label.split(' (')[0]}", f"-{metric}"))
                        for metric, label in flags)),
        BlockSpec(_p("PIP vastgesteld bij bijstand", "bijstand"),
                  ((_p("met financieel ontzorgen", "ontzorgen"), _p("zonder ontzorgen", "-ontzorgen")),)),
        BlockSpec(_p("Asielstatushouders met koppeling en brede intake", "vroege_start_base"),
                  ((_p("met vroege start", "vroege_start"), _p("zonder vroege start", "-vroege_start")),)),
    ), chart=False)  # fmt: skip


def _voldaan(s: Sums) -> dict[str, Any]:
    outcomes = tuple(_p(label[:1].lower() + label[1:], f"outcome:{code}") for code, label in OUTCOMES)
    return _block_table(s, "voldaan", "Voldaan en daarna",
        "Voldaan: dossiers die in de periode voldaan werden, naar de situatie uit het nieuwste vervolgcontact. "
        "Termijn: dossiers die in de periode voldaan werden of waarvan de inburgeringstermijn (Wet inburgering 2021 "
        "art. 11) in de periode verstreek zonder voldaan.", (
        BlockSpec(_p("Voldaan, met de situatie daarna", "voldaan"), (outcomes,)),
        BlockSpec(_p("Uitkomst inburgeringstermijn bekend", "voldaan_counted"),
                  ((_p("voldaan binnen de termijn", "voldaan_on_time"),
                    _p("niet binnen de termijn", "-voldaan_on_time")),)),
    ))  # fmt: skip


def _enforcement(s: Sums) -> dict[str, Any]:
    return _block_table(s, "enforcement", "Boetes en verlengingen",
        "Boetes: boetebesluiten (Wet inburgering 2021 art. 23) met de uitkomst 'opgelegd', naar de datum van het "
        "besluit. Verlengingen: dossiers waarvan DUO in de periode een langere inburgeringstermijn meldde (art. 12; "
        "DUO beslist over de verlenging).",
        (BlockSpec(_p("Boetes opgelegd", "fine"), ()),
         BlockSpec(_p("Inburgeringstermijn verlengd door DUO", "extension"), ())))  # fmt: skip


@dataclass(frozen=True)
class Theme:
    key: str
    title: str
    tables: Callable[[Sums, Filters], list[dict[str, Any]]]
    draft: Callable[[list[dict[str, Any]]], str]


def _cell(tables: list[dict[str, Any]], table_key: str, row_label: str, column: int = 0) -> str:
    """A shown value in words for a draft text: "12", "minder dan 5" or "een klein aantal"."""
    table = next(t for t in tables if t["key"] == table_key)
    value = next(row["values"][column] for row in table["rows"] if row["label"] == row_label)
    return {SMALL: "minder dan 5", WITHHELD: "een klein aantal"}.get(value, str(value))


THEMES: tuple[Theme, ...] = (
    Theme("inflow", "Instroom", lambda s, f: [_inflow(s, f)],
          lambda t: f"In deze periode kregen {_cell(t, 'inflow', 'Totaal')} mensen een kennisgeving van DUO. "
                    f"{_cell(t, 'inflow', 'Totaal', 2)} mensen kwamen in onze gemeente wonen."),
    Theme("on_time", "Brede intake en PIP op tijd",
          lambda s, f: [_on_time(s)],
          lambda t: f"{_cell(t, 'on_time', 'PIP op tijd')} mensen kregen hun PIP op tijd. "
                    f"{_cell(t, 'on_time', 'PIP te laat')} mensen kregen hun PIP te laat."),
    Theme("routes", "Leerroutes", lambda s, f: [_routes(s)],
          lambda t: f"In deze periode kregen {_cell(t, 'routes', 'Totaal', 3)} mensen een PIP. Daarin staat hun "
                    "leerroute."),
    Theme("conditions", "Randvoorwaarden, duale trajecten en ontzorgen", lambda s, f: [_flags(s)],
          lambda t: f"{_cell(t, 'conditions', 'met duaal traject (taal samen met werk of participatie)')} mensen "
                    "combineren taal met werk of participatie."),
    Theme("voldaan", "Voldaan en daarna", lambda s, f: [_voldaan(s)],
          lambda t: f"{_cell(t, 'voldaan', 'Voldaan, met de situatie daarna')} mensen hebben hun inburgering "
                    "afgerond."),
    Theme("enforcement", "Boetes en verlengingen", lambda s, f: [_enforcement(s)],
          lambda t: f"De gemeente legde {_cell(t, 'enforcement', 'Boetes opgelegd')} boetes op. DUO verlengde de "
                    f"inburgeringstermijn van {_cell(t, 'enforcement', 'Inburgeringstermijn verlengd door DUO')} "
                    "mensen."),
)  # fmt: skip
THEME_KEYS = tuple(theme.key for theme in THEMES)


def build_snapshot(gemeente_id: int, gemeente_name: str, filters: Filters, *, taken_on: date) -> dict[str, Any]:
    """The suppressed figures of the report (2 queries), as the JSON stored with it."""
    s = sums([gemeente_id], filters)
    themes: list[dict[str, Any]] = []
    for theme in THEMES:
        tables = theme.tables(s, filters)
        draft = theme.draft(tables)
        themes.append(
            {"key": theme.key, "title": theme.title, "tables": tables, "draft": draft[:1].upper() + draft[1:]}
        )
    notes = [
        _average_note(s, "de brede intake", "intake_days", "intake_timed"),
        _average_note(s, "het PIP", "pip_days", "pip_timed"),
    ]
    themes[1]["tables"][0]["notes"] = notes
    return {
        "version": SNAPSHOT_VERSION,
        "gemeente": gemeente_name,
        "van": filters.month_from.strftime("%Y-%m"),
        "tot": filters.month_to.strftime("%Y-%m"),
        "period": f"{month_label(filters.month_from)} tot en met {month_label(filters.month_to)}",
        "taken_on": taken_on.isoformat(),
        "themes": themes,
    }


def published_numbers(snapshot: dict[str, Any]) -> list[int]:
    """Every number the snapshot shows (for tests: none is below the threshold)."""
    numbers = []
    for theme in snapshot["themes"]:
        for table in theme["tables"]:
            for row in table["rows"]:
                numbers += [int(v) for v in row["values"] if isinstance(v, str) and v.isdigit()]
    return numbers
