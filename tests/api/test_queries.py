"""Every list answers with a constant number of queries, however long the list (no N+1)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openinburgering.clients.services import add_note, change_status

from ..conftest import actor_for

pytestmark = pytest.mark.django_db


def _count(client, path, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, params or {})
    assert response.status_code == 200, response.content[:300]
    return len(context.captured_queries)


def _grow_file(client_file, staff, household_member, size):
    actor = actor_for(staff["kim"])
    for index in range(size):
        add_note(actor=actor, client_file=client_file, body=f"Notitie {index}")
    for to_status in ["intake", "pip", "in_traject", "pip", "intake"][: min(size, 5)]:
        change_status(actor=actor, client_file=client_file, to_status=to_status, reason="Voortgang")
    for index in range(size):
        household_member(client_file, given_names=f"Kind {index}", birth_on=date(2015, 1, 1 + index))


LISTS = {
    "status-changes": "/api/v1/clients/{id}/status-changes",
    "notes": "/api/v1/clients/{id}/notes",
    "household": "/api/v1/clients/{id}/household",
    "audit": "/api/v1/clients/{id}/audit",
}


@pytest.mark.parametrize("name", list(LISTS))
def test_file_lists_use_a_constant_number_of_queries(name, api, staff, make_file, household_member):
    path = LISTS[name]
    small, large = make_file(assigned_to="kim"), make_file(assigned_to="kim")
    _grow_file(small, staff, household_member, 1)
    _grow_file(large, staff, household_member, 12)
    reader = api("tamara")
    for client_file in (small, large):  # the audit list grows with each read: read once before counting
        reader.get(path.format(id=client_file.pk))
    counts = {_count(reader, path.format(id=f.pk)) for f in (small, large)}
    assert counts == {EXPECTED[name]}


def _count_post(client, path, body):
    with CaptureQueriesContext(connection) as context:
        response = client.post(path, body)
    assert response.status_code == 200, response.content[:300]
    return len(context.captured_queries)


def test_search_uses_a_constant_number_of_queries(api, make_file):
    make_file(person={"surname": "Zarif"}, assigned_to="kim")
    reader = api("kim")
    reader.post("/api/v1/persons/search", {"q": "zarif"})  # warm-up: the token's last use is written now, not again
    one = _count_post(reader, "/api/v1/persons/search", {"q": "zarif"})
    for _ in range(15):
        make_file(person={"surname": "Zarif"}, assigned_to="youssef")
    many = _count_post(reader, "/api/v1/persons/search", {"q": "zarif"})
    assert one == many == EXPECTED["search"]


@pytest.mark.parametrize("params", [{}, {"scope": "team"}, {"scope": "team", "assigned_to": "0", "ordering": "name"}])
def test_caseload_uses_a_constant_number_of_queries(params, api, make_file):
    make_file(assigned_to="tamara")
    make_file()
    reader = api("tamara")
    reader.get("/api/v1/caseload", params)  # warm-up: the gemeente's attendance threshold is cached from here on
    one = _count(reader, "/api/v1/caseload", params)
    for index in range(15):
        make_file(assigned_to="tamara" if index % 2 else None)
    many = _count(reader, "/api/v1/caseload", params)
    assert one == many == EXPECTED["caseload"]


# token lookup (1: its last use is written at most once a minute (#18), by the warm-up request) + savepoint and
# release (2) + what the endpoint does. The gemeente's SectionLimit rows that clients.access.section_access asks when
# access_client_file opens a section of the file (need to know, #12 item 1) come from the per-gemeente cache after
# the warm-up request (#18); the audit list opens no section.
EXPECTED = {
    "status-changes": 7,  # access, audit insert, count, page
    "notes": 7,  # access, audit insert, count, page
    "household": 6,  # access, audit insert, members (one query, unpaged)
    "audit": 7,  # access, audit insert, count, page
    "search": 5,  # search (at most 50), audit insert
    # count, the page's rows with their stage, oproepen and attendance facts, audit insert (#18:
    # api.caseload_rows); the attendance threshold comes from the cache after the first request (#18)
    "caseload": 6,
}
