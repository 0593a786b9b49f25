from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile, Note, Person
from openinburgering.clients.services import add_note
from openinburgering.demo.personas import ZANDVOORT
from openinburgering.households.services import add_household_member

from .pages import assert_login_redirect, event_types, file_state, read_events

pytestmark = pytest.mark.django_db


def url(client_file: ClientFile, suffix: str = "") -> str:
    return f"/dossiers/{client_file.pk}/{suffix}"


# --- permission matrix: the page ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "expected_reads"),
    [
        ("kim", ["client_file_viewed", "household_viewed"]),
        ("tamara", ["client_file_viewed", "household_viewed", "file_audit_viewed"]),
        ("frank", ["client_file_viewed", "household_viewed"]),
    ],
)
def test_the_file_opens_in_its_own_gemeente_and_the_read_is_logged(login, make_file, username, expected_reads):
    client_file = make_file(assigned_to="kim", person={"surname": "Haddad", "v_number": "1234567890"})
    response = login(username).get(url(client_file))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Amal Haddad" in content
    assert client_file.person.bsn in content
    assert "1234567890" in content
    assert read_events(client_file) == expected_reads


@pytest.mark.parametrize(
    ("username", "gemeente"),
    [
        ("zeynep", ZANDVOORT),
        ("zoe", ZANDVOORT),
        ("youssef", ZANDVOORT),
        ("bram", "GM0392"),
        ("anouk", "GM0392"),
        ("fenna", "GM0392"),
        ("mira", "GM0392"),
    ],
)
def test_other_gemeente_and_wrong_roles_get_404_and_no_read_is_logged(login, make_file, username, gemeente):
    client_file = make_file(assigned_to="kim")
    before = file_state(client_file)
    response = login(username, gemeente).get(url(client_file))
    assert response.status_code == 404
    assert "Amal Haddad" not in response.content.decode()
    assert read_events(client_file) == []
    assert file_state(client_file) == before


def test_a_file_that_does_not_exist_is_404(login):
    assert login("kim").get("/dossiers/999999/").status_code == 404


def test_anonymous_goes_to_login_and_no_read_is_logged(client, make_file):
    client_file = make_file()
    assert_login_redirect(client.get(url(client_file)), url(client_file))
    assert read_events(client_file) == []


def test_youssef_reaches_the_haarlem_file_only_when_acting_for_haarlem(login, make_file):
    client_file = make_file(assigned_to="youssef")
    assert login("youssef", "GM0392").get(url(client_file)).status_code == 200
    assert login("youssef", ZANDVOORT).get(url(client_file)).status_code == 404


# --- what the page shows -----------------------------------------------------------------------------------------


def test_the_header_shows_the_essentials(login, make_file):
    client_file = make_file(
        assigned_to="kim",
        person={"interpreter_needed": True, "interpreter_language": "Tigrinya", "birth_on": date(1990, 5, 1)},
    )
    content = login("kim").get(url(client_file)).content.decode()
    for text in ("01-05-1990", "Asielstatushouder", "Kim de Vries", "Team Noord", "Ja, Tigrinya", "Status: Aangemeld"):
        assert text in content
    assert "Wie heeft dit dossier ingezien" not in content


def test_the_teamleider_sees_who_read_the_file(login, make_file):
    client_file = make_file(assigned_to="kim")
    login("kim").get(url(client_file))
    content = login("tamara").get(url(client_file)).content.decode()
    assert "Wie heeft dit dossier ingezien" in content
    assert content.count("Dossier bekeken") == 2
    assert content.count("Huishouden bekeken") == 2
    assert "Kim de Vries" in content
    assert "Tamara Bakker" in content


def test_the_file_page_writes_its_read_events_in_one_insert(login, make_file):
    """#18: the file, the household and (for a teamleider) the reader list are three events as before, with the
    same types, subject and order, written in one statement."""
    client_file = make_file(assigned_to="kim")
    login("kim").get(url(client_file))
    login("tamara").get(url(client_file))
    events = list(AuditEvent.objects.filter(client_file=client_file).exclude(event_type="client_file_registered"))
    events.sort(key=lambda event: event.pk)
    assert [(e.event_type, e.actor.username) for e in events] == [
        ("client_file_viewed", "kim"), ("household_viewed", "kim"),
        ("client_file_viewed", "tamara"), ("household_viewed", "tamara"), ("file_audit_viewed", "tamara"),
    ]  # fmt: skip
    assert {(e.subject_type, e.subject_id, e.gemeente_id, e.via) for e in events} == {
        ("clientfile", str(client_file.pk), client_file.gemeente_id, "ui")
    }
    assert "basis" in events[0].changes["sections"]
    assert [e.changes for e in events[3:]] == [{}, {}]
    assert len({(e.occurred_at, e.request_id) for e in events[2:]}) == 1  # one request, one moment


