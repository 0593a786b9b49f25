from __future__ import annotations

import pytest

from openinburgering.clients.access import access_client_file, access_note
from openinburgering.clients.services import add_note
from openinburgering.core.errors import NotFound


@pytest.mark.django_db
def test_caseworker_of_the_gemeente_reaches_the_file(make_file, actor):
    client_file = make_file()
    assert access_client_file(actor("kim"), client_file.pk).pk == client_file.pk
    assert access_client_file(actor("tamara"), str(client_file.pk), for_write=True).pk == client_file.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "gemeente"),
    [("zeynep", "GM0473"), ("youssef", "GM0473"), ("bram", "GM0392"), ("anouk", "GM0392"), ("fenna", "GM0392")],
)
def test_other_gemeente_and_wrong_roles_get_not_found(make_file, actor, username, gemeente):
    client_file = make_file()
    with pytest.raises(NotFound):
        access_client_file(actor(username, gemeente), client_file.pk)


@pytest.mark.django_db
def test_missing_and_malformed_ids_look_the_same_as_forbidden(actor):
    for value in (999_999, "abc", None):
        with pytest.raises(NotFound):
            access_client_file(actor("kim"), value)
    with pytest.raises(NotFound):
        access_client_file(None, 1)


@pytest.mark.django_db
def test_financieel_consulent_may_read_but_not_write(make_file, actor):
    client_file = make_file()
    assert access_client_file(actor("frank"), client_file.pk).pk == client_file.pk
    with pytest.raises(NotFound):
        access_client_file(actor("frank"), client_file.pk, for_write=True)


@pytest.mark.django_db
def test_a_note_is_reached_only_through_its_own_file(make_file, actor):
    first, second = make_file(), make_file()
    note = add_note(actor=actor("kim"), client_file=first, body="Eerste gesprek gehad.")
    assert access_note(actor("kim"), first, note.pk).pk == note.pk
    with pytest.raises(NotFound):
        access_note(actor("kim"), second, note.pk)
    with pytest.raises(NotFound):
        access_note(actor("kim"), first, "x")
