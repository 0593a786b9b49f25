"""The regional comparison (#16 item 3): the figures per gemeente of the arbeidsmarktregio side by side and summed,
aggregates only, with small-cell suppression.

The table. Columns: every active gemeente of the region, then the region's total. Rows come in blocks: a block
is a population (the parent row) and one or more partitions of it (child rows that add up to the parent
exactly). So the table's only exact relations are published with it: in every row the gemeenten add up to the
total, and in every column each partition adds up to its parent. The period is one calendar year, and there are
no doelgroep or team filters here (the doelgroep is not a filter of the regional view): two selections that
overlap could otherwise be subtracted from each other to reveal a small number. Different years do not overlap.

Suppression (``suppress``):

1. primary: every cell under 5 (0 included) is shown as "< 5";
2. complementary: a published cell is also withheld (shown as "x") while some withheld cell could be worked out
   from what is shown: per relation (row or partition), with the bounds a reader knows (a "< 5" cell is 0..4, an
   "x" cell is at least 5), a withheld cell whose possible values narrow to one number; and over all relations
   together, a withheld cell that the published numbers determine by linear algebra (Gaussian elimination over
   the rationals). The cell withheld next is the smallest published one in the relation, gemeenten before the
   total and children before the parent. Repeated until nothing can be worked out.

Shares are not given per cell (a share of a shown total would reveal the part); a reader computes them from the
shown numbers. ``tests/monitoring/test_region.py`` attacks every output with an independent solver.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from openinburgering.accounts.models import Gemeente

from .facts import NORM_WEEKS, WEEK_BUCKETS
from .figures import Filters, Sums

THRESHOLD = 5
SMALL = "< 5"
WITHHELD = "x"

_WITHIN = [f"intake_weeks:{label}" for label, _, last in WEEK_BUCKETS if last is not None and last <= NORM_WEEKS]
_OVER = [f"intake_weeks:{label}" for label, _, last in WEEK_BUCKETS if last is None or last > NORM_WEEKS]


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: str
    metrics: tuple[str, ...]  # the value is the sum of these metrics


@dataclass(frozen=True)
class Block:
    parent: RowSpec
    partitions: tuple[tuple[RowSpec, ...], ...] = ()
    definition: str = ""


def _r(key: str, label: str, *metrics: str) -> RowSpec:
    return RowSpec(key, label, metrics or (key,))


ROUTE_METRICS = ("route:b1", "route:onderwijs", "route:z")
BLOCKS: tuple[Block, ...] = (
    Block(_r("inflow_kennisgeving", "Kennisgeving DUO"), (),
          "Dossiers met een kennisgeving van DUO in het jaar."),
    Block(_r("inflow_koppeling", "Koppeling COA"), (), "Dossiers met een koppeling door het COA in het jaar."),
    Block(_r("inflow_vestiging", "Vestiging in de gemeente"), (),
          "Dossiers met een inschrijving in de BRP van de gemeente in het jaar."),
    Block(_r("intake_timed", "Brede intake afgerond"),
          ((_r("intake_within", f"binnen {NORM_WEEKS} weken na de kennisgeving", *_WITHIN),
            _r("intake_over", f"later dan {NORM_WEEKS} weken", *_OVER)),),
          "Dossiers waarvan de brede intake in het jaar is afgerond (met een kennisgeving), naar de tijd sinds de "
          "kennisgeving."),
    Block(_r("pip_routes", "PIP vastgesteld", *ROUTE_METRICS),
          ((_r("route_b1", "B1-route", "route:b1"), _r("route_onderwijs", "onderwijsroute", "route:onderwijs"),
            _r("route_z", "Z-route", "route:z")),
           (_r("duaal", "met een duaal traject"), _r("not_duaal", "zonder duaal traject", "-duaal"))),
          "Dossiers waarvan het eerste PIP in het jaar is vastgesteld, naar leerroute en naar duaal traject."),
    Block(_r("pip_counted", "PIP-termijn uitkomst bekend"),
          ((_r("pip_on_time", "PIP op tijd"), _r("pip_late", "PIP te laat", "-pip_on_time")),),
          "Dossiers met een PIP of waarvan de uiterste datum (uit de regels) verstreek, in het jaar."),
    Block(_r("voldaan_counted", "Inburgeringstermijn uitkomst bekend"),
          ((_r("voldaan_on_time", "voldaan binnen de termijn"),
            _r("voldaan_late", "niet binnen de termijn", "-voldaan_on_time")),),
          "Dossiers die in het jaar voldaan werden of waarvan de termijn verstreek zonder voldaan."),
    Block(_r("voldaan", "Voldaan"),
          ((_r("outcome_werk", "daarna aan het werk", "outcome:werk"),
            _r("outcome_opleiding", "daarna in opleiding", "outcome:opleiding"),
            _r("outcome_participatie", "daarna participatie", "outcome:participatie"),
            _r("outcome_other", "anders of nog onbekend", "outcome:zoekt", "outcome:geen", "outcome:onbekend")),),
          "Dossiers die in het jaar voldaan werden, naar de situatie uit het nieuwste vervolgcontact."),
    Block(_r("vroege_start_base", "Asielstatushouders met koppeling en brede intake"),
          ((_r("vroege_start", "met vroege start"),
            _r("no_vroege_start", "zonder vroege start", "-vroege_start")),),
          "Brede intake in het jaar afgerond; vroege start = klaar voordat de persoon in de gemeente woonde."),
)  # fmt: skip


def _value(s: Sums, spec: RowSpec, parent: RowSpec, gemeente_id: int | None) -> int:
    """A row's value; a metric "-m" is the parent's value minus m (the complement in a two-way partition)."""

    def get(metric: str) -> int:
        if gemeente_id is None:
            return s.get(metric)
        return s.group(str(gemeente_id), metric)

    total = 0
    for metric in spec.metrics:
        if metric.startswith("-"):
            total += _value(s, parent, parent, gemeente_id) - get(metric[1:])
        else:
            total += get(metric)
    return total


@dataclass
class Cell:
    value: int
    shown: str  # the number, SMALL or WITHHELD

    @property
    def withheld(self) -> bool:
        return self.shown in (SMALL, WITHHELD)


@dataclass
class Row:
    key: str
    label: str
    level: int  # 0 parent, 1 child
    cells: list[Cell]


@dataclass
class RegionTable:
    year: int
    region: str
    gemeenten: list[str]
    rows: list[Row]
    relations: list[list[tuple[int, int, int]]] = field(default_factory=list)  # (sign, row, column) terms = 0
    definitions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return ["Cijfer", *self.gemeenten, "Regio totaal"]

    def shown_rows(self) -> list[list[str]]:
        return [[row.label, *(cell.shown for cell in row.cells)] for row in self.rows]


def _gemeente_sums(gemeente_ids: Sequence[int], filters: Filters) -> Sums:
    """Per gemeente (the Sums "group" dimension holds the gemeente id here) and metric: 1 query."""
    from django.db.models import Sum

    by_group: dict[tuple[str, str], int] = {}
    for row in filters.cells(gemeente_ids).values("gemeente_id", "metric").annotate(v=Sum("value")).order_by():
        by_group[(str(row["gemeente_id"]), row["metric"])] = int(row["v"] or 0)
    return Sums({}, by_group)


def region_gemeenten(region_id: int) -> list[Gemeente]:
    return list(Gemeente.objects.filter(region_id=region_id, is_active=True).order_by("name"))


def region_table(region_id: int, year: int) -> RegionTable:
    """The suppressed regional table for one calendar year (2 queries)."""
    from openinburgering.accounts.models import Region

    region = Region.objects.get(pk=region_id)
    gemeenten = region_gemeenten(region_id)
    filters = Filters(month_from=date(year, 1, 1), month_to=date(year, 12, 1))
    s = _gemeente_sums([g.pk for g in gemeenten], filters)
    rows: list[Row] = []
    relations: list[list[tuple[int, int, int]]] = []
    columns = len(gemeenten) + 1
    definitions: list[tuple[str, str]] = []

    def add_row(spec: RowSpec, parent: RowSpec, level: int) -> int:
        values = [_value(s, spec, parent, g.pk) for g in gemeenten]
        rows.append(Row(spec.key, spec.label, level, [Cell(v, str(v)) for v in [*values, sum(values)]]))
        index = len(rows) - 1
        relations.append([*((1, index, c) for c in range(columns - 1)), (-1, index, columns - 1)])
        return index

    for block in BLOCKS:
        definitions.append((block.parent.label, block.definition))
        parent_index = add_row(block.parent, block.parent, 0)
        for partition in block.partitions:
            children = [add_row(spec, block.parent, 1) for spec in partition]
            for column in range(columns):
                relations.append([*((1, child, column) for child in children), (-1, parent_index, column)])
    table = RegionTable(year, region.name, [g.name for g in gemeenten], rows, relations, definitions)
    suppress(table)
    return table


# ---------------------------------------------------------------------------------------------------------------
# Suppression


def _bounds(cell: Cell) -> tuple[float, float]:
    """What a reader knows of a cell: a "< 5" cell is 0..4, an "x" cell at least 5, a number is itself."""
    if cell.shown == SMALL:
        return 0, THRESHOLD - 1
    if cell.shown == WITHHELD:
        return THRESHOLD, math.inf
    return cell.value, cell.value


def pinned_by_bounds(table: RegionTable) -> set[tuple[int, int]]:
    """Withheld cells whose possible values narrow to one number when the bounds a reader knows are pushed
    through every relation again and again (interval propagation) until nothing changes."""
    hidden = {(r, c) for r, row in enumerate(table.rows) for c, cell in enumerate(row.cells) if cell.withheld}
    low: dict[tuple[int, int], float] = {}
    high: dict[tuple[int, int], float] = {}
    for r, c in hidden:
        low[(r, c)], high[(r, c)] = _bounds(table.rows[r].cells[c])
    for _ in range(1000):
        changed = False
        for relation in table.relations:
            known = sum(sign * table.rows[r].cells[c].value for sign, r, c in relation if (r, c) not in hidden)
            terms = [(sign, (r, c)) for sign, r, c in relation if (r, c) in hidden]
            for sign, key in terms:
                rest_low = sum(s * (low[k] if s > 0 else high[k]) for s, k in terms if k != key)
                rest_high = sum(s * (high[k] if s > 0 else low[k]) for s, k in terms if k != key)
                lo, hi = -known - rest_high, -known - rest_low
                if sign < 0:
                    lo, hi = -hi, -lo
                if lo > low[key]:
                    low[key], changed = lo, True
                if hi < high[key]:
                    high[key], changed = hi, True
        if not changed:
            break
    return {key for key in hidden if low[key] == high[key]}


Sparse = dict[int, Fraction]


def _reduce(vector: Sparse, basis: dict[int, Sparse]) -> Sparse:
    """The vector minus its components along a reduced row echelon basis (pivot -> row with 1 at the pivot and
    0 at every other pivot), so one pass suffices."""
    result = dict(vector)
    for pivot in [key for key in vector if key in basis]:
        factor = result.get(pivot, Fraction(0))
        if factor:
            for key, value in basis[pivot].items():
                result[key] = result.get(key, Fraction(0)) - factor * value
    return {key: value for key, value in result.items() if value}


def determined_cells(table: RegionTable) -> set[tuple[int, int]]:
    """Withheld cells that the published numbers determine exactly through the relations: the cell's unit vector
    lies in the row space of the relations restricted to the withheld cells (exact sparse Gauss-Jordan over the
    rationals)."""
    hidden = [(r, c) for r, row in enumerate(table.rows) for c, cell in enumerate(row.cells) if cell.withheld]
    index = {key: i for i, key in enumerate(hidden)}
    basis: dict[int, Sparse] = {}
    for relation in table.relations:
        vector: Sparse = {}
        for sign, r, c in relation:
            if (r, c) in index:
                i = index[(r, c)]
                vector[i] = vector.get(i, Fraction(0)) + sign
        vector = _reduce({k: v for k, v in vector.items() if v}, basis)
        if not vector:
            continue
        pivot = min(vector)
        lead = vector[pivot]
        vector = {key: value / lead for key, value in vector.items()}
        for other in basis.values():
            factor = other.get(pivot)
            if factor:
                for key, value in vector.items():
                    other[key] = other.get(key, Fraction(0)) - factor * value
                for key in [k for k, v in other.items() if not v]:
                    del other[key]
        basis[pivot] = vector
    return {key for key, i in index.items() if not _reduce({i: Fraction(1)}, basis)}


def _next_to_withhold(table: RegionTable, relation: list[tuple[int, int, int]]) -> tuple[int, int] | None:
    """The smallest published cell of the relation; gemeenten before the total, children before the parent."""
    total_column = len(table.gemeenten)
    candidates = [
        (table.rows[r].cells[c].value, c == total_column, table.rows[r].level == 0, r, c)
        for _, r, c in relation
        if not table.rows[r].cells[c].withheld
    ]
    if not candidates:
        return None
    _, _, _, r, c = min(candidates, key=lambda item: (item[1], item[2], item[0], item[3], item[4]))
    return r, c


def suppress(table: RegionTable) -> None:
    for row in table.rows:
        for cell in row.cells:
            if cell.value < THRESHOLD:
                cell.shown = SMALL
    for _ in range(10_000):
        exposed = sorted(pinned_by_bounds(table) | determined_cells(table))
        if not exposed:
            return
        r, c = exposed[0]
        candidate = None
        for relation in table.relations:
            if any((r2, c2) == (r, c) for _, r2, c2 in relation):
                candidate = _next_to_withhold(table, relation)
                if candidate is not None:
                    break
        if candidate is None:  # every relation of the cell is withheld already: withhold the smallest other cell
            candidate = min(
                ((table.rows[r2].cells[c2].value, r2, c2) for r2, row in enumerate(table.rows)
                 for c2, cell in enumerate(row.cells) if not cell.withheld),
                default=(0, -1, -1),
            )[1:]  # fmt: skip
            if candidate == (-1, -1):
                return
        table.rows[candidate[0]].cells[candidate[1]].shown = WITHHELD
    raise AssertionError("suppression did not settle")  # pragma: no cover


def as_api(table: RegionTable) -> dict[str, Any]:
    return {
        "year": table.year,
        "region": table.region,
        "columns": table.columns,
        "rows": [
            {"key": row.key, "label": row.label, "level": row.level, "values": [cell.shown for cell in row.cells]}
            for row in table.rows
        ],
        "definitions": [{"figure": label, "definition": text} for label, text in table.definitions],
    }