def test_the_file_page_runs_a_constant_number_of_queries(login, make_file, actor, django_assert_num_queries):
    client_file = make_file(assigned_to="kim")
    kim = actor("kim")
    note = add_note(actor=kim, client_file=client_file, body="Gesprek 0")
    browser = login("tamara")
    browser.get(url(client_file))
    with django_assert_num_queries(FILE_QUERIES):
        browser.get(url(client_file))
    for index in range(1, 12):
        note = add_note(actor=kim, client_file=client_file, body=f"Gesprek {index}")
    add_note(actor=kim, client_file=client_file, body="Correctie", corrects=note)
    for name in ("Lina", "Omar", "Sara"):
        add_household_member(
            actor=kim, client_file=client_file, relation="kind", started_on=date(2025, 1, 1),
            person_data={"given_names": name, "surname": "Haddad", "birth_on": date(2019, 1, 1)},
            education_kind="basisschool", education_name="De Dolfijn",
        )  # fmt: skip
    with django_assert_num_queries(FILE_QUERIES):
        content = browser.get(url(client_file)).content.decode()
    assert content.count("Gesprek ") == 24  # every note in the notes section and in the timeline
    assert "De Dolfijn" in content


# --- notes -------------------------------------------------------------------------------------------------------


def test_adding_a_note_redirects_back_with_a_message(login, make_file):
    client_file = make_file(assigned_to="kim")
    browser = login("kim")
    response = browser.post(url(client_file, "notities/"), {"body": "Eerste gesprek gehad."})
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{client_file.pk}/#notities"
    assert Note.objects.get(client_file=client_file).body == "Eerste gesprek gehad."
    assert event_types(client_file=client_file, event_type="note_added") == ["note_added"]
    page = browser.get(url(client_file)).content.decode()
    assert "De notitie is opgeslagen." in page
    assert "Eerste gesprek gehad." in page


def test_an_empty_note_shows_a_field_error_and_writes_nothing(login, make_file):
    client_file = make_file(assigned_to="kim")
    response = login("kim").post(url(client_file, "notities/"), {"body": "   "})
    assert response.status_code == 400
    assert "Schrijf een notitie." in response.content.decode()
    assert Note.objects.filter(client_file=client_file).count() == 0


def test_a_correction_is_a_new_note_and_the_original_stays_visible(login, make_file, actor):
    client_file = make_file(assigned_to="kim")
    original = add_note(actor=actor("kim"), client_file=client_file, body="Spreekt goed Engels.")
    browser = login("kim")
    response = browser.post(
        url(client_file, "notities/"), {"body": "Spreekt een beetje Engels.", "corrects": original.pk}
    )
    assert response.status_code == 302
    correction = Note.objects.get(corrects=original)
    assert correction.body == "Spreekt een beetje Engels."
    assert Note.objects.get(pk=original.pk).body == "Spreekt goed Engels."
    assert event_types(client_file=client_file, event_type="note_corrected") == ["note_corrected"]
    content = browser.get(url(client_file)).content.decode()
    assert "Spreekt goed Engels." in content
    assert "Gecorrigeerd" in content
    assert f'href="#notitie-{original.pk}"' in content


def test_correcting_a_note_of_another_file_is_404(login, make_file, actor):
    other = make_file(person={"surname": "Ander"})
    foreign_note = add_note(actor=actor("kim"), client_file=other, body="Andere notitie.")
    client_file = make_file()
    response = login("kim").post(url(client_file, "notities/"), {"body": "Poging", "corrects": foreign_note.pk})
    assert response.status_code == 404
    assert Note.objects.count() == 1


@pytest.mark.parametrize(("username", "gemeente"), [("zeynep", ZANDVOORT), ("frank", "GM0392"), ("bram", "GM0392")])
def test_notes_cannot_be_added_from_outside_or_without_the_right_to_change(login, make_file, username, gemeente):
    client_file = make_file(assigned_to="kim")
    before = file_state(client_file)
    assert login(username, gemeente).post(url(client_file, "notities/"), {"body": "Stiekem"}).status_code == 404
    assert file_state(client_file) == before
    assert read_events(client_file) == []


