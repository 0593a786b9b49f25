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
    cohort: Fixture,  # noqa: F811
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
    assert "Nog niet beschikbaar: een verlenging" in html
    assert 'href="/monitoring/gemeente/key.csv?van=2026-01&amp;tot=2026-12"' in html
    event = AuditEvent.objects.get(event_type="monitoring_figures_viewed", actor__username=username)
    assert event.client_file_id is None
    assert event.changes["filters"]["van"] == "2026-01"


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["kim", "carla", "anouk", "frank", "fenna"])
def test_other_roles_get_404_and_nothing_is_audited(
    cohort: Fixture,  # noqa: F811
    login: Callable[..., Client],
    username: str,
) -> None:
    client = login(username)
    assert client.get(PAGE).status_code == 404
    assert client.get("/monitoring/gemeente/key.csv").status_code == 404
    assert not AuditEvent.objects.filter(event_type__startswith="monitoring_figures").exists()


@pytest.mark.django_db
def test_csv_has_the_same_rows_as_the_page_and_is_audited(
    cohort: Fixture,  # noqa: F811
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
def test_filters_doelgroep_and_bad_input(cohort: Fixture, login: Callable[..., Client]) -> None:  # noqa: F811
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
