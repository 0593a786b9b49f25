"""Worklist filters (te laat, deze week, soort stap) and the vroege start worklist, with its permission matrix."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.demo.personas import ZANDVOORT
from openinburgering.intakes.models import Intake, IntakeCall

from .pages import assert_login_redirect, event_types
from .test_caseload_pages import row_names, set_deadline

TEAM = "/dossiers/team/"
MINE = "/dossiers/caseload/"
VROEGE_START = "/dossiers/vroege-start/"

pytestmark = pytest.mark.django_db

IN_AZC = {"coa_koppeling_on": date(2025, 6, 20), "housed_under_taakstelling": True}
HOUSED = {**IN_AZC, "housed_on": date(2025, 7, 10), "registered_on": date(2025, 7, 10)}


# --- filters on the caseloads ---------------------------------------------------------------------------------


def test_deze_week_is_today_and_the_six_days_after_it(login, make_file):
    for surname, days in (("Gisteren", -1), ("Vandaag", 0), ("Zes", 6), ("Zeven", 7)):
        set_deadline(make_file(assigned_to="kim", person={"surname": surname}), days)
    browser = login("kim")
    assert row_names(browser.get(MINE, {"due": "week", "sort": "deadline"}).content.decode()) == [
        "Amal Vandaag", "Amal Zes",
    ]  # fmt: skip
    assert row_names(browser.get(MINE, {"due": "overdue"}).content.decode()) == ["Amal Gisteren"]


def test_soort_stap_filters_on_the_kind_and_groups_the_pip_bases(login, make_file):
    set_deadline(make_file(assigned_to="kim", person={"surname": "Oproep"}), 3, kind="intake_call")
    set_deadline(make_file(person={"surname": "Inschrijving"}), 10, kind="pip_due_registration")
    set_deadline(make_file(person={"surname": "Kennisgeving"}), 12, kind="pip_due")
    set_deadline(make_file(person={"surname": "Gesprek"}), -2, kind="progress_talk")
    browser = login("tamara")

    def names(**params: str) -> list[str]:
        return row_names(browser.get(TEAM, {"sort": "name", **params}).content.decode())

    assert names(kind="intake_call") == ["Amal Oproep"]
    assert names(kind="pip_due") == ["Amal Inschrijving", "Amal Kennisgeving"]
    assert names(kind="progress_talk", due="overdue") == ["Amal Gesprek"]
    assert names(kind="progress_talk", due="week") == []
    content = browser.get(TEAM, {"kind": "pip_due"}).content.decode()
    assert "PIP vaststellen (10 weken na inschrijving)" in content
    assert "(gefilterd)" in content
    assert '<option value="intake_call">Oproep brede intake</option>' in browser.get(MINE).content.decode()


def test_an_overdue_step_is_written_out_with_its_label(login, make_file):
    set_deadline(make_file(assigned_to="kim", person={"surname": "Laat"}), -4, kind="intake_next_step")
    content = login("kim").get(MINE).content.decode()
    assert "Volgende stap na gemiste oproep" in content
    assert "Te laat: 4 dagen" in content


def test_an_unknown_kind_is_a_form_error_not_a_500(login, make_file):
    make_file(assigned_to="kim")
    response = login("kim").get(MINE, {"kind": "nonsense"})
    assert response.status_code == 200
    assert "Kies een van de mogelijkheden." in response.content.decode()


# --- vroege start -------------------------------------------------------------------------------------------------


def test_vroege_start_lists_asielstatushouders_in_the_azc_with_their_progress(login, make_file, staff):
    pending = make_file(assigned_to="kim", person={"surname": "Gepland"}, file=IN_AZC)
    started = make_file(person={"surname": "Gestart"}, file=IN_AZC)
    make_file(assigned_to="kim", person={"surname": "Gehuisvest"}, file=HOUSED)
    make_file(
        assigned_to="kim", person={"surname": "Gezin"}, file={"doelgroep": "gezinsmigrant", "residence": "regulier"}
    )
    make_file(ZANDVOORT, assigned_to="zeynep", person={"surname": "Zandvoort"}, file=IN_AZC)
    IntakeCall.objects.create(
        client_file=pending, sequence=1, planned_at=timezone.now() + timedelta(days=2), location="azc",
        created_at=timezone.now(), created_by=staff["kim"],
    )  # fmt: skip
    IntakeCall.objects.create(
        client_file=started, sequence=1, planned_at=timezone.now(), location="azc", outcome="appeared",
        created_at=timezone.now(), created_by=staff["kim"],
    )  # fmt: skip
    Intake.objects.create(
        client_file=started, person=started.person, started_at=timezone.now(), started_by=staff["kim"]
    )

    response = login("tamara").get(VROEGE_START)

    assert response.status_code == 200
    content = response.content.decode()
    assert sorted(row_names(content)) == ["Amal Gepland", "Amal Gestart"]
    assert "Oproep 1: gepland" in content
    assert "Oproep 1: verschenen" in content
    assert "Nog niet gestart" in content
    assert "Bezig: 0 van 9 leefgebieden klaar" in content
    assert content.count("Nog geen PIP") == 2
    assert 'href="/dossiers/vroege-start/"' in content
    assert 'aria-current="page"' in content
    event = AuditEvent.objects.get(event_type="caseload_viewed")
    assert (event.subject_type, event.subject_id) == ("worklist", "vroege_start")
    assert event.changes == {"list": "vroege_start", "scope": "team", "page": 1, "result_count": 2}


def test_a_vroege_start_pip_shows_as_vastgesteld(login, make_file, actor):
    from openinburgering.clients.services import update_client_file

    client_file = make_file(assigned_to="kim", person={"surname": "Vroeg"}, file=IN_AZC)
    update_client_file(actor=actor("kim"), client_file=client_file, data={"pip_dagtekening_on": today()})
    assert f"Vastgesteld op {today():%d-%m-%Y}" in login("kim").get(VROEGE_START).content.decode()


def test_a_klantregisseur_sees_own_and_unassigned_vroege_start_files(login, make_file):
    make_file(assigned_to="kim", person={"surname": "Eigen"}, file=IN_AZC)
    make_file(person={"surname": "Niemand"}, file=IN_AZC)
    make_file(assigned_to="youssef", person={"surname": "Ander"}, file=IN_AZC)
    content = login("kim").get(VROEGE_START).content.decode()
    assert sorted(row_names(content)) == ["Amal Eigen", "Amal Niemand"]
    assert AuditEvent.objects.get(event_type="caseload_viewed").changes["scope"] == "mine"


def test_zandvoort_does_not_see_haarlem_in_vroege_start(login, make_file):
    make_file(assigned_to="kim", person={"surname": "Haarlemmer"}, file=IN_AZC)
    make_file(ZANDVOORT, assigned_to="zeynep", person={"surname": "Zandvoorter"}, file=IN_AZC)
    assert row_names(login("zoe", ZANDVOORT).get(VROEGE_START).content.decode()) == ["Amal Zandvoorter"]
    assert row_names(login("zeynep", ZANDVOORT).get(VROEGE_START).content.decode()) == ["Amal Zandvoorter"]


@pytest.mark.parametrize("username", ["frank", "fenna", "anouk", "bram", "mira"])
def test_vroege_start_is_404_without_a_caseload_capability(login, make_file, username):
    make_file(assigned_to="kim", file=IN_AZC)
    response = login(username).get(VROEGE_START)
    assert response.status_code == 404
    assert event_types(event_type="caseload_viewed") == []
    assert "Vroege start" not in login(username).get("/").content.decode()


def test_vroege_start_sends_anonymous_users_to_login(client):
    assert_login_redirect(client.get(VROEGE_START), VROEGE_START)
    assert event_types(event_type="caseload_viewed") == []


def test_vroege_start_pages_in_a_constant_number_of_queries(login, make_file, django_assert_num_queries):
    browser = login("tamara")
    make_file(assigned_to="kim", file=IN_AZC)
    browser.get(VROEGE_START)
    with django_assert_num_queries(VROEGE_START_QUERIES):
        browser.get(VROEGE_START)
    for _ in range(27):
        make_file(assigned_to="kim", file=IN_AZC)
    with django_assert_num_queries(VROEGE_START_QUERIES):
        first = browser.get(VROEGE_START).content.decode()
    assert len(row_names(first)) == 25
    assert "Pagina 1 van 2" in first
    assert ClientFile.objects.count() == 28


VROEGE_START_QUERIES = 11  # request setup, count + page, summaries of the page (3), audit insert (no session write)
