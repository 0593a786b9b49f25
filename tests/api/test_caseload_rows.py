"""GET /caseload builds its rows as plain dicts from one values query (#18: api.caseload_rows) instead of running
each file through CaseloadItemSerializer, which stays the schema of the response. The rows must be what the
serializer gives for the same files, to the byte: these tests build files in every state a caseload row tells apart
(every summary state and oproep step, attendance, deadlines past, today, later and none, with and without worker
and team, a worker without a name) and render both with DRF's JSON renderer."""

# ruff: noqa: F811 -- the fixtures imported below by name are the parameters of these tests

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.renderers import JSONRenderer

from openinburgering.api.caseload_rows import CaseloadRows
from openinburgering.api.serializers.clients import CaseloadItemSerializer
from openinburgering.casefile.summary import (
    call_outcomes_annotation,
    call_outcomes_for,
    call_outcomes_of,
    summaries_for,
)
from openinburgering.clients.models import ClientFile
from openinburgering.clients.selectors import CaseloadFilters, caseload_for
from openinburgering.core.dates import today
from openinburgering.progress.selectors import attendance_rates
from tests.casefile.test_worklist_facts import call, files_in_every_state
from tests.progress.conftest import (  # noqa: F401 -- fixtures: placed enrolments and their weekly reports
    anouk_provider,
    enrol,
    hours,
    regional_contract,
    report,
)

from ..conftest import actor_for

pytestmark = pytest.mark.django_db

THRESHOLD = 80


def every_kind_of_row(make_file, staff, hours) -> list[ClientFile]:
    files = files_in_every_state(make_file, staff)
    kim = staff["kim"]
    # Oproep steps: after one failed oproep, after two, after three; an inconsistent history gives no step.
    one, two, three, broken = (make_file(assigned_to="kim", person={"surname": f"Oproep{i}"}) for i in range(4))
    call(one, kim, 1, "no_show")
    for sequence in (1, 2):
        call(two, kim, sequence, "no_show")
    for sequence in (1, 2, 3):
        call(three, kim, sequence, "insufficient_cooperation")
    call(broken, kim, 1, "appeared")
    call(broken, kim, 2, "no_show")
    # Attendance: under the threshold, at it, nothing offered.
    low, at, nothing = (make_file(assigned_to="kim", person={"surname": f"Uren{i}"}) for i in range(3))
    hours(low, dict.fromkeys((1, 2, 3, 4), ("8", "5")))
    hours(at, dict.fromkeys((1, 2, 3, 4), ("10", "8")))
    hours(nothing, {1: ("0", "0")})
    # Nobody's file, a status past intake, a blank doelgroep; a worker without a name shows the username.
    unassigned = make_file(person={"surname": "Niemand", "surname_prefix": "van der"})
    in_traject = make_file(assigned_to="youssef", file={"doelgroep": ""})
    ClientFile.objects.filter(pk=in_traject.pk).update(status="in_traject")
    staff["youssef"].first_name = staff["youssef"].last_name = ""
    staff["youssef"].save()
    files += [one, two, three, broken, low, at, nothing, unassigned, in_traject]
    # Next steps: overdue, today, later, none (one of each kind of label, and an unknown kind).
    kinds = ["intake_call", "pip_due", "termijn_ends", "", "onbekend"]
    for index, client_file in enumerate(files):
        due_on = None if index % 5 == 3 else today() + timedelta(days=(index % 5 - 1) * 9)
        ClientFile.objects.filter(pk=client_file.pk).update(
            next_deadline_on=due_on, next_deadline_kind=kinds[index % 5]
        )
    return files


def serialized(queryset) -> bytes:
    """The rows as CaseloadItemSerializer gave them before #18 (the summaries and rates read for the page)."""
    files = list(queryset)
    context = {
        "today": today(),
        "summaries": summaries_for(files),
        "attendance": attendance_rates(
            gemeente_id=files[0].gemeente_id, file_ids=[f.pk for f in files], as_of=today(), threshold=THRESHOLD
        ),
    }
    return JSONRenderer().render(CaseloadItemSerializer(files, many=True, context=context).data)


@pytest.mark.parametrize("ordering", ["deadline", "-name"])
def test_caseload_rows_are_what_the_serializer_gives(ordering, make_file, staff, hours):
    files = every_kind_of_row(make_file, staff, hours)
    queryset = caseload_for(
        actor=actor_for(staff["tamara"]), scope="team", filters=CaseloadFilters(ordering=ordering), as_of=today(),
        soon_days=14,
    )  # fmt: skip

    rows = CaseloadRows(queryset, as_of=today(), threshold=THRESHOLD)[0:100]

    assert JSONRenderer().render(rows) == serialized(queryset)
    assert len(rows) == len(files)
    assert {row["summary"]["oproep_step"] for row in rows} == {
        "", "first_call", "wait", "none", "warning_and_repeat_call", "fine_and_new_term", "fine_and_intake_in_absence",
    }  # fmt: skip
    assert {row["attendance"]["low"] if row["attendance"] else None for row in rows} == {True, False, None}
    assert {row["assigned_to"]["display_name"] if row["assigned_to"] else None for row in rows} >= {"youssef", None}
    assert {row["is_overdue"] for row in rows} == {True, False}


def test_a_slice_of_caseload_rows_reads_that_page_only(make_file, staff, django_assert_num_queries):
    for index in range(7):
        make_file(assigned_to="kim", person={"surname": f"Pagina{index}"})
    queryset = caseload_for(
        actor=actor_for(staff["kim"]), scope="mine", filters=CaseloadFilters(ordering="name"), as_of=today(),
        soon_days=14,
    )  # fmt: skip
    rows = CaseloadRows(queryset, as_of=today(), threshold=THRESHOLD)

    with django_assert_num_queries(1):  # the rows with their facts and oproepen
        page = rows[2:5]
    with django_assert_num_queries(1):  # the count, once
        assert rows.count() == len(rows) == 7

    assert [row["person"]["surname"] for row in page] == ["Pagina2", "Pagina3", "Pagina4"]


def test_call_outcomes_are_read_oldest_first_for_every_file_asked(make_file, staff):
    with_calls, without = make_file(assigned_to="kim"), make_file(assigned_to="kim")
    for sequence, outcome in ((3, "pending"), (1, "no_show"), (2, "insufficient_cooperation")):
        call(with_calls, staff["kim"], sequence, outcome)
    rows = ClientFile.objects.filter(pk__in=[with_calls.pk, without.pk]).values("pk").annotate(
        **call_outcomes_annotation()
    )  # fmt: skip

    from_rows = {row["pk"]: call_outcomes_of(row) for row in rows}

    assert from_rows == call_outcomes_for([with_calls.pk, without.pk])
    assert from_rows == {with_calls.pk: ["no_show", "insufficient_cooperation", "pending"], without.pk: []}
    assert call_outcomes_for([]) == {}
