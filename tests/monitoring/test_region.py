"""Small-cell suppression of the regional comparison (#16 item 3): no output can be combined to reveal a withheld
cell. The attacker here is written independently of ``monitoring.region``: it knows every published number, the
relations the table states (gemeenten add up to the total, partitions add up to their parent) and the bounds a
reader can infer (a "< 5" cell is 0..4, an "x" cell at least 5), and it tries to pin a withheld cell by
(1) exact linear algebra over all relations together and (2) bound propagation through the relations until
nothing changes. It runs on many random tables and on the database-backed table."""

from __future__ import annotations

import math
import random
from datetime import date
from fractions import Fraction

import pytest

from openinburgering.accounts.models import Gemeente
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.monitoring import region
from openinburgering.monitoring.models import FactCell
from openinburgering.monitoring.region import SMALL, WITHHELD, Cell, RegionTable, Row


def _reduced(rows: list[list[Fraction]]) -> list[list[Fraction]]:
    """The non-zero rows of the reduced row echelon form."""
    matrix = [row[:] for row in rows]
    rank, columns = 0, len(matrix[0]) if matrix else 0
    for column in range(columns):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][column]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][column]
        matrix[rank] = [value / lead for value in matrix[rank]]
        for i in range(len(matrix)):
            if i != rank and matrix[i][column]:
                f = matrix[i][column]
                matrix[i] = [a - f * b for a, b in zip(matrix[i], matrix[rank], strict=True)]
        rank += 1
    return matrix[:rank]


def attack(table: RegionTable) -> list[tuple[int, int]]:
    """Every withheld cell an attacker can pin to one value from the published output."""
    hidden = [(r, c) for r, row in enumerate(table.rows) for c, cell in enumerate(row.cells)
              if cell.shown in (SMALL, WITHHELD)]  # fmt: skip
    position = {key: i for i, key in enumerate(hidden)}
    equations = []
    for relation in table.relations:
        vector = [Fraction(0)] * len(hidden)
        for sign, r, c in relation:
            if (r, c) in position:
                vector[position[(r, c)]] += sign
        equations.append(vector)
    revealed: set[tuple[int, int]] = set()
    # Gauss-Jordan once; a cell is pinned when its unit vector is a combination of the relations.
    reduced = _reduced(equations)
    for key, i in position.items():
        vector = [Fraction(int(j == i)) for j in range(len(hidden))]
        for row in reduced:
            pivot = next(k for k, value in enumerate(row) if value)
            if vector[pivot]:
                factor = vector[pivot]
                vector = [a - factor * b for a, b in zip(vector, row, strict=True)]
        if not any(vector):
            revealed.add(key)
    # Bound propagation (interval constraint propagation), starting from what the labels say.
    low = {key: 0.0 if table.rows[key[0]].cells[key[1]].shown == SMALL else 5.0 for key in hidden}
    high = {key: 4.0 if table.rows[key[0]].cells[key[1]].shown == SMALL else math.inf for key in hidden}
    for _ in range(200):
        changed = False
        for relation in table.relations:
            known = sum(sign * table.rows[r].cells[c].value for sign, r, c in relation if (r, c) not in position)
            terms = [(sign, (r, c)) for sign, r, c in relation if (r, c) in position]
            for sign, key in terms:
                others = [(s, k) for s, k in terms if k != key]
                rest_low = sum(s * (low[k] if s > 0 else high[k]) for s, k in others)
                rest_high = sum(s * (high[k] if s > 0 else low[k]) for s, k in others)
                lo, hi = -known - rest_high, -known - rest_low
                if sign < 0:
                    lo, hi = -hi, -lo
                if lo > low[key]:
                    low[key], changed = lo, True
                if hi < high[key]:
                    high[key], changed = hi, True
        if not changed:
            break
    revealed |= {key for key in hidden if low[key] == high[key]}
    return sorted(revealed)


def _random_table(rng: random.Random) -> RegionTable:
    """A table shaped like the regional one: 2-4 gemeenten, blocks of a parent with one or two partitions."""
    gemeenten = rng.randint(2, 4)
    rows: list[Row] = []
    relations: list[list[tuple[int, int, int]]] = []

    def add(values: list[int], level: int) -> int:
        rows.append(Row(f"r{len(rows)}", f"r{len(rows)}", level, [Cell(v, str(v)) for v in [*values, sum(values)]]))
        index = len(rows) - 1
        relations.append([*((1, index, c) for c in range(gemeenten)), (-1, index, gemeenten)])
        return index

    for _ in range(rng.randint(1, 4)):
        parts = [[rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12, 30]) for _ in range(gemeenten)]
                 for _ in range(rng.randint(0, 3))]  # fmt: skip
        if not parts:
            add([rng.choice([0, 2, 4, 7, 40]) for _ in range(gemeenten)], 0)
            continue
        parent_values = [sum(p[g] for p in parts) for g in range(gemeenten)]
        parent = add(parent_values, 0)
        partitions = [parts]
        if rng.random() < 0.5:  # a second partition of the same parent: a split of each value in two
            first = [rng.randint(0, v) for v in parent_values]
            partitions.append([first, [v - f for v, f in zip(parent_values, first, strict=True)]])
        for partition in partitions:
            children = [add(values, 1) for values in partition]
            for column in range(gemeenten + 1):
                relations.append([*((1, child, column) for child in children), (-1, parent, column)])
    return RegionTable(2026, "Testregio", [f"G{i}" for i in range(gemeenten)], rows, relations)


def test_small_cells_show_as_less_than_five_and_the_rest_as_numbers() -> None:
    table = _random_table(random.Random(1))
    region.suppress(table)
    for row in table.rows:
        for cell in row.cells:
            if cell.value < 5:
                assert cell.shown == SMALL
            else:
                assert cell.shown in (str(cell.value), WITHHELD)


