"""The voortgang page, its forms, the settings page and the link on the file page: permission matrix, audit,
errors and query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from openinburgering.accounts.section_limits import set_section_access
from openinburgering.accounts.sections import Access
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.plans.models import PipVersion
from openinburgering.progress.models import AfschalenJudgement, ProgressSettings

pytestmark = pytest.mark.django_db


def url(client_file: ClientFile, name: str = "index") -> str:
    return reverse(f"progress:{name}", kwargs={"file_id": client_file.pk})


def reads(client_file: ClientFile) -> int:
    return AuditEvent.objects.filter(client_file=client_file, event_type="progress_viewed").count()


@pytest.mark.parametrize(
    ("username", "gemeente", "status"),
    [
        ("kim", HAARLEM, 200),
        ("tamara", HAARLEM, 200),
        ("frank", HAARLEM, 404),  # need to know: no voortgang section (#12 item 1)
        ("zeynep", ZANDVOORT, 404),
        ("fenna", HAARLEM, 404),
        ("anouk", HAARLEM, 404),
    ],
)
def test_page_permission_matrix(placed, login, username, gemeente, status):
    client_file, _ = placed()
    response = login(username, gemeente).get(url(client_file))
    assert response.status_code == status
    assert reads(client_file) == (1 if status == 200 else 0)


def test_anonymous_goes_to_login(placed, client):
    client_file, _ = placed()
    response = client.get(url(client_file))
    assert response.status_code == 302
    assert "inloggen" in response["Location"]
    assert reads(client_file) == 0


def test_page_shows_the_figures_and_the_signal(placed, report, login):
    client_file, enrolment = placed()
    report(enrolment, 1, offered="10", attended="7", unauthorised="3")
    response = login("kim").get(url(client_file))
    html = response.content.decode()
    assert "70,0 %" in html
    assert "Signaal: onder de drempel van 80 %" in html
    assert "1 dossier onder de drempel" in html
    assert f"Dossier {client_file.pk}: Amal Haddad" in html
    assert "Examen lezen" in html  # voldaan: what is still missing
    assert "Leerroute wijzigen" in html
    assert "Oordeel vastleggen" in html
    assert AuditEvent.objects.filter(event_type="low_attendance_listed", changes={"result_count": 1}).exists()


def test_who_may_only_read_the_voortgang_sees_no_forms(placed, login, actor):
    """No role reads the voortgang without the right to change it by law, so the gemeente narrows the klantregisseur
    to reading it (#12 item 1): the page reads, without the judgement and route-switch forms."""
    client_file, _ = placed()
    set_section_access(actor=actor("fenna"), role_code="klantregisseur", section="voortgang", access=Access.READ)
    response = login("kim").get(url(client_file))
    html = response.content.decode()
    assert response.status_code == 200
    assert reads(client_file) == 1
    assert "Oordeel vastleggen" not in html
    assert 'action="' + url(client_file, "route-switch") not in html


def test_file_page_links_to_voortgang(placed, login):
    client_file, _ = placed()
    html = login("kim").get(reverse("clients:detail", kwargs={"file_id": client_file.pk})).content.decode()
    assert url(client_file) in html


def test_judgement_form(placed, login):
    client_file, _ = placed()
    client = login("kim")
    response = client.post(url(client_file, "judgement"), {"judgement-reasoning": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Fout: " in html
    assert "Schrijf op waarop u uw oordeel baseert." in html
    assert not AfschalenJudgement.objects.exists()
    response = client.post(
        url(client_file, "judgement"),
        {"judgement-sufficient_effort": "ja", "judgement-b1_reachable_in_termijn": "nee", "judgement-reasoning": "Ok"},
    )
    assert response.status_code == 302
    judgement = AfschalenJudgement.objects.get()
    assert judgement.sufficient_effort
    assert not judgement.b1_reachable_in_termijn
    assert judgement.reason == "under_600_hours"


@pytest.mark.parametrize(("username", "gemeente"), [("frank", HAARLEM), ("zeynep", ZANDVOORT), ("fenna", HAARLEM)])
def test_changes_denied_write_nothing(placed, login, username, gemeente):
    client_file, _ = placed()
    client = login(username, gemeente)
    data = {"judgement-sufficient_effort": "ja", "judgement-b1_reachable_in_termijn": "nee", "judgement-reasoning": "x"}
    assert client.post(url(client_file, "judgement"), data).status_code == 404
    data = {"switch-to_route": "z", "switch-change_reason": "x"}
    assert client.post(url(client_file, "route-switch"), data).status_code == 404
    assert not AfschalenJudgement.objects.exists()
    assert PipVersion.objects.filter(client_file=client_file).count() == 1


def test_route_switch_button_creates_a_concept(placed, login):
    client_file, _ = placed()
    response = login("kim").post(
        url(client_file, "route-switch"), {"switch-to_route": "z", "switch-change_reason": "Te moeilijk."}
    )
    draft = PipVersion.objects.get(client_file=client_file, status="concept")
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:version", kwargs={"file_id": client_file.pk, "version_id": draft.pk})
    assert draft.leerroute == "z"


def test_route_switch_outside_the_window_shows_a_dutch_error(placed, login):
    client_file, _ = placed()
    ClientFile.objects.filter(pk=client_file.pk).update(pip_dagtekening_on=today() - timedelta(days=800))
    response = login("kim").post(
        url(client_file, "route-switch"), {"switch-to_route": "z", "switch-change_reason": "Te moeilijk."}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Fout: " in html
    assert "De leerroute kan niet meer veranderen" in html
    assert PipVersion.objects.filter(client_file=client_file).count() == 1


def test_settings_page(login, staff):
    page = reverse("progress-settings:edit")
    assert login("kim").get(page).status_code == 404
    assert login("frank").get(page).status_code == 404
    client = login("fenna")
    assert client.get(page).status_code == 200
    response = client.post(page, {"attendance_threshold_percent": "150"})
    assert response.status_code == 400
    assert "Vul een heel getal in tussen 1 en 100." in response.content.decode()
    assert not ProgressSettings.objects.exists()
    assert client.post(page, {"attendance_threshold_percent": "75"}).status_code == 302
    assert ProgressSettings.objects.get().attendance_threshold_percent == 75
    assert AuditEvent.objects.filter(event_type="progress_settings_changed", actor=staff["fenna"]).count() == 1


def test_page_uses_a_constant_number_of_queries(
    placed, report, login, enrol, regional_contract, django_assert_max_num_queries
):
    client_file, enrolment = placed()
    report(enrolment, 1, offered="10", attended="5")
    client = login("kim")
    client.get(url(client_file))  # warm-up: the gemeente's threshold is cached from the first page on
    counts = []
    for weeks_back, component in ((2, "pvt"), (3, "map")):
        with django_assert_max_num_queries(40) as ctx:
            assert client.get(url(client_file)).status_code == 200
        counts.append(len(ctx.captured_queries))
        extra = enrol(client_file, regional_contract, component=component, accepted=True)
        report(extra, weeks_back, offered="10", attended="2")
        _other, other_enrolment = placed()
        report(other_enrolment, 1, offered="10", attended="1")
    with django_assert_max_num_queries(40) as ctx:
        assert client.get(url(client_file)).status_code == 200
    counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == counts[2]
