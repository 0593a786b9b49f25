from __future__ import annotations

import pytest

from openinburgering.accounts.sections import Section
from openinburgering.clients.access import access_client_file, access_note
from openinburgering.clients.services import add_note
from openinburgering.core.errors import NotFound


@pytest.mark.django_db
def test_caseworker_of_the_gemeente_reaches_the_file(make_file, actor):
    client_file = make_file()
    assert access_client_file(actor("kim"), client_file.pk, section=Section.BASIS).pk == client_file.pk
    tamara = actor("tamara")
    assert access_client_file(tamara, str(client_file.pk), section=Section.BASIS, for_write=True).pk == client_file.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "gemeente"),
    [("zeynep", "GM0473"), ("youssef", "GM0473"), ("bram", "GM0392"), ("anouk", "GM0392"), ("fenna", "GM0392")],
)
def test_other_gemeente_and_wrong_roles_get_not_found(make_file, actor, username, gemeente):
    client_file = make_file()
    with pytest.raises(NotFound):
        access_client_file(actor(username, gemeente), client_file.pk, section=Section.BASIS)


@pytest.mark.django_db
def test_missing_and_malformed_ids_look_the_same_as_forbidden(actor):
    for value in (999_999, "abc", None):
        with pytest.raises(NotFound):
            access_client_file(actor("kim"), value, section=Section.BASIS)
    with pytest.raises(NotFound):
        access_client_file(None, 1, section=Section.BASIS)


@pytest.mark.django_db
def test_financieel_consulent_may_read_but_not_write(make_file, actor):
    """Need to know (#12 item 1): he reads basis without changing it, works in financien, and nothing else opens."""
    client_file = make_file()
    frank = actor("frank")
    assert access_client_file(frank, client_file.pk, section=Section.BASIS).pk == client_file.pk
    with pytest.raises(NotFound):
        access_client_file(frank, client_file.pk, section=Section.BASIS, for_write=True)
    assert access_client_file(frank, client_file.pk, section=Section.FINANCIEN, for_write=True).pk == client_file.pk
    closed = (
        Section.INTAKE, Section.GEZONDHEID, Section.PIP, Section.VOORTGANG, Section.HANDHAVING, Section.BEGELEIDING,
        Section.DOCUMENTEN, Section.NOTITIES, Section.AUDIT,
    )  # fmt: skip
    for section in closed:
        for for_write in (False, True):
            with pytest.raises(NotFound):
                access_client_file(frank, client_file.pk, section=section, for_write=for_write)


@pytest.mark.django_db
def test_a_note_is_reached_only_through_its_own_file(make_file, actor):
    first, second = make_file(), make_file()
    note = add_note(actor=actor("kim"), client_file=first, body="Eerste gesprek gehad.")
    assert access_note(actor("kim"), first, note.pk).pk == note.pk
    with pytest.raises(NotFound):
        access_note(actor("kim"), second, note.pk)
    with pytest.raises(NotFound):
        access_note(actor("kim"), first, "x")
