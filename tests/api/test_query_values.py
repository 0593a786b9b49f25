"""Query values the schema does not allow get a 400 with a Dutch reason instead of being silently read as the
default (#12 item 9: `?scope=` and `?page_size=null` were accepted)."""

from __future__ import annotations

import pytest

from .conftest import invalid_params, problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"scope": ""}, "scope"),
        ({"ordering": ""}, "ordering"),
        ({"overdue": ""}, "overdue"),
        ({"due_within_days": ""}, "due_within_days"),
    ],
)
def test_an_empty_value_where_the_schema_wants_one_gets_400(params, name, api):
    response = api("kim").get("/api/v1/caseload", params)
    assert response.status_code == 400
    [param] = problem(response)["invalidParams"]
    assert (param["name"], param["reason"]) == (name, "Laat deze parameter weg of geef hem een waarde.")


def test_an_empty_value_that_the_schema_allows_is_fine(api):
    # status and doelgroep list "" among their values: no filter
    response = api("kim").get("/api/v1/caseload", {"status": "", "doelgroep": ""})
    assert response.status_code == 200


@pytest.mark.parametrize("page_size", ["null", "", "abc", "0", "-5", "2.5"])
def test_a_page_size_that_is_no_positive_whole_number_gets_400(page_size, api):
    response = api("kim").get("/api/v1/caseload", {"page_size": page_size})
    assert set(invalid_params(response)) == {"page_size"}
    [param] = problem(response)["invalidParams"]
    assert param["reason"] == "Vul een heel getal van 1 tot en met 100 in."


def test_a_good_page_size_is_used(api, make_file):
    for _ in range(3):
        make_file(assigned_to="kim")
    response = api("kim").get("/api/v1/caseload", {"page_size": "2"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2
