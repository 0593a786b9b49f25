"""The gemeente dashboard page and its CSV: who may see it, what it shows, the audit (#16)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client

from openinburgering.audit.models import AuditEvent

from .test_aggregate_layer import Fixture, cohort  # noqa: F401 -- the hand-counted fixture

PAGE = "/monitoring/gemeente/?van=2026-01&tot=2026-12"


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["bram", "tamara"])
def test_gemeente_dashboard_shows_tables_charts_and_definitions(
    cohort: Fixture,  # noqa: F811 -- the fixture imported by name
    login: Callable[..., Client],
    username: str,
) -> None:
    response = login(username).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cijfers van de gemeente" in html
    assert '<svg class="app-chart" id="chart-inflow" role="img"' in html
    assert 'id="chart-pip_time"' in html
    assert "Definitie:</strong> Dossiers met een kennisgeving" not in html  # definitions are per figure
    assert "Besluit inburgering 2021 art. 5.3" in html
    assert "Periode: <strong>jan 2026 tot en met dec 2026</strong>" in html
    assert "Dossiers waarvan DUO een verlengde inburgeringstermijn meldde" in html
    assert 'href="/monitoring/gemeente/key.csv?van=2026-01&amp;tot=2026-12"' in html
    event = AuditEvent.objects.get(event_type="monitoring_figures_viewed", actor__username=username)
    assert event.client_file_id is None
    assert event.changes["filters"]["van"] == "2026-01"


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["kim", "carla", "anouk", "frank", "fenna"])
def test_other_roles_get_404_and_nothing_is_audited(
    cohort: Fixture,  # noqa: F811 -- the fixture imported by name
    login: Callable[..., Client],
    username: str,
) -> None:
    client = login(username)
    assert client.get(PAGE).status_code == 404
    assert client.get("/monitoring/gemeente/key.csv").status_code == 404
    assert not AuditEvent.objects.filter(event_type__startswith="monitoring_figures").exists()


@pytest.mark.django_db
def test_csv_has_the_same_rows_as_the_page_and_is_audited(
    cohort: Fixture,  # noqa: F811 -- the fixture imported by name
    login: Callable[..., Client],
) -> None:
    response = login("bram").get("/monitoring/gemeente/key.csv?van=2026-01&tot=2026-12")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Cijfer", "Aantal", "Van", "Procent", "Uitleg"]
    by_label = {row[0]: row[1:4] for row in rows[1:]}
    assert by_label["PIP op tijd"] == ["1", "3", "33"]
    assert by_label["Bereikt met een brede intake"] == ["3", "4", "75"]
    event = AuditEvent.objects.get(event_type="monitoring_figures_exported")
    assert (event.subject_id, event.changes["rows"]) == ("gemeente:key", len(rows) - 1)
    assert login("bram").get("/monitoring/gemeente/bestaat-niet.csv").status_code == 404


@pytest.mark.django_db
def test_filters_doelgroep_and_bad_input(cohort: Fixture, login: Callable[..., Client]) -> None:  # noqa: F811 -- the fixture imported by name
    client = login("bram")
    response = client.get("/monitoring/gemeente/key.csv?van=2026-01&tot=2026-12&doelgroep=gezinsmigrant")
    by_label = {row[0]: row[1:4] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")),
                                                        delimiter=";")}  # fmt: skip
    assert by_label["Bereikt met een brede intake"] == ["1", "1", "100"]
    bad = client.get("/monitoring/gemeente/?van=2026-13&tot=2026-01")
    assert bad.status_code == 400
    assert "Vul een maand in als jaar-maand" in bad.content.decode()
    reversed_period = client.get("/monitoring/gemeente/?van=2026-06&tot=2026-01")
    assert reversed_period.status_code == 400
    assert "De laatste maand ligt voor de eerste maand." in reversed_period.content.decode()


@pytest.mark.django_db
def test_team_page_side_by_side_for_the_teamleider_and_own_row_for_a_klantregisseur(
    cohort: Fixture,  # noqa: F811 -- the fixture imported by name
    login: Callable[..., Client],
) -> None:
    from datetime import timedelta

    from openinburgering.clients.models import ClientFile
    from openinburgering.core.dates import today

    files = cohort.files
    ClientFile.objects.filter(pk=files["f1"].pk).update(next_deadline_on=today() - timedelta(days=1))
    ClientFile.objects.filter(pk=files["f2"].pk).update(next_deadline_on=today() + timedelta(days=6))
    ClientFile.objects.filter(pk=files["f3"].pk).update(next_deadline_on=today() + timedelta(days=7))
    ClientFile.objects.filter(pk=files["f5"].pk).update(next_deadline_on=None)
    page = login("tamara").get("/monitoring/team/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Werkverdeling per klantregisseur" in html
    assert "Youssef El Amrani" in html  # every caseworker side by side, also with an empty caseload
    kim = cohort.files["f1"].assigned_to_id
    assert f'href="/dossiers/team/?assigned={kim}&amp;due=overdue"' in html
    response = login("tamara").get("/api/v1/monitoring/team")
    rows = {row["name"]: row for row in response.json()}
    # kim: f1..f5 assigned; f4 is voldaan (not under the plicht): caseload 4; f1 overdue; f2 this week
    assert (rows["Kim de Vries"]["caseload"], rows["Kim de Vries"]["overdue"], rows["Kim de Vries"]["this_week"],
            rows["Kim de Vries"]["unplanned"]) == (4, 1, 1, 1)  # fmt: skip
    assert rows["Youssef El Amrani"]["caseload"] == 0
    own = login("kim").get("/api/v1/monitoring/team").json()
    assert [row["name"] for row in own] == ["Kim de Vries"]
    assert login("bram").get("/monitoring/team/").status_code == 404
    assert login("bram").get("/api/v1/monitoring/team").status_code == 404


@pytest.mark.django_db
def test_kis_page_csv_and_api(cohort: Fixture, login: Callable[..., Client]) -> None:  # noqa: F811 -- the fixture imported by name
    client = login("bram")
    html = client.get("/monitoring/kis/?jaar=2026").content.decode()
    assert "KIS-Monitor: thema&#x27;s over 2026" in html or "KIS-Monitor: thema's over 2026" in html
    text = client.get("/monitoring/kis.csv?jaar=2026").content.decode("utf-8-sig")
    rows = {row[1]: row[2:5] for row in csv.reader(io.StringIO(text), delimiter=";")}
    assert rows["Brede intake klaar vóór de huisvesting"] == ["1", "2", "50"]
    assert rows["Gezinsmigranten bereikt met een brede intake"] == ["1", "1", "100"]
    assert rows["Duaal traject in het PIP"] == ["1", "2", "50"]
    assert rows["Werk"] == ["1", "1", "100"]
    assert rows["B1-route"] == ["1", "2", "50"]
    assert AuditEvent.objects.filter(event_type="monitoring_figures_exported", subject_id="kis").count() == 1
    assert login("kim").get("/monitoring/kis/").status_code == 404


@pytest.mark.django_db
def test_gemeente_api_gives_the_same_tables(cohort: Fixture, login: Callable[..., Client]) -> None:  # noqa: F811 -- the fixture imported by name
    response = login("bram").get("/api/v1/monitoring/gemeente?van=2026-01&tot=2026-12")
    assert response.status_code == 200
    tables = {t["key"]: t for t in response.json()["tables"]}
    key = {row[0]: row[1:4] for row in tables["key"]["rows"]}
    assert key["PIP op tijd"] == [1, 3, 33]
    assert tables["averages"]["rows"][0][1] == "34.3"
    assert AuditEvent.objects.filter(event_type="monitoring_figures_viewed", via="api").count() == 1
    assert login("bram").get("/api/v1/monitoring/gemeente?van=2026-05&tot=2026-01").status_code == 400
    assert login("carla").get("/api/v1/monitoring/gemeente").status_code == 404
