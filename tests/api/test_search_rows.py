"""POST /persons/search builds its results as plain dicts (#18: api.search_rows) instead of running each file
through SearchResultSerializer, which stays the schema of the response: the two must give the same bytes, for files
with and without a worker, a worker without a name, and a surname prefix."""

from __future__ import annotations

import pytest
from rest_framework.renderers import JSONRenderer

from openinburgering.api.search_rows import search_result
from openinburgering.api.serializers.clients import SearchResultSerializer
from openinburgering.clients.selectors import search_client_files

from ..conftest import actor_for

pytestmark = pytest.mark.django_db


def test_search_results_are_what_the_serializer_gives(make_file, staff):
    make_file(assigned_to="kim", person={"surname": "Zoekmij"})
    make_file(person={"surname": "Zoekmij", "surname_prefix": "de", "given_names": "Noor"})
    make_file(assigned_to="youssef", person={"surname": "Zoekmij", "given_names": "Omar"})
    staff["youssef"].first_name = staff["youssef"].last_name = ""
    staff["youssef"].save()
    results = search_client_files(actor=actor_for(staff["kim"]), query="zoekmij")

    rows = [search_result(client_file) for client_file in results]

    assert JSONRenderer().render(rows) == JSONRenderer().render(SearchResultSerializer(results, many=True).data)
    assert [row["assigned_to"]["display_name"] if row["assigned_to"] else None for row in rows].count(None) == 1
    assert {row["assigned_to"]["display_name"] for row in rows if row["assigned_to"]} == {
        staff["kim"].display_name, "youssef",
    }  # fmt: skip
