"""The demo of the quarterly CBS file: on the simulated history, exactly one client misses data for the open
quarter (Nazari, no doelgroep), the two quarters before it were made and downloaded, and a second run adds nothing."""

from __future__ import annotations

from typing import Any

import pytest

from openinburgering.core.dates import today
from openinburgering.demo.cbs import MISSING_SURNAME, ensure_cbs_demo
from openinburgering.demo.monitoring_history import ensure_history
from openinburgering.monitoring.cbs.models import CbsDelivery, CbsDeliveryDownload
from openinburgering.monitoring.cbs.selectors import incomplete_for, open_delivery_step
from openinburgering.monitoring.cbs.services import Quarter

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_client_missing_data_and_two_delivered_quarters(staff: Any, actor: Any) -> None:
    ensure_history(today=today())
    assert ensure_cbs_demo(today=today()) == 2
    assert ensure_cbs_demo(today=today()) == 0
    quarter = Quarter.last_completed(today())
    [row] = incomplete_for(actor("tamara"), quarter)
    assert row.name == f"Farid {MISSING_SURNAME}"
    assert [gap.label for gap in row.gaps] == ["Doelgroep ontbreekt"]
    assert row.left_out is True
    for earlier in (quarter.previous(), quarter.previous().previous()):
        assert incomplete_for(actor("tamara"), earlier) == []
    made = list(CbsDelivery.objects.order_by("year", "quarter").values_list("year", "quarter", "left_out_count"))
    assert made == [(q.year, q.quarter, 0) for q in (quarter.previous().previous(), quarter.previous())]
    assert CbsDeliveryDownload.objects.count() == 2
    step = open_delivery_step(actor("tamara").gemeente_id, as_of=today())
    assert step is not None
    assert step.quarter == quarter