def test_anonymous_posts_go_to_login_and_change_nothing(client, make_file):
    client_file = make_file()
    before = file_state(client_file)
    for suffix, data in (("notities/", {"body": "x"}), ("status/", {"to_status": "intake", "reason": "x"})):
        assert_login_redirect(client.post(url(client_file, suffix), data), url(client_file, suffix))
    assert file_state(client_file) == before


# --- status ------------------------------------------------------------------------------------------------------


def test_the_status_form_offers_only_the_allowed_next_statuses(login, make_file):
    client_file = make_file(assigned_to="kim")
    content = login("kim").get(url(client_file)).content.decode()
    assert '<option value="intake">Intake</option>' in content
    assert '<option value="voldaan">' not in content


def test_an_allowed_status_change_is_saved_with_its_reason(login, make_file):
    client_file = make_file(assigned_to="kim")
    browser = login("kim")
    response = browser.post(
        url(client_file, "status/"), {"to_status": "intake", "reason": "Intake gepland op 1 december"}
    )
    assert response.status_code == 302
    client_file.refresh_from_db()
    assert client_file.status == "intake"
    assert client_file.status_changes.first().reason == "Intake gepland op 1 december"
    page = browser.get(url(client_file)).content.decode()
    assert "De status is gewijzigd naar Intake." in page
    assert "Intake gepland op 1 december" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"to_status": "voldaan", "reason": "Sneller"},
            "Van &#x27;Aangemeld&#x27; kan het dossier niet naar deze status.",
        ),
        ({"to_status": "onzin", "reason": "x"}, "kan het dossier niet naar deze status."),
        ({"to_status": "intake", "reason": ""}, "Geef een reden voor de wijziging."),
    ],
)
def test_a_status_change_the_workflow_does_not_allow_is_a_field_error(login, make_file, data, message):
    client_file = make_file(assigned_to="kim")
    before = file_state(client_file)
    response = login("kim").post(url(client_file, "status/"), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert 'aria-invalid="true"' in content
    after = file_state(client_file)
    assert after[:-1] == before[:-1]  # only the read of the page shown again was logged


# --- edit pages --------------------------------------------------------------------------------------------------


def test_personal_data_is_changed_through_the_edit_page(login, make_file):
    client_file = make_file(assigned_to="kim", person={"phone": ""})
    browser = login("kim")
    form = browser.get(url(client_file, "persoonsgegevens/")).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update({"birth_on": "01-05-1990", "phone": "0612345678", "interpreter_needed": ""})
    response = browser.post(url(client_file, "persoonsgegevens/"), data)
    assert response.status_code == 302
    assert Person.objects.get(pk=client_file.person_id).phone == "0612345678"
    event = AuditEvent.objects.get(client_file=client_file, event_type="person_updated")
    assert event.changes == {"phone": {"old": "", "new": "0612345678"}}


def test_an_invalid_bsn_on_the_edit_page_keeps_the_old_one(login, make_file):
    client_file = make_file(assigned_to="kim")
    browser = login("kim")
    form = browser.get(url(client_file, "persoonsgegevens/")).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update({"birth_on": "01-05-1990", "bsn": "111111111", "interpreter_needed": ""})
    response = browser.post(url(client_file, "persoonsgegevens/"), data)
    assert response.status_code == 200
    assert "Dit BSN klopt niet." in response.content.decode()
    assert Person.objects.get(pk=client_file.person_id).bsn == client_file.person.bsn


def test_a_key_date_before_birth_is_refused_on_the_file_edit_page(login, make_file):
    client_file = make_file(assigned_to="kim")
    response = login("kim").post(
        url(client_file, "gegevens/"),
        {"residence": "asiel", "doelgroep": "asielstatushouder", "kennisgeving_on": "1980-01-01"},
    )
    assert response.status_code == 200
    assert "De datum van de kennisgeving kan niet voor de geboortedatum liggen." in response.content.decode()
    client_file.refresh_from_db()
    assert client_file.kennisgeving_on == date(2025, 7, 1)


@pytest.mark.parametrize(
    ("taakstelling", "pip_due_on", "kind"),
    [
        # B 5.3 lid 1: 10 weeks after the kennisgeving (Tuesday 1 July 2025 → Tuesday 9 September, no feestdag).
        ({}, date(2025, 9, 9), "pip_due"),
        # Housed under the taakstelling and registered after the kennisgeving: 10 weeks after the registration
        # (Friday 1 August 2025 → Friday 10 October).
        ({"housed_under_taakstelling": "on"}, date(2025, 10, 10), "pip_due_registration"),
    ],
)
def test_key_dates_change_and_the_deadline_is_recomputed(login, make_file, taakstelling, pip_due_on, kind):
    client_file = make_file(assigned_to="kim", file={"kennisgeving_on": None})
    assert (client_file.next_deadline_on, client_file.next_deadline_kind) == (None, "")
    response = login("kim").post(
        url(client_file, "gegevens/"),
        {"residence": "asiel", "doelgroep": "asielstatushouder", "kennisgeving_on": "2025-07-01",
         "registered_on": "2025-08-01", "residence_from_on": "2025-06-02", **taakstelling},
    )  # fmt: skip
    assert response.status_code == 302
    client_file.refresh_from_db()
    assert client_file.kennisgeving_on == date(2025, 7, 1)
    assert (client_file.next_deadline_on, client_file.next_deadline_kind) == (pip_due_on, kind)


@pytest.mark.parametrize("suffix", ["persoonsgegevens/", "gegevens/"])
@pytest.mark.parametrize(("username", "gemeente"), [("zeynep", ZANDVOORT), ("frank", "GM0392"), ("fenna", "GM0392")])
def test_edit_pages_are_404_outside_the_gemeente_or_without_the_right_to_change(
    login, make_file, suffix, username, gemeente
):
    client_file = make_file(assigned_to="kim")
    before = file_state(client_file)
    browser = login(username, gemeente)
    assert browser.get(url(client_file, suffix)).status_code == 404
    assert browser.post(url(client_file, suffix), {"surname": "Anders", "doelgroep": "overig"}).status_code == 404
    assert file_state(client_file) == before
    assert read_events(client_file) == []


# request setup, file, the 3 audit events in one insert (#18), members, notes page, readers page, status
# history, timeline (one UNION ALL of its 23 sources: casefile.timeline.TIMELINE_QUERIES = 1, #18), summary (1, #18;
# its row also reads, for the visible sections only, the notes count, the latest toets and route of the intake block,
# the zorg-en-netwerk counts (#14), the attendance window's hours and the readers count; the threshold is cached
# per gemeente); the header reuses the request's memberships and the session is not written (#18); need to know (#12
# item 1): the health consent check of visible_sections, once for the page's sections, which
# casefile.timeline.timeline_for reuses (1, #18); the gemeente's SectionLimit rows come from the per-gemeente cache
# after the first request (#18); ontzorgen status on the file with its obligation count (#13, 1 since #18)
FILE_QUERIES = 21  # with the open DUO/COA signals (1), intake block (2), PIP block (1), plaatsingen (1), letters (1)


def test_the_summary_row_reads_only_the_facts_of_the_sections_the_reader_sees(login, make_file, actor):
    """#18 folds the notes count, the toets and route and the netwerk counts into the summary's one row; need to
    know (#12) stays: frank (financieel consulent) sees neither notes, intake nor begeleiding, so no query of his
    page touches those tables, while kim's page reads them all in that one row."""
    client_file = make_file(assigned_to="kim")
    add_note(actor=actor("kim"), client_file=client_file, body="Gesprek")
    tables = ('"clients_note"', '"intakes_learnabilitytest"', '"intakes_routeadvice"', '"netwerk_referral"',
              '"netwerk_contactperson"')  # fmt: skip
    for username, expected in (("frank", 0), ("kim", 1)):
        browser = login(username)
        browser.get(url(client_file))
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(url(client_file)).status_code == 200
        rows = [q["sql"] for q in queries.captured_queries if "stage_intake_status" in q["sql"]]
        assert len(rows) == 1
        assert [all(table in rows[0] for table in tables)] == [bool(expected)], username
        if not expected:
            assert [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in tables)] == []


@pytest.mark.django_db
def test_open_file_signals_are_shown_on_the_file_page(make_file, login):
    from openinburgering.signals.models import FileSignal

    client_file = make_file(assigned_to="kim")
    FileSignal.objects.create(
        gemeente=client_file.gemeente, client_file=client_file, kind=FileSignal._meta.get_field("kind").choices[0][0],
        summary="DUO meldt een andere doelgroep.",
    )  # fmt: skip
    response = login("kim").get(f"/dossiers/{client_file.pk}/")
    assert response.status_code == 200
    assert "Signalen om te controleren (1)" in response.content.decode()
    assert "DUO meldt een andere doelgroep." in response.content.decode()
