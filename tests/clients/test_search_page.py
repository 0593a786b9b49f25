from __future__ import annotations

import json
from datetime import date

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.demo.personas import ZANDVOORT

from .pages import assert_login_redirect, event_types

URL = "/dossiers/"

pytestmark = pytest.mark.django_db


def test_search_by_name_shows_only_what_is_needed_to_recognise_the_person(login, make_file):
    client_file = make_file(person={"surname": "Haddad", "given_names": "Amal", "phone": "0612345678"})
    response = login("kim").get(URL, {"q": "haddad"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Amal Haddad" in content
    assert "01-05-1990" in content
    assert f"eindigt op {client_file.person.bsn[-3:]}" in content
    assert client_file.person.bsn not in content
    assert "0612345678" not in content
    assert f'href="/dossiers/{client_file.pk}/"' in content
    assert "1 dossier gevonden" in content


def test_search_writes_one_audit_event_with_the_count_and_never_the_query(login, make_file, staff):
    make_file(person={"surname": "Haddad"})
    make_file(person={"surname": "Haddad", "given_names": "Omar"})
    login("kim").get(URL, {"q": "Haddad"})
    event = AuditEvent.objects.get(event_type="person_search_performed")
    assert event.changes == {"result_count": 2}
    assert event.actor == staff["kim"]
    assert event.client_file_id is None
    assert event.subject_type == ""
    assert event.subject_id == ""
    assert "haddad" not in json.dumps(event.changes).lower()


@pytest.mark.parametrize(
    ("query_for", "expected"),
    [
        (lambda f: f.person.bsn, 1),
        (lambda f: "1234567890", 1),
        (lambda f: "02-03-1984", 1),
        (lambda f: "1984-03-02", 1),
        (lambda f: "Tesfaye Yonas", 1),
        (lambda f: "Tesfaye Amal", 0),
    ],
)
def test_search_finds_by_bsn_v_number_birth_date_and_name(login, make_file, query_for, expected):
    client_file = make_file(
        person={"given_names": "Yonas", "surname": "Tesfaye", "birth_on": date(1984, 3, 2), "v_number": "1234567890"}
    )
    make_file(person={"given_names": "Other", "surname": "Person"})
    response = login("kim").get(URL, {"q": query_for(client_file)})
    assert response.status_code == 200
    assert response.content.decode().count('href="/dossiers/' + str(client_file.pk) + '/"') == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("a", "Typ minstens 2 tekens"),
        ("12345", "Een BSN heeft 9 cijfers, een V-nummer 10."),
        ("31-02-1990", "geen bestaande datum"),
        ("x" * 101, "De zoekvraag is te lang"),
    ],
)
def test_a_bad_query_gets_a_dutch_message_and_no_search_runs(login, make_file, query, message):
    make_file()
    response = login("kim").get(URL, {"q": query})
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'aria-invalid="true"' in content
    assert event_types(event_type="person_search_performed") == []


def test_the_page_without_a_query_lists_nobody(login, make_file):
    client_file = make_file()
    response = login("kim").get(URL)
    assert response.status_code == 200
    assert client_file.person.surname not in response.content.decode()
    assert event_types(event_type="person_search_performed") == []


def test_a_search_in_another_gemeente_does_not_find_haarlem_files(login, make_file):
    client_file = make_file(person={"surname": "Haddad"})
    response = login("zeynep", ZANDVOORT).get(URL, {"q": client_file.person.bsn})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Geen dossiers gevonden" in content
    assert "Haddad" not in content
    assert AuditEvent.objects.get(event_type="person_search_performed").changes == {"result_count": 0}


@pytest.mark.parametrize("username", ["bram", "anouk", "fenna", "mira", "carla"])
def test_roles_without_search_get_404_and_nothing_is_logged_as_read(login, make_file, username):
    make_file(person={"surname": "Haddad"})
    response = login(username).get(URL, {"q": "Haddad"})
    assert response.status_code == 404
    assert event_types(event_type="person_search_performed") == []


def test_anonymous_search_goes_to_the_login_page(client, make_file):
    make_file()
    assert_login_redirect(client.get(URL), URL)
    assert event_types(event_type="person_search_performed") == []


def test_search_runs_a_constant_number_of_queries(login, make_file, django_assert_num_queries):
    browser = login("kim")
    for _ in range(2):
        make_file(person={"surname": "Haddad"})
    browser.get(URL, {"q": "Haddad"})  # warm the session
    with django_assert_num_queries(SEARCH_QUERIES):
        assert browser.get(URL, {"q": "Haddad"}).content.decode().count("eindigt op") == 2
    for _ in range(8):
        make_file(person={"surname": "Haddad"})
    with django_assert_num_queries(SEARCH_QUERIES):
        assert browser.get(URL, {"q": "Haddad"}).content.decode().count("eindigt op") == 10


SEARCH_QUERIES = 11  # request setup (session, user, memberships, header), one search, one audit insert, session save
