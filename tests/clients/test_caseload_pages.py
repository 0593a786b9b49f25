from __future__ import annotations

import re
from datetime import timedelta

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.demo.personas import ZANDVOORT

from .pages import assert_login_redirect, event_types, file_state

MINE = "/dossiers/caseload/"
TEAM = "/dossiers/team/"
REASSIGN = "/dossiers/team/toewijzen/"

pytestmark = pytest.mark.django_db


def set_deadline(client_file: ClientFile, days_from_today: int | None, kind: str = "pip_due") -> None:
    """Test setup: put the stored next deadline where the test needs it (the service computes it from the rules)."""
    due_on = None if days_from_today is None else today() + timedelta(days=days_from_today)
    ClientFile.objects.filter(pk=client_file.pk).update(next_deadline_on=due_on, next_deadline_kind=kind)


def row_names(content: str) -> list[str]:
    return re.findall(
        r'<th class="utrecht-table__header-cell" scope="row">\s*'
        r'<a class="utrecht-link" href="/dossiers/\d+/">([^<]+)</a>',
        content,
    )


# --- permission matrix ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["kim", "tamara"])
def test_own_caseload_opens_for_caseworkers(login, make_file, username):
    make_file(assigned_to=username, person={"surname": "Haddad"})
    response = login(username).get(MINE)
    assert response.status_code == 200
    assert row_names(response.content.decode()) == ["Amal Haddad"]
    assert event_types(event_type="caseload_viewed") == ["caseload_viewed"]


@pytest.mark.parametrize("username", ["bram", "anouk", "fenna", "frank", "mira"])
def test_own_caseload_is_404_for_other_roles(login, make_file, username):
    make_file(assigned_to="kim")
    assert login(username).get(MINE).status_code == 404
    assert event_types(event_type="caseload_viewed") == []


def test_caseload_in_another_gemeente_shows_only_that_gemeente(login, make_file):
    make_file(assigned_to="youssef", person={"surname": "Haarlemmer"})
    make_file(ZANDVOORT, assigned_to="youssef", person={"surname": "Zandvoorter"})
    content = login("youssef", ZANDVOORT).get(MINE).content.decode()
    assert row_names(content) == ["Amal Zandvoorter"]


@pytest.mark.parametrize(("url"), [MINE, TEAM])
def test_caseload_pages_send_anonymous_users_to_login(client, url):
    assert_login_redirect(client.get(url), url)
    assert event_types(event_type="caseload_viewed") == []


def test_team_caseload_opens_for_the_teamleider_with_every_open_file(login, make_file):
    make_file(assigned_to="kim", person={"surname": "Een"})
    make_file(assigned_to="youssef", person={"surname": "Twee"})
    make_file(person={"surname": "Drie"})
    response = login("tamara").get(TEAM, {"sort": "name"})
    assert response.status_code == 200
    assert row_names(response.content.decode()) == ["Amal Drie", "Amal Een", "Amal Twee"]


@pytest.mark.parametrize(
    ("username", "gemeente"), [("kim", "GM0392"), ("zeynep", ZANDVOORT), ("bram", "GM0392"), ("fenna", "GM0392")]
)
def test_team_caseload_is_404_without_the_team_capability(login, make_file, username, gemeente):
    make_file(assigned_to="kim")
    assert login(username, gemeente).get(TEAM).status_code == 404
    assert event_types(event_type="caseload_viewed") == []


def test_team_caseload_of_another_gemeente_does_not_show_haarlem(login, make_file):
    make_file(assigned_to="kim", person={"surname": "Haarlemmer"})
    make_file(ZANDVOORT, assigned_to="zeynep", person={"surname": "Zandvoorter"})
    assert row_names(login("zoe", ZANDVOORT).get(TEAM).content.decode()) == ["Amal Zandvoorter"]


# --- deadlines shown as text, not colour alone -------------------------------------------------------------------


def test_overdue_and_this_week_are_written_out(login, make_file):
    late = make_file(assigned_to="kim", person={"surname": "Laat"})
    soon = make_file(assigned_to="kim", person={"surname": "Gauw"})
    set_deadline(late, -3)
    set_deadline(soon, 2, kind="termijn_ends")
    content = login("kim").get(MINE).content.decode()
    assert "Te laat: 3 dagen" in content
    assert "utrecht-badge-status--danger" in content
    assert "Deze week: nog 2 dagen" in content
    assert "PIP vaststellen" in content
    assert "Einde inburgeringstermijn" in content
    assert (today() - timedelta(days=3)).strftime("%d-%m-%Y") in content


