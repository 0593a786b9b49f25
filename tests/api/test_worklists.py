"""API worklists: the caseload's step filters and GET /api/v1/caseload/vroege-start with its permission matrix."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.demo.personas import ZANDVOORT
from openinburgering.intakes.models import IntakeCall

from .conftest import invalid_params, problem

pytestmark = pytest.mark.django_db

CASELOAD = "/api/v1/caseload"
VROEGE_START = "/api/v1/caseload/vroege-start"
IN_AZC = {"coa_koppeling_on": date(2025, 6, 20), "housed_under_taakstelling": True}


def set_deadline(client_file: ClientFile, days: int, kind: str = "pip_due") -> None:
    ClientFile.objects.filter(pk=client_file.pk).update(
        next_deadline_on=today() + timedelta(days=days), next_deadline_kind=kind
    )


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:300]
    return [row["id"] for row in response.json()["results"]]


def test_caseload_filters_overdue_due_within_days_and_kind(api, make_file):
    late = make_file(assigned_to="kim")
    today_ = make_file(assigned_to="kim")
    six = make_file(assigned_to="kim")
    seven = make_file(assigned_to="kim")
    set_deadline(late, -1, "intake_next_step")
    set_deadline(today_, 0, "intake_call")
    set_deadline(six, 6, "pip_due_registration")
    set_deadline(seven, 7, "pip_due")
    kim = api("kim")
    assert ids(kim.get(CASELOAD, {"overdue": "true"})) == [late.pk]
    assert ids(kim.get(CASELOAD, {"due_within_days": 7})) == [today_.pk, six.pk]
    assert ids(kim.get(CASELOAD, {"due_within_days": 1})) == [today_.pk]
    assert ids(kim.get(CASELOAD, {"kind": "pip_due"})) == [six.pk, seven.pk]
    assert ids(kim.get(CASELOAD, {"kind": "pip_due", "due_within_days": 7})) == [six.pk]
    rows = kim.get(CASELOAD, {"kind": "intake_next_step"}).json()["results"]
    assert rows[0]["next_deadline_label"] == "Volgende stap na gemiste oproep"
    assert rows[0]["is_overdue"] is True


@pytest.mark.parametrize(
    ("params", "name"),
    [({"due_within_days": 0}, "due_within_days"), ({"due_within_days": "x"}, "due_within_days"),
     ({"kind": "nonsense"}, "kind"), ({"overdue": "soms"}, "overdue")],
)  # fmt: skip
def test_bad_step_filters_get_a_dutch_400(api, make_file, params, name):
    make_file(assigned_to="kim")
    errors = invalid_params(api("kim").get(CASELOAD, params))
    assert list(errors) == [name]
    assert AuditEvent.objects.filter(event_type="caseload_viewed").count() == 0


def test_vroege_start_api_shows_progress_and_is_audited(api, make_file, staff):
    with_call = make_file(assigned_to="kim", file=IN_AZC)
    unassigned = make_file(file=IN_AZC)
    other_worker = make_file(assigned_to="youssef", file=IN_AZC)
    make_file(assigned_to="kim", file={**IN_AZC, "housed_on": date(2025, 7, 1), "registered_on": date(2025, 7, 1)})
    make_file(ZANDVOORT, assigned_to="zeynep", file=IN_AZC)
    IntakeCall.objects.create(
        client_file=with_call, sequence=1, planned_at=timezone.now() + timedelta(days=1), location="azc",
        created_at=timezone.now(), created_by=staff["kim"],
    )  # fmt: skip

    response = api("tamara").get(VROEGE_START)
    rows = {row["id"]: row for row in response.json()["results"]}
    assert set(rows) == {with_call.pk, unassigned.pk, other_worker.pk}
    assert rows[with_call.pk]["has_pending_call"] is True
    assert rows[unassigned.pk]["has_pending_call"] is False
    assert rows[with_call.pk]["coa_koppeling_on"] == "2025-06-20"
    assert {rows[pk]["pip_set"] for pk in rows} == {False}
    event = AuditEvent.objects.get(event_type="caseload_viewed")
    assert (event.via, event.subject_id) == ("api", "vroege_start")
    assert event.changes == {"list": "vroege_start", "scope": "team", "page": 1, "result_count": 3}

    assert set(ids(api("kim").get(VROEGE_START))) == {with_call.pk, unassigned.pk}


@pytest.mark.parametrize(
    ("who", "expected", "count"),
    [
        (("tamara",), 200, 1),
        (("kim",), 200, 1),
        (("zoe", ZANDVOORT), 200, 0),
        (("zeynep", ZANDVOORT), 200, 0),
        (("frank",), 403, None),
        (("fenna",), 403, None),
        (("anouk",), 403, None),
        (None, 401, None),
    ],
)
def test_vroege_start_api_permission_matrix(api, make_file, who, expected, count):
    make_file(assigned_to="kim", file=IN_AZC)
    response = (api(*who) if who else api(None)).get(VROEGE_START)
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["count"] == count
        assert AuditEvent.objects.filter(event_type="caseload_viewed").count() == 1
    else:
        assert problem(response)["status"] == expected
        assert AuditEvent.objects.filter(event_type="caseload_viewed").count() == 0


def test_vroege_start_api_runs_a_constant_number_of_queries(api, make_file, django_assert_num_queries):
    tamara = api("tamara")
    make_file(assigned_to="kim", file=IN_AZC)
    tamara.get(VROEGE_START)
    with django_assert_num_queries(API_QUERIES):
        tamara.get(VROEGE_START)
    for _ in range(5):
        make_file(file=IN_AZC)
    with django_assert_num_queries(API_QUERIES):
        assert tamara.get(VROEGE_START).json()["count"] == 6


API_QUERIES = 9  # token, count + page, summaries of the page (3), audit insert, savepoints; the token's last use was
# written by the first call and is not written again within the minute (#18)
