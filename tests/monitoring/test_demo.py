"""The demo data gives the contract dashboard real figures that fit together, and a second run changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from openinburgering.accounts.models import Gemeente
from openinburgering.core.dates import today
from openinburgering.demo.loader import load_demo
from openinburgering.demo.monitoring import ensure_demo_monitoring
from openinburgering.demo.personas import HAARLEM
from openinburgering.demo.providers import DEMO_CONTRACT, ensure_demo_providers
from openinburgering.monitoring.selectors import Filters, cohort_table, contract_dashboard
from openinburgering.progress.selectors import low_attendance_files
from openinburgering.providers.choices import REPORTABLE_STATUSES
from openinburgering.providers.models import Enrolment, ModuleMilestone, WeeklyReport

from ..conftest import actor_for


@pytest.mark.django_db(transaction=False)
def test_demo_dashboard_has_real_figures_and_is_idempotent(staff: Any) -> None:
    load_demo(today=today())
    counts = (Enrolment.objects.count(), WeeklyReport.objects.count(), ModuleMilestone.objects.count())
    assert counts[2] > 0  # the providers' voortgangsverslagen
    assert ensure_demo_monitoring(today=today(), provider=ensure_demo_providers()) == 0
    assert (Enrolment.objects.count(), WeeklyReport.objects.count(), ModuleMilestone.objects.count()) == counts
    carla = actor_for(staff["carla"])
    row = next(r for r in contract_dashboard(carla, Filters(), today=today()) if r.contract.name == DEMO_CONTRACT)
    assert row.enrolled > 0
    assert row.hours_offered > 0
    assert row.hours_attended > 0
    assert row.exams_passed > 0
    assert row.lesson_visits == 2
    assert row.survey_respondents == 23
    assert row.cost_total > 0
    assert sum(c.started for c in cohort_table(carla, Filters(), today=today())) > 0


@pytest.mark.django_db(transaction=False)
def test_demo_hours_contracted_offered_and_attended_fit_together(staff: Any) -> None:
    """The reports follow the enrolments: until last week the hours offered are the planned hours (some lessons
    fell out), the contracted hours also count the weeks still to come, and people were not always there."""
    load_demo(today=today())
    carla = actor_for(staff["carla"])
    last_sunday = today() - timedelta(days=today().weekday() + 1)

    def demo_row(filters: Filters) -> Any:
        return next(r for r in contract_dashboard(carla, filters, today=today()) if r.contract.name == DEMO_CONTRACT)

    so_far, overall = demo_row(Filters(date_to=last_sunday)), demo_row(Filters())
    assert so_far.hours_offered == overall.hours_offered  # every report is of a week before this one
    assert so_far.hours_contracted * Decimal("0.9") <= so_far.hours_offered <= so_far.hours_contracted
    assert overall.hours_contracted > so_far.hours_contracted
    assert so_far.hours_attended < so_far.hours_offered
    assert so_far.absent_authorised > 0
    assert so_far.absent_unauthorised > 0
    assert so_far.hours_attended + so_far.absent_authorised + so_far.absent_unauthorised == so_far.hours_offered
    # The dashboard's definition (planned hours x weeks, clipped to the period), counted here by hand: the same
    # on PostgreSQL and on the SQLite demo database.
    placed = Enrolment.objects.filter(
        contract__name=DEMO_CONTRACT, client_file__gemeente__code=HAARLEM, status__in=REPORTABLE_STATUSES
    )
    by_hand = sum(
        (e.hours_per_week * ((min(e.ends_on, last_sunday) - e.starts_on).days + 1) / 7 for e in placed), Decimal(0)
    )
    assert so_far.hours_contracted == by_hand.quantize(Decimal("0.1"))
    # Some demo files are under the attendance threshold (the caseload shows the signal), most are not.
    haarlem = Gemeente.objects.get(code=HAARLEM)
    low = low_attendance_files(haarlem, today())
    reported = WeeklyReport.objects.filter(enrolment__client_file__gemeente=haarlem).values("enrolment__client_file")
    assert 0 < len(low) < reported.distinct().count()
