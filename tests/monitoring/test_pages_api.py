"""Pages, CSV export, API and the permission matrix of the monitoring app."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from openinburgering.audit.models import AuditEvent
from openinburgering.demo.personas import ZANDVOORT
from openinburgering.monitoring.export import safe_cell, to_csv
from openinburgering.monitoring.models import LessonVisit, SatisfactionSurvey

from .conftest import Figures

DASHBOARD = "/monitoring/"
PAGES = [DASHBOARD, "/monitoring/export/contracten.csv", "/monitoring/export/cohorten.csv"]
API = ["/api/v1/monitoring/contracts", "/api/v1/monitoring/cohorts"]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["carla", "bram"])
def test_viewers_see_the_dashboard_with_charts(figures: Figures, login: Callable[..., Client], username: str) -> None:
    response = login(username).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg class="app-chart" id="chart-hours" role="img" aria-labelledby="chart-hours-title' in html
    assert '<title id="chart-hours-title">Uren per contract' in html
    assert '<title id="chart-cohorts-title">' in html
    assert "aangeboden: 20" in html  # the value is written next to its bar, not only a colour
    assert "Regio mix" in html
    assert "Spaarne B1" in html
    assert "€ 420,00" in html
    assert "Vervolg onbekend" in html
    assert 'id="chart-outcomes"' in html
    event = AuditEvent.objects.get(event_type="monitoring_dashboard_viewed", actor__username=username)
    assert event.client_file_id is None


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["kim", "tamara", "anouk", "fenna", "zeynep", "frank"])
def test_other_roles_get_404_and_no_audit(figures: Figures, login: Callable[..., Client], username: str) -> None:
    gemeente = ZANDVOORT if username == "zeynep" else "GM0392"
    client = login(username, gemeente)
    for path in [*PAGES, "/monitoring/lesbezoeken/nieuw/", "/monitoring/tevredenheid/nieuw/"]:
        assert client.get(path).status_code == 404, path
    for path in API:
        assert client.get(path).status_code == 404, path
    assert not AuditEvent.objects.filter(event_type__startswith="monitoring_").exists()


@pytest.mark.django_db
def test_anonymous_goes_to_login_and_api_gives_401(figures: Figures) -> None:
    client = Client()
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302
        assert "/account/" in response["Location"]
    for path in API:
        assert client.get(path).status_code == 401


@pytest.mark.django_db
def test_zandvoort_viewer_sees_only_zandvoort_figures(
    figures: Figures, zandvoort_viewer: Any, login: Callable[..., Client], api: Callable[..., Any]
) -> None:
    html = login("zeynep", ZANDVOORT).get(DASHBOARD).content.decode()
    assert "Regio mix" in html
    assert "Spaarne B1" not in html
    data = api("zeynep", ZANDVOORT).get("/api/v1/monitoring/contracts").json()
    assert [(row["contract"], row["enrolled"], row["hours_offered"]) for row in data] == [("Regio mix", 1, "8.00")]
    cohorts = api("zeynep", ZANDVOORT).get("/api/v1/monitoring/cohorts").json()
    assert sum(row["started"] for row in cohorts) == 1


@pytest.mark.django_db
def test_filter_error_rerenders_with_summary(figures: Figures, login: Callable[..., Client]) -> None:
    response = login("carla").get(DASHBOARD, {"van": "2026-02-01", "tot": "2026-01-01"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Fout: " in html
    assert "De einddatum ligt voor de begindatum." in html
    response = login("carla").get(DASHBOARD, {"contract": str(figures.regional.pk)})
    assert response.status_code == 200
    assert "Spaarne B1" not in response.content.decode().split("contracts-caption")[-1]


@pytest.mark.django_db
def test_csv_export_bom_separator_and_audit(figures: Figures, login: Callable[..., Client]) -> None:
    response = login("carla").get("/monitoring/export/contracten.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert header[0] == "aanbieder"
    assert body["Regio mix"]["kosten_totaal"] == "420,00"
    assert body["Spaarne B1"]["uren_aanwezig"] == "18,0"
    event = AuditEvent.objects.get(event_type="monitoring_exported")
    assert event.changes["rows"] == 2
    assert event.subject_id == "contracts"
    cohorts = login("bram").get("/monitoring/export/cohorten.csv").content.decode("utf-8-sig")
    assert cohorts.splitlines()[0].startswith("cohort;gestart;b1_route")
    assert cohorts.splitlines()[0].endswith(
        ";participatie;voldaan;in_traject;voldaan_vervolg_onbekend;pip_geteld;pip_op_tijd;pip_op_tijd_procent;"
        "voldaan_geteld;voldaan_binnen_termijn;voldaan_binnen_termijn_procent"
    )


def test_csv_is_formula_injection_safe() -> None:
    for dangerous in ("=SUM(A1)", "+1", "-2", "@cmd", "\tx"):
        assert safe_cell(dangerous).startswith("'")
    assert safe_cell("Taalhuis") == "Taalhuis"
    content = to_csv(["naam"], [['=HYPERLINK("x")']]).decode("utf-8")
    assert content.startswith("\ufeffnaam\r\n\"'=HYPERLINK")


@pytest.mark.django_db
def test_api_figures_match_the_dashboard(figures: Figures, api: Callable[..., Any]) -> None:
    response = api("carla").get("/api/v1/monitoring/contracts")
    assert response.status_code == 200
    rows = {row["contract"]: row for row in response.json()}
    assert rows["Regio mix"]["cost_total"] == "420.00"
    assert rows["Regio mix"]["voldaan"] == 1
    assert {"part": "lezen", "attempts": 1, "passed": 1} in rows["Regio mix"]["exam_parts"]
    bad = api("carla").get("/api/v1/monitoring/contracts", {"van": "morgen"})
    assert bad.status_code == 400
    cohorts = api("bram").get("/api/v1/monitoring/cohorts").json()
    assert cohorts[0]["started"] == 2
    assert (cohorts[0]["work"], cohorts[0]["participation"], cohorts[0]["follow_up_unknown"]) == (0, 0, 1)
    assert AuditEvent.objects.filter(event_type="monitoring_dashboard_viewed", via="api").count() == 2


@pytest.mark.django_db
def test_page_query_count_is_constant(
    figures: Figures, login: Callable[..., Client], django_assert_max_num_queries: Any
) -> None:
    client = login("carla")
    client.get(DASHBOARD)
    with django_assert_max_num_queries(25):
        assert client.get(DASHBOARD).status_code == 200


@pytest.mark.django_db
def test_contractmanager_records_a_lesson_visit_and_survey(figures: Figures, login: Callable[..., Client]) -> None:
    client = login("carla")
    assert client.get("/monitoring/lesbezoeken/nieuw/").status_code == 200
    bad = client.post("/monitoring/lesbezoeken/nieuw/", {"provider_id": figures.local_provider.pk})
    assert bad.status_code == 400
    assert "Fout: " in bad.content.decode()
    assert not LessonVisit.objects.exists()
    wrong_contract = client.post("/monitoring/lesbezoeken/nieuw/", {
        "provider_id": figures.local_provider.pk, "contract_id": figures.regional.pk, "visited_on": "2026-02-03",
        "visitor": "Carla", "findings": "Goede les.", "score": "4"})  # fmt: skip
    assert wrong_contract.status_code == 400
    assert "hoort niet bij deze aanbieder" in wrong_contract.content.decode()
    ok = client.post("/monitoring/lesbezoeken/nieuw/", {
        "provider_id": figures.local_provider.pk, "contract_id": figures.local.pk, "visited_on": "2026-02-03",
        "visitor": "Carla", "findings": "Goede les.", "score": "4"})  # fmt: skip
    assert ok.status_code == 302
    assert LessonVisit.objects.get().score == 4
    assert AuditEvent.objects.filter(event_type="lesson_visit_recorded").count() == 1
    survey = {"provider_id": figures.local_provider.pk, "period_start_on": "2026-01-01", "period_end_on": "2026-03-31",
              "respondents": "10", "average_score": "", "percent_satisfied": ""}  # fmt: skip
    assert client.post("/monitoring/tevredenheid/nieuw/", survey).status_code == 400
    survey |= {"average_score": "7,5", "percent_satisfied": "80"}
    assert client.post("/monitoring/tevredenheid/nieuw/", survey).status_code == 302
    assert AuditEvent.objects.filter(event_type="satisfaction_survey_recorded").count() == 1
    html = client.get(DASHBOARD).content.decode()
    assert "gemiddeld 4,0 van 5" in html
    assert "cijfer 7,5" in html
    assert "80% tevreden" in html
    # A beleidsmedewerker may look, not enter.
    assert login("bram").get("/monitoring/lesbezoeken/nieuw/").status_code == 404
    assert SatisfactionSurvey.objects.count() == 1


@pytest.mark.django_db
def test_other_gemeentes_provider_is_404_for_entry(figures: Figures, login: Callable[..., Client]) -> None:
    from openinburgering.accounts.models import Gemeente
    from openinburgering.providers.models import Provider

    zandvoort_only = Provider.objects.create(name="Zand", kinds=[], gemeente=Gemeente.objects.get(code=ZANDVOORT))
    response = login("carla").post(
        "/monitoring/lesbezoeken/nieuw/",
        {"provider_id": zandvoort_only.pk, "visited_on": "2026-02-03", "visitor": "C", "findings": "x", "score": "3"},
    )
    # The form offers only providers in the actor's scope: another gemeente's provider is not a valid choice.
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "provider_id": [f"Selecteer een geldige keuze. {zandvoort_only.pk} is geen beschikbare keuze."]
    }
    assert not LessonVisit.objects.exists()
    assert not AuditEvent.objects.filter(event_type="lesson_visit_recorded").exists()
