"""The gemeente audit log for the functioneel beheerder: matrix, filters, paging, its own audit, queries."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from openinburgering.audit.models import AuditEvent
from openinburgering.audit.services import record_event
from openinburgering.demo.personas import HAARLEM, ZANDVOORT

pytestmark = pytest.mark.django_db

URL = "/account/auditlog/"


def shows_file(html: str, file_id: int) -> bool:
    """Whether the log names the file, as a link or as plain text (the number whole: 27 is not 277)."""
    return re.search(rf"Dossier {file_id}(?!\d)", html) is not None


def reviews() -> int:
    return AuditEvent.objects.filter(event_type="gemeente_audit_viewed").count()


def test_beheerder_sees_who_did_what_on_which_file_in_her_gemeente(login, make_file):
    haarlem_file = make_file(HAARLEM)
    zandvoort_file = make_file(ZANDVOORT)
    response = login("fenna").get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aangemeld" in html
    assert "Kim de Vries" in html
    # She cannot open files, so the file number is no link (no dead links, #11 item 13).
    assert f'href="{reverse("clients:detail", kwargs={"file_id": haarlem_file.pk})}"' not in html
    assert shows_file(html, haarlem_file.pk)
    assert not shows_file(html, zandvoort_file.pk)
    assert "Zeynep Kaya" not in html
    assert "Haddad" not in html  # the file is shown by id, never by the person's name
    assert "uitvoering Wet inburgering 2021 (regie)" in html
    event = AuditEvent.objects.get(event_type="gemeente_audit_viewed")
    assert (event.actor.username, event.gemeente.code, event.changes["page"]) == ("fenna", HAARLEM, 1)


def test_zandvoort_beheerder_sees_only_zandvoort_events(login, make_file):
    haarlem_file = make_file(HAARLEM)
    zandvoort_file = make_file(ZANDVOORT)
    html = login("ruben", ZANDVOORT).get(URL).content.decode()
    # He cannot open files either, so the number is plain text, not a link (no dead links, #11 item 13).
    assert f'href="{reverse("clients:detail", kwargs={"file_id": zandvoort_file.pk})}"' not in html
    assert shows_file(html, zandvoort_file.pk)
    assert not shows_file(html, haarlem_file.pk)
    assert "Kim de Vries" not in html


@pytest.mark.parametrize(("username", "gemeente"), [("kim", HAARLEM), ("tamara", HAARLEM), ("zoe", ZANDVOORT)])
def test_other_roles_get_not_found_and_nothing_is_logged(login, make_file, username, gemeente):
    make_file(HAARLEM)
    before = AuditEvent.objects.count()
    assert login(username, gemeente).get(URL).status_code == 404
    assert AuditEvent.objects.count() == before
    assert reviews() == 0


def test_anonymous_visitors_are_sent_to_the_login_page(staff):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/account/inloggen/?next=/account/auditlog/"
    assert reviews() == 0


def test_filters_on_event_type_and_dates(login, make_file, actor):
    make_file(HAARLEM)
    record_event(actor=actor("kim"), event_type="caseload_viewed", purpose="test")
    client = login("fenna")
    html = client.get(URL, {"event_type": "caseload_viewed"}).content.decode()
    assert "1 gebeurtenis\n" in html
    assert '<th scope="row" class="utrecht-table__header-cell">Caseload bekeken</th>' in html
    assert '<th scope="row" class="utrecht-table__header-cell">Aangemeld</th>' not in html
    html = client.get(URL, {"since": "2999-01-01"}).content.decode()
    assert "Geen gebeurtenissen gevonden." in html
    event = AuditEvent.objects.filter(event_type="gemeente_audit_viewed").order_by("-id").first()
    assert event is not None
    assert event.changes["filters"] == {"since": "2999-01-01"}


def test_bad_filter_input_gives_a_dutch_message_not_an_error(login):
    client = login("fenna")
    response = client.get(URL, {"since": "31-02-2025", "event_type": "bestaat_niet"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vul een geldige datum in, bijvoorbeeld 31-12-2025." in html
    assert "Kies een soort uit de lijst." in html
    response = client.get(URL, {"since": "2025-06-01", "until": "2025-01-01"})
    assert "Deze datum ligt vóór de vanaf-datum." in response.content.decode()


def test_audit_log_runs_a_constant_number_of_queries_and_pages(login, make_file, actor, django_assert_num_queries):
    make_file(HAARLEM)
    client = login("fenna")
    client.get(URL)
    with django_assert_num_queries(8) as few:  # #18: no session write, memberships once
        assert client.get(URL).status_code == 200
    kim = actor("kim")
    for _ in range(60):
        record_event(actor=kim, event_type="caseload_viewed", purpose="test")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    html = response.content.decode()
    assert "pagina 1 van 2" in html
    assert 'aria-label="Paginering auditlog"' in html
    assert client.get(URL, {"page": "2"}).status_code == 200
    assert client.get(URL, {"page": "abc"}).status_code == 200
