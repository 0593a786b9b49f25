"""The demo data gives the contract dashboard real figures, and a second run changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from openinburgering.core.dates import today
from openinburgering.demo.loader import load_demo
from openinburgering.demo.monitoring import ensure_demo_monitoring
from openinburgering.demo.providers import DEMO_CONTRACT, ensure_demo_providers
from openinburgering.monitoring.selectors import Filters, cohort_table, contract_dashboard
from openinburgering.providers.models import Enrolment, WeeklyReport

from ..conftest import actor_for


@pytest.mark.django_db(transaction=False)
def test_demo_dashboard_has_real_figures_and_is_idempotent(staff: Any) -> None:
    load_demo(today=today())
    counts = (Enrolment.objects.count(), WeeklyReport.objects.count())
    assert ensure_demo_monitoring(today=today(), provider=ensure_demo_providers()) == 0
    assert (Enrolment.objects.count(), WeeklyReport.objects.count()) == counts
    carla = actor_for(staff["carla"])
    row = next(r for r in contract_dashboard(carla, Filters(), today=today()) if r.contract.name == DEMO_CONTRACT)
    assert row.enrolled > 0
    assert row.hours_offered > 0
    assert row.hours_attended > 0
    assert row.exams_passed > 0
    assert row.lesson_visits == 2
    assert row.survey_respondents == 23
    assert row.cost_total > 0
    assert sum(c.started for c in cohort_table(carla, Filters())) > 0
