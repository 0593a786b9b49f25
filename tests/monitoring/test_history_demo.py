"""The simulated two-year history (#16 item 9) makes every figure show something, and a second run adds nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from openinburgering.accounts.models import Gemeente
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.demo.monitoring_history import ensure_history
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.monitoring import facts, figures, region
from openinburgering.monitoring.models import FactCell


@pytest.mark.django_db
def test_history_fills_every_chart_and_is_idempotent(staff: Any) -> None:
    made = ensure_history(today=today())
    assert made > 100
    assert ensure_history(today=today()) == 0
    haarlem = Gemeente.objects.get(code=HAARLEM)
    assert ClientFile.objects.filter(gemeente__code=ZANDVOORT).count() >= 24
    cells = {(c.month, c.doelgroep, c.team, c.metric): c.value for c in FactCell.objects.filter(gemeente=haarlem)}
    facts.rebuild_gemeente(haarlem.pk)  # the incremental cells equal a rebuild from the facts
    assert cells == {
        (c.month, c.doelgroep, c.team, c.metric): c.value for c in FactCell.objects.filter(gemeente=haarlem)
    }
    tables = {t.key: t for t in figures.gemeente_dashboard(haarlem.pk, figures.Filters.default(today()))}
    assert sum(row[1] for row in tables["inflow"].rows) > 50
    key = {row[0]: row for row in tables["key"].rows}
    for label, *_ in figures.KEY_FIGURES:
        if label != "Verlengingen van de termijn":
            assert key[label][1] or key[label][2], label  # something was counted
    assert sum(row[1] for row in tables["pip_time"].rows) > 20
    assert all(sum(row[1:-1]) for row in tables["routes"].rows), tables["routes"].rows
    kis = figures.kis_table(haarlem.pk, today().year - 1)
    assert all(row[3] for row in kis.rows), [row[:5] for row in kis.rows]
    table = region.region_table(haarlem.region_id, date.today().year - 1)
    shown = [cell.shown for row in table.rows for cell in row.cells]
    assert region.SMALL in shown  # Zandvoort is small: the comparison shows its suppression for real
