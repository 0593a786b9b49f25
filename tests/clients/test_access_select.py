"""access_client_file reads the file with SQL written once per process (#18, core.sql.JoinedSelect): the file, its
person with nationality and birth country, klantregisseur and team must be exactly what the ORM's select_related
gives, in one query; the file id and the gemeente are parameters of every call, never frozen into the SQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openinburgering.accounts.models import Team
from openinburgering.accounts.sections import Section
from openinburgering.clients.access import access_client_file
from openinburgering.clients.models import ClientFile, Country, Nationality, Person
from openinburgering.core.errors import NotFound
from tests.conftest import HAARLEM, ZANDVOORT

pytestmark = pytest.mark.django_db

PATHS = ("person", "person__nationality", "person__birth_country", "assigned_to", "team")


def fields_of(instance):
    return None if instance is None else {k: v for k, v in vars(instance).items() if not k.startswith("_")}


def described(client_file):
    person = client_file.person
    return (
        fields_of(client_file),
        fields_of(person),
        fields_of(person.nationality),
        fields_of(person.birth_country),
        fields_of(client_file.assigned_to),
        fields_of(client_file.team),
        client_file._state.adding,
        client_file._state.db,
    )


def orm_file(pk):
    return ClientFile.objects.select_related(*PATHS).get(pk=pk)


def test_a_file_with_every_relation_is_the_orms_in_one_query(make_file, actor):
    client_file = make_file(assigned_to="kim")
    nationality = Nationality.objects.get_or_create(code="0001", defaults={"description": "Nederlandse"})[0]
    country = Country.objects.get_or_create(code="5049", defaults={"description": "Syrië"})[0]
    Person.objects.filter(pk=client_file.person_id).update(nationality=nationality, birth_country=country)
    team = Team.objects.filter(gemeente_id=client_file.gemeente_id).first() or Team.objects.create(
        gemeente_id=client_file.gemeente_id, name="Team Noord"
    )
    ClientFile.objects.filter(pk=client_file.pk).update(team=team)
    expected = orm_file(client_file.pk)
    assert expected.person.nationality is not None
    assert expected.team is not None
    assert expected.assigned_to is not None
    kim = actor("kim")
    access_client_file(kim, client_file.pk, section=Section.BASIS)  # reads the gemeente's section limits once
    with CaptureQueriesContext(connection) as captured:
        found = access_client_file(kim, client_file.pk, section=Section.BASIS)
    assert len(captured.captured_queries) == 1
    assert described(found) == described(expected)


def test_a_file_without_optional_relations_is_the_orms(make_file, actor):
    client_file = make_file()
    ClientFile.objects.filter(pk=client_file.pk).update(team=None, assigned_to=None)
    expected = orm_file(client_file.pk)
    assert expected.person.nationality is None
    assert expected.team is None
    assert expected.assigned_to is None
    found = access_client_file(actor("kim"), str(client_file.pk), section=Section.BASIS)
    assert described(found) == described(expected)


def test_each_call_gets_its_own_file_and_gemeente(make_file, actor):
    """The SQL is written once; the file id and the gemeente are each call's own."""
    first = make_file(person={"surname": "Eerste"})
    second = make_file(person={"surname": "Tweede"})
    other = make_file(ZANDVOORT, person={"surname": "Elders"})
    kim, zeynep = actor("kim"), actor("zeynep", ZANDVOORT)
    assert access_client_file(kim, first.pk, section=Section.BASIS).person.surname == "Eerste"
    assert access_client_file(kim, second.pk, section=Section.BASIS).person.surname == "Tweede"
    assert access_client_file(zeynep, other.pk, section=Section.BASIS).person.surname == "Elders"
    with pytest.raises(NotFound):
        access_client_file(kim, other.pk, section=Section.BASIS)
    with pytest.raises(NotFound):
        access_client_file(zeynep, first.pk, section=Section.BASIS)
    assert first.gemeente.code == HAARLEM


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 10**30])
def test_an_id_no_column_holds_is_not_found(actor, value):
    with pytest.raises(NotFound):
        access_client_file(actor("kim"), value, section=Section.BASIS)
