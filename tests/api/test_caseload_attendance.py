"""GET /api/v1/caseload: every row carries the attendance of the last 4 complete ISO weeks, and
`low_attendance=true` keeps the files under the gemeente's threshold (filtered in the database)."""

# ruff: noqa: F811 -- the fixtures imported below by name are the parameters of these tests

from __future__ import annotations

from typing import Any

import pytest

from openinburgering.accounts.models import Gemeente
from openinburgering.audit.models import AuditEvent
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.progress.models import ProgressSettings
from tests.progress.conftest import (  # noqa: F401 -- fixtures: placed enrolments and their weekly reports
    anouk_provider,
    enrol,
    hours,
    regional_contract,
    report,
)

from .conftest import invalid_params
from .test_queries import EXPECTED, _count

pytestmark = pytest.mark.django_db

CASELOAD = "/api/v1/caseload"


def weeks(offered: str, attended: str) -> dict[int, tuple[str, str]]:
    return dict.fromkeys((1, 2, 3, 4), (offered, attended))


def attendance(response: Any) -> dict[int, Any]:
    assert response.status_code == 200, response.content[:300]
    return {row["id"]: row["attendance"] for row in response.json()["results"]}


def test_rows_carry_the_rate_the_threshold_and_the_signal(api, make_file, hours):
    low = make_file(assigned_to="kim")
    at = make_file(assigned_to="kim")
    nothing_offered = make_file(assigned_to="kim")
    without = make_file(assigned_to="kim")
    outside = make_file(assigned_to="kim")
    hours(low, weeks("8", "5"))
    hours(at, weeks("10", "8"))
    hours(nothing_offered, weeks("0", "0"))
    hours(outside, {0: ("8", "0"), 5: ("8", "0")})  # only the current week and the fifth week back
    assert attendance(api("kim").get(CASELOAD)) == {
        low.pk: {"rate_percent": 62, "threshold_percent": 80, "low": True},
        at.pk: {"rate_percent": 80, "threshold_percent": 80, "low": False},
        nothing_offered.pk: None,
        without.pk: None,
        outside.pk: None,
    }


def test_low_attendance_filters_in_the_database_with_the_gemeente_threshold(api, make_file, hours):
    ProgressSettings.objects.create(gemeente=Gemeente.objects.get(code=HAARLEM), attendance_threshold_percent=60)
    above = make_file(assigned_to="kim")
    below = make_file(assigned_to="kim")
    make_file(assigned_to="kim")
    hours(above, weeks("8", "5"))  # 62.5 %
    hours(below, weeks("10", "5.9"))  # 59 %
    response = api("kim").get(CASELOAD, {"low_attendance": "true"})
    assert attendance(response) == {below.pk: {"rate_percent": 59, "threshold_percent": 60, "low": True}}
    assert response.json()["count"] == 1
    assert AuditEvent.objects.get(event_type="caseload_viewed").changes["result_count"] == 1
    assert len(attendance(api("kim").get(CASELOAD, {"low_attendance": "false"}))) == 3


def test_another_gemeente_never_shows_in_the_figures(api, make_file, hours):
    haarlem = make_file(assigned_to="kim")
    zandvoort = make_file(ZANDVOORT, assigned_to="zeynep")
    hours(haarlem, weeks("8", "8"))
    hours(zandvoort, weeks("8", "2"))
    assert attendance(api("kim").get(CASELOAD, {"low_attendance": "true"})) == {}
    assert attendance(api("zeynep", ZANDVOORT).get(CASELOAD, {"low_attendance": "true"})) == {
        zandvoort.pk: {"rate_percent": 25, "threshold_percent": 80, "low": True}
    }


def test_a_bad_low_attendance_value_gets_a_dutch_400(api, make_file):
    make_file(assigned_to="kim")
    assert invalid_params(api("kim").get(CASELOAD, {"low_attendance": "soms"})) == {
        "low_attendance": ["Vul true of false in."]
    }
    assert AuditEvent.objects.filter(event_type="caseload_viewed").count() == 0


@pytest.mark.parametrize("params", [{"scope": "team"}, {"scope": "team", "low_attendance": "true"}])
def test_the_attendance_keeps_the_number_of_queries_constant(api, make_file, hours, params):
    hours(make_file(assigned_to="kim"), weeks("8", "2"))
    reader = api("tamara")
    reader.get(CASELOAD, params)  # warm-up: the gemeente's attendance threshold is cached from here on
    one = _count(reader, CASELOAD, params)
    for index in range(8):
        hours(make_file(assigned_to="kim"), weeks("8", "2" if index % 2 else "8"))
    many = _count(reader, CASELOAD, params)
    assert one == many == EXPECTED["caseload"]
    assert sum(1 for row in attendance(reader.get(CASELOAD, params)).values() if row and row["low"]) == 5