def test_a_closed_file_is_not_in_the_worklist(login, make_file, actor):
    from openinburgering.clients.services import change_status

    closed = make_file(assigned_to="kim", person={"surname": "Weg"})
    make_file(assigned_to="kim", person={"surname": "Blijft"})
    change_status(actor=actor("kim"), client_file=closed, to_status="verhuisd", reason="Verhuisd naar Utrecht")
    assert row_names(login("kim").get(MINE).content.decode()) == ["Amal Blijft"]


# --- filters, sorting, paging ------------------------------------------------------------------------------------


def test_filters_narrow_the_list(login, make_file, actor, staff):
    from openinburgering.clients.services import change_status

    late = make_file(assigned_to="kim", person={"surname": "Laat"})
    week = make_file(
        assigned_to="kim", person={"surname": "Week"}, file={"doelgroep": "gezinsmigrant", "residence": "regulier"}
    )
    later = make_file(person={"surname": "Later"})
    change_status(actor=actor("kim"), client_file=week, to_status="intake", reason="Intake gepland")
    set_deadline(late, -1)
    set_deadline(week, 5)
    set_deadline(later, 40)
    browser = login("tamara")

    def names(**params: str) -> list[str]:
        return row_names(browser.get(TEAM, {"sort": "name", **params}).content.decode())

    assert names(due="overdue") == ["Amal Laat"]
    assert names(due="week") == ["Amal Week"]
    assert names(due="soon") == ["Amal Laat", "Amal Week"]
    assert names(status="intake") == ["Amal Week"]
    assert names(doelgroep="gezinsmigrant") == ["Amal Week"]
    assert names(assigned="0") == ["Amal Later"]
    assert names(assigned=str(staff["kim"].pk)) == ["Amal Laat", "Amal Week"]


def test_columns_sort_both_ways_and_say_so_with_aria_sort(login, make_file):
    for surname in ("Bakker", "Aziz", "Cohen"):
        make_file(assigned_to="kim", person={"surname": surname})
    browser = login("kim")
    ascending = browser.get(MINE, {"sort": "name"}).content.decode()
    assert row_names(ascending) == ["Amal Aziz", "Amal Bakker", "Amal Cohen"]
    assert 'aria-sort="ascending"' in ascending
    assert 'href="?sort=-name"' in ascending
    descending = browser.get(MINE, {"sort": "-name"}).content.decode()
    assert row_names(descending) == ["Amal Cohen", "Amal Bakker", "Amal Aziz"]
    assert 'aria-sort="descending"' in descending


def test_an_unknown_sort_or_filter_value_falls_back_without_an_error(login, make_file):
    make_file(assigned_to="kim")
    response = login("kim").get(MINE, {"sort": "person__bsn", "status": "nonsense"})
    assert response.status_code == 200
    assert "Kies een van de mogelijkheden." in response.content.decode()


def test_the_worklist_pages_by_25_in_a_constant_number_of_queries(login, make_file, django_assert_num_queries):
    browser = login("tamara")
    for _ in range(3):
        make_file(assigned_to="kim")
    browser.get(TEAM)
    with django_assert_num_queries(TEAM_QUERIES):
        assert len(row_names(browser.get(TEAM).content.decode())) == 3
    for _ in range(27):
        make_file(assigned_to="kim")
    with django_assert_num_queries(TEAM_QUERIES):
        first = browser.get(TEAM).content.decode()
    assert len(row_names(first)) == 25
    assert 'rel="next" href="?page=2"' in first  # a row more than the page exists: "Volgende", no count
    second = browser.get(TEAM, {"page": "2"}).content.decode()
    assert len(row_names(second)) == 5
    assert ('rel="prev" href="?page=1"' in second, 'rel="next"' in second) == (True, False)
    assert "Op deze pagina staan geen dossiers meer." in browser.get(TEAM, {"page": "3"}).content.decode()


def test_own_caseload_runs_a_constant_number_of_queries(login, make_file, django_assert_num_queries):
    browser = login("kim")
    make_file(assigned_to="kim")
    browser.get(MINE)
    with django_assert_num_queries(MINE_QUERIES):
        browser.get(MINE)
    for _ in range(10):
        make_file(assigned_to="kim")
    with django_assert_num_queries(MINE_QUERIES):
        assert len(row_names(browser.get(MINE).content.decode())) == 11