def test_the_classic_case_two_gemeenten_one_small_total_shown() -> None:
    """3 + 40 = 43: without complementary suppression the total gives the 3 away."""
    row = Row("a", "a", 0, [Cell(3, "3"), Cell(40, "40"), Cell(43, "43")])
    table = RegionTable(2026, "R", ["A", "B"], [row], [[(1, 0, 0), (1, 0, 1), (-1, 0, 2)]])
    region.suppress(table)
    assert [c.shown for c in row.cells] == [SMALL, WITHHELD, "43"]
    assert attack(table) == []
    zero = Row("b", "b", 0, [Cell(0, "0"), Cell(5, "5"), Cell(5, "5")])  # 0 + x (>= 5) = 5 would pin both
    table = RegionTable(2026, "R", ["A", "B"], [zero], [[(1, 0, 0), (1, 0, 1), (-1, 0, 2)]])
    region.suppress(table)
    assert attack(table) == []
    assert zero.cells[2].shown == WITHHELD


@pytest.mark.parametrize("seed", range(120))
def test_no_random_regional_table_can_be_attacked(seed: int) -> None:
    table = _random_table(random.Random(seed))
    before = attack_unsuppressed = [(r, c) for r, row in enumerate(table.rows) for c, cell in enumerate(row.cells)
                                    if cell.value < 5]  # fmt: skip
    region.suppress(table)
    assert attack(table) == [], (seed, table.shown_rows())
    for r, c in before:  # every small cell stays withheld
        assert table.rows[r].cells[c].shown == SMALL
    del attack_unsuppressed


@pytest.mark.django_db
def test_the_database_table_for_the_region_is_suppressed_and_safe(staff: dict[str, object]) -> None:
    haarlem, zandvoort = Gemeente.objects.get(code=HAARLEM), Gemeente.objects.get(code=ZANDVOORT)
    month = date(2026, 3, 1)
    cells = {
        (haarlem, "inflow_kennisgeving"): 40, (zandvoort, "inflow_kennisgeving"): 3,
        (haarlem, "route:b1"): 12, (haarlem, "route:z"): 6, (haarlem, "route:onderwijs"): 2,
        (zandvoort, "route:b1"): 7, (haarlem, "duaal"): 9, (zandvoort, "duaal"): 1,
        (haarlem, "pip_counted"): 20, (haarlem, "pip_on_time"): 17, (zandvoort, "pip_counted"): 7,
        (zandvoort, "pip_on_time"): 6,
    }  # fmt: skip
    for (gemeente, metric), value in cells.items():
        FactCell.objects.create(gemeente=gemeente, month=month, doelgroep="asielstatushouder", team=0, metric=metric,
                                value=value)  # fmt: skip
    table = region.region_table(haarlem.region_id, 2026)
    assert table.gemeenten == ["Haarlem", "Zandvoort"]
    shown = {row.key: [cell.shown for cell in row.cells] for row in table.rows}
    assert shown["inflow_kennisgeving"] == ["x", "< 5", "43"]
    # Zandvoort's PIPs are all B1 (7; onderwijs and Z are 0): shown, they would say its two "< 5" cells are 0.
    assert shown["route_b1"] == ["x", "x", "19"]
    assert shown["route_onderwijs"][0] == "< 5"
    assert shown["pip_on_time"][1] == WITHHELD or shown["pip_late"][1] == SMALL
    assert attack(table) == []
    for row in table.rows:  # no number under 5 anywhere
        for text in (cell.shown for cell in row.cells):
            assert text in (SMALL, WITHHELD) or int(text) >= 5


@pytest.mark.django_db
def test_region_page_and_csv_for_the_regional_role_only(staff: dict[str, object], login: object) -> None:
    from openinburgering.audit.models import AuditEvent

    haarlem, zandvoort = Gemeente.objects.get(code=HAARLEM), Gemeente.objects.get(code=ZANDVOORT)
    for gemeente, value in ((haarlem, 40), (zandvoort, 3)):
        FactCell.objects.create(gemeente=gemeente, month=date(2025, 5, 1), doelgroep="", team=0,
                                metric="inflow_kennisgeving", value=value)  # fmt: skip
    regional = login("bram", ZANDVOORT)
    html = regional.get("/monitoring/regio/?jaar=2025").content.decode()
    assert "Cijfers van de arbeidsmarktregio" in html
    assert '<td class="utrecht-table__cell" data-suppressed="ja">&lt; 5</td>' in html
    assert '<td class="utrecht-table__cell" data-suppressed="ja">x</td>' in html
    assert ">43</td>" in html
    assert ">40</td>" not in html
    assert ">3</td>" not in html
    response = regional.get("/monitoring/regio.csv?jaar=2025")
    text = response.content.decode("utf-8-sig")
    assert "Kennisgeving DUO;x;< 5;43" in text
    assert AuditEvent.objects.filter(event_type="monitoring_figures_exported", subject_id="regio").count() == 1
    assert AuditEvent.objects.filter(event_type="monitoring_figures_viewed", subject_id="regio").count() == 1
    assert regional.get("/monitoring/regio/?jaar=1999").status_code == 404
    for username, gemeente in (("bram", HAARLEM), ("tamara", HAARLEM), ("kim", HAARLEM), ("zoe", ZANDVOORT)):
        client = login(username, gemeente)
        assert client.get("/monitoring/regio/").status_code == 404, username
        assert client.get("/monitoring/regio.csv").status_code == 404, username
    assert regional.get("/monitoring/gemeente/").status_code == 404  # the regional role sees no gemeente dashboard