def test_one_audit_event_per_page_view_and_none_per_row(login, make_file):
    files = [make_file(assigned_to="kim") for _ in range(3)]
    login("kim").get(MINE)
    event = AuditEvent.objects.get(event_type="caseload_viewed")
    assert event.client_file_id is None
    assert event.changes == {"scope": "mine", "page": 1, "result_count": 3}
    assert AuditEvent.objects.filter(client_file__in=files).exclude(event_type="client_file_registered").count() == 0


# --- reassignment ------------------------------------------------------------------------------------------------


def test_teamleider_reassigns_selected_files(login, make_file, staff):
    first = make_file(assigned_to="kim")
    second = make_file()
    untouched = make_file(assigned_to="kim")
    response = login("tamara").post(
        REASSIGN, {"selected": [first.pk, second.pk], "assigned_to": staff["youssef"].pk, "return_query": "sort=name"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/dossiers/team/?sort=name"
    for client_file in (first, second):
        client_file.refresh_from_db()
        assert client_file.assigned_to == staff["youssef"]
        assert client_file.team is not None
        assert client_file.team.name == "Team Zuid"
    untouched.refresh_from_db()
    assert untouched.assigned_to == staff["kim"]
    assert event_types(event_type="client_file_reassigned") == ["client_file_reassigned", "client_file_reassigned"]
    assert AuditEvent.objects.get(client_file=second, event_type="client_file_reassigned").changes["assigned_to"] == {
        "old": None,
        "new": staff["youssef"].pk,
    }
    page = login("tamara").get("/dossiers/team/").content.decode()
    assert page.count("Youssef El Amrani") >= 2


@pytest.mark.parametrize(
    ("username", "gemeente"), [("kim", "GM0392"), ("zoe", ZANDVOORT), ("zeynep", ZANDVOORT), ("fenna", "GM0392")]
)
def test_reassignment_is_404_for_anyone_but_the_teamleider_of_the_gemeente(login, make_file, staff, username, gemeente):
    client_file = make_file(assigned_to="kim")
    before = file_state(client_file)
    response = login(username, gemeente).post(
        REASSIGN, {"selected": [client_file.pk], "assigned_to": staff["youssef"].pk}
    )
    assert response.status_code == 404
    assert file_state(client_file) == before


def test_reassignment_by_anonymous_goes_to_login(client, make_file, staff):
    client_file = make_file(assigned_to="kim")
    before = file_state(client_file)
    assert_login_redirect(
        client.post(REASSIGN, {"selected": [client_file.pk], "assigned_to": staff["youssef"].pk}), REASSIGN
    )
    assert file_state(client_file) == before


def test_reassigning_to_someone_who_is_not_a_caseworker_changes_nothing(login, make_file, staff):
    client_file = make_file(assigned_to="kim")
    before = file_state(client_file)
    browser = login("tamara")
    response = browser.post(REASSIGN, {"selected": [client_file.pk], "assigned_to": staff["bram"].pk}, follow=True)
    assert "Kies een medewerker uit de lijst." in response.content.decode()
    assert file_state(client_file) == before


def test_reassigning_without_a_selection_says_what_to_do(login, make_file, staff):
    make_file(assigned_to="kim")
    response = login("tamara").post(REASSIGN, {"assigned_to": staff["youssef"].pk}, follow=True)
    assert "Kies een of meer dossiers in de tabel." in response.content.decode()
    assert event_types(event_type="client_file_reassigned") == []


def test_a_file_of_another_gemeente_in_the_selection_rejects_the_whole_request(login, make_file, staff):
    own = make_file(assigned_to="kim")
    foreign = make_file(ZANDVOORT, assigned_to="zeynep")
    before = (file_state(own), file_state(foreign))
    response = login("tamara").post(REASSIGN, {"selected": [own.pk, foreign.pk], "assigned_to": staff["youssef"].pk})
    assert response.status_code == 404
    assert (file_state(own), file_state(foreign)) == before


# #18: request setup (session row, user, memberships: the page header reuses them), the caseworkers and teams for the
# filter and the reassign selects (one UNION query), then in one transaction (BEGIN, COMMIT) the page's rows with
# their stage, attendance and portal work (clients.worklist: one query, one row more than shown instead of a
# count) and the audit insert. The gemeente's attendance threshold comes from the cache after the first page; the
# session is not written.
TEAM_QUERIES = 8
# request setup (3), BEGIN, the rows, the audit insert, COMMIT
MINE_QUERIES = 7
