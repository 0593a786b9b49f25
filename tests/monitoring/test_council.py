"""The council report (#16 item 6): figures from hand-set cells with small numbers suppressed (and no suppressed
number can be worked out), texts edited before the PDF, the PDF made by the real job, stored, read back, made
again from what is stored with the same bytes, downloads audited, and who may do what (404 otherwise)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from openinburgering.accounts.models import Gemeente, User
from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.core.jobs import run_queued_jobs
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.monitoring import council, council_services
from openinburgering.monitoring.council_models import CouncilReport, CouncilReportStatus
from openinburgering.monitoring.figures import Filters, add_months
from openinburgering.monitoring.models import FactCell
from openinburgering.monitoring.region import SMALL, WITHHELD, RegionTable

from .test_region import attack

PERIOD = Filters(month_from=date(2025, 1, 1), month_to=date(2025, 12, 1))

# Hand-set cells of Haarlem in 2025 (asielstatushouder unless said), plus one cell outside the period.
CELLS: list[tuple[str, str, int, str, int]] = [
    # (month, doelgroep, team, metric, value)
    ("2025-01", "asielstatushouder", 0, "inflow_kennisgeving", 9),
    ("2025-02", "asielstatushouder", 0, "inflow_kennisgeving", 4),
    ("2025-05", "gezinsmigrant", 0, "inflow_kennisgeving", 7),
    ("2025-11", "overig", 0, "inflow_kennisgeving", 2),
    ("2025-01", "asielstatushouder", 0, "inflow_vestiging", 6),
    ("2025-04", "asielstatushouder", 0, "inflow_vestiging", 6),
    ("2025-03", "asielstatushouder", 0, "route:b1", 8),
    ("2025-03", "asielstatushouder", 0, "route:z", 3),
    ("2025-06", "gezinsmigrant", 0, "route:b1", 6),
    ("2025-06", "gezinsmigrant", 0, "route:onderwijs", 1),
    ("2025-03", "asielstatushouder", 0, "pip_set", 11),
    ("2025-06", "gezinsmigrant", 0, "pip_set", 7),
    ("2025-03", "asielstatushouder", 0, "duaal", 6),
    ("2025-06", "gezinsmigrant", 0, "duaal", 1),
    ("2025-03", "asielstatushouder", 0, "pip_counted", 11),
    ("2025-06", "gezinsmigrant", 0, "pip_counted", 9),
    ("2025-03", "asielstatushouder", 0, "pip_on_time", 9),
    ("2025-06", "gezinsmigrant", 0, "pip_on_time", 8),
    ("2025-03", "asielstatushouder", 0, "pip_timed", 11),
    ("2025-03", "asielstatushouder", 0, "pip_days", 11 * 63),
    ("2025-03", "asielstatushouder", 0, "pip_weeks:9-10", 6),
    ("2025-03", "asielstatushouder", 0, "pip_weeks:11-12", 5),
    ("2025-03", "asielstatushouder", 0, "intake_timed", 3),
    ("2025-03", "asielstatushouder", 0, "intake_weeks:3-4", 3),
    ("2025-03", "asielstatushouder", 0, "intake_days", 90),
    ("2025-09", "overig", 0, "voldaan", 6),
    ("2025-09", "overig", 0, "outcome:werk", 5),
    ("2025-09", "overig", 0, "outcome:onbekend", 1),
    ("2025-10", "overig", 0, "fine", 2),
    ("2025-10", "overig", 0, "extension", 5),
    ("2025-10", "overig", 0, "extension_months", 30),
    ("2026-01", "asielstatushouder", 0, "inflow_kennisgeving", 50),  # after the period: never counted
]


def _set_cells(gemeente: Gemeente) -> None:
    FactCell.objects.bulk_create(
        FactCell(gemeente=gemeente, month=date.fromisoformat(month + "-01"), doelgroep=doelgroep, team=team,
                 metric=metric, value=value)
        for month, doelgroep, team, metric, value in CELLS
    )  # fmt: skip


@pytest.fixture
def haarlem(staff: dict[str, User]) -> Gemeente:
    gemeente = Gemeente.objects.get(code=HAARLEM)
    _set_cells(gemeente)
    return gemeente


def _rows(snapshot: dict[str, Any], key: str) -> list[tuple[str, list[str]]]:
    for theme in snapshot["themes"]:
        for table in theme["tables"]:
            if table["key"] == key:
                return [(row["label"], row["values"]) for row in table["rows"]]
    raise AssertionError(key)


def _table(snapshot: dict[str, Any], key: str) -> dict[str, list[str]]:
    return dict(_rows(snapshot, key))


@pytest.mark.django_db
def test_snapshot_counts_by_hand_suppresses_small_numbers_and_cannot_be_attacked(
    haarlem: Gemeente, monkeypatch: pytest.MonkeyPatch
) -> None:
    tables: list[RegionTable] = []
    real_suppress = council.suppress

    def collect(table: RegionTable) -> None:
        real_suppress(table)
        tables.append(table)

    monkeypatch.setattr(council, "suppress", collect)
    snapshot = council.build_snapshot(haarlem.pk, "Haarlem", PERIOD, taken_on=date(2026, 1, 15))

    inflow = _table(snapshot, "inflow")
    # Kennisgeving: jan-mrt 9 + 4 = 13, apr-jun 7, jul-sep 0, okt-dec 2 (two cells < 5), total 22.
    # Vestiging: 6, 6, 0, 0 -> total 12. Koppeling: nothing. The 2026 cell is outside the period.
    assert inflow["jan 2025 - mrt 2025"][0] == "13"
    assert inflow["apr 2025 - jun 2025"][0] == "7"
    assert inflow["jul 2025 - sep 2025"][0] == SMALL
    assert inflow["okt 2025 - dec 2025"][0] == SMALL
    assert inflow["Totaal"] == ["22", SMALL, "12"]
    # Vestiging 6 + 6 + "< 5" + "< 5" = 12 would pin both small cells to 0: one 6 is withheld as well.
    assert (inflow["jan 2025 - mrt 2025"][2], inflow["apr 2025 - jun 2025"][2]) == (WITHHELD, "6")

    routes = _table(snapshot, "routes")
    # Asielstatushouder: B1 8, onderwijs 0, Z 3 = 11; gezinsmigrant: 6, 1, 0 = 7; overig 0; total 14, 1, 3 = 18.
    assert routes["Totaal"][3] == "18"
    assert routes["Asielstatushouder"][1] == SMALL
    assert routes["Asielstatushouder"][2] == SMALL
    assert routes["Gezinsmigrant"][1] == SMALL
    assert routes["Totaal"][1] == SMALL
    assert routes["Totaal"][2] == SMALL

    on_time = _table(snapshot, "on_time")
    # PIP counted 20: on time 17, late 3 ("< 5"): 17 shown would give away the 3, so it is withheld too.
    assert on_time["Uitkomst PIP-termijn bekend"] == ["20", ""]
    assert on_time["PIP op tijd"] == [WITHHELD, ""]
    assert on_time["PIP te laat"] == [SMALL, ""]
    # PIP vastgesteld 11: 6 within 10 weeks, 5 later; both published, so the shares are given.
    rows = _rows(snapshot, "on_time")
    assert rows[3:6] == [("PIP vastgesteld", ["11", ""]), ("binnen 10 weken na de kennisgeving", ["6", "55%"]),
                         ("later dan 10 weken", ["5", "45%"])]  # fmt: skip
    assert rows[0] == ("Brede intake afgerond", [SMALL, ""])
    notes = next(t for t in snapshot["themes"] if t["key"] == "on_time")["tables"][0]["notes"]
    assert notes == [
        "Gemiddelde tijd tot de brede intake: niet getoond, want minder dan 5 dossiers.",
        "Gemiddelde tijd van de kennisgeving tot het PIP: 63,0 dagen.",
    ]

    conditions = _table(snapshot, "conditions")
    # PIP set 18, duaal 7 and zonder duaal 11: both published, so the share is given (7 / 18 = 39%).
    assert conditions["PIP vastgesteld"] == ["18", ""]
    assert conditions["met duaal traject (taal samen met werk of participatie)"] == ["7", "39%"]
    assert conditions["zonder duaal traject"] == ["11", "61%"]
    assert conditions["met kinderopvang geregeld"] == [SMALL, ""]

    voldaan = _table(snapshot, "voldaan")
    # Voldaan 6 = werk 5 + onbekend 1; the five "< 5" outcomes share 1, so none of them can be pinned.
    assert voldaan["Voldaan, met de situatie daarna"] == ["6", ""]
    assert voldaan["betaald werk"] == ["5", ""]
    assert voldaan["nog geen vervolgcontact of onbekend"] == [SMALL, ""]
    assert _table(snapshot, "enforcement") == {
        "Boetes opgelegd": [SMALL, ""],
        "Inburgeringstermijn verlengd door DUO": ["5", ""],
    }

    assert tables
    assert all(attack(table) == [] for table in tables)
    assert all(number >= 5 for number in council.published_numbers(snapshot))
    assert snapshot["version"] == council.SNAPSHOT_VERSION
    assert snapshot["period"] == "jan 2025 tot en met dec 2025"


def _report_page(client: Client, report: CouncilReport) -> str:
    response = client.get(f"/monitoring/raad/{report.pk}/")
    assert response.status_code == 200
    return str(response.content.decode())


@pytest.mark.django_db(transaction=False)
def test_bram_writes_the_texts_makes_the_pdf_and_it_is_made_again_the_same(
    haarlem: Gemeente, login: Callable[..., Client]
) -> None:
    bram = login("bram")
    page = bram.get("/monitoring/raad/")
    assert page.status_code == 200
    assert "Er zijn nog geen raadsrapporten." in page.content.decode()
    response = bram.post("/monitoring/raad/", {"titel": "Stand van zaken inburgering 2025", "van": "2025-01",
                                                "tot": "2025-12"})  # fmt: skip
    report = CouncilReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/monitoring/raad/{report.pk}/"
    assert report.status == CouncilReportStatus.CONCEPT
    assert report.texts["inflow"] == (
        "In deze periode kregen 22 mensen een kennisgeving van DUO. 12 mensen kwamen in onze gemeente wonen."
    )
    html = _report_page(bram, report)
    assert "Tekst bij &#x27;Instroom&#x27;" in html
    assert 'data-suppressed="ja"' in html
    assert '<svg class="app-chart" id="chart-inflow" role="img"' in html

    texts = {f"tekst_{key}": f"Tekst over {key}." for key in council.THEME_KEYS}
    texts["tekst_voldaan"] = "Zes mensen ronden af.\nDe meesten werken nu."
    assert bram.post(f"/monitoring/raad/{report.pk}/", {**texts, "maken": "1"}).status_code == 302
    report.refresh_from_db()
    assert report.status == CouncilReportStatus.QUEUED
    assert report.job is not None
    assert report.texts["voldaan"] == "Zes mensen ronden af.\nDe meesten werken nu."
    assert bram.get(f"/monitoring/raad/{report.pk}/rapport.pdf").status_code == 404  # not made yet

    run_queued_jobs()
    report.refresh_from_db()
    assert report.status == CouncilReportStatus.READY
    assert report.size == len(bytes(report.content))
    first = bytes(report.content)
    assert first.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(first)).pages)
    for expected in ("Stand van zaken inburgering 2025", "jan 2025 tot en met dec 2025", "Tekst over inflow.",
                     "De meesten werken nu.", "Leerroute per doelgroep", "< 5", "Gemeente Haarlem"):  # fmt: skip
        assert expected in text, expected
    assert "Pagina 1 van" in text

    download = bram.get(f"/monitoring/raad/{report.pk}/rapport.pdf")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert bytes(download.content) == first
    event = AuditEvent.objects.get(event_type="council_report_downloaded")
    assert (event.actor.username, event.subject_id, event.client_file_id) == ("bram", str(report.pk), None)

    # The figures change afterwards; the report is made again from what is stored: the same bytes.
    FactCell.objects.filter(gemeente=haarlem).update(value=99)
    assert bram.post(f"/monitoring/raad/{report.pk}/maken/").status_code == 302
    run_queued_jobs()
    report.refresh_from_db()
    assert bytes(report.content) == first
    assert report.job is not None
    assert report.job.result == {"same": True}
    assert AuditEvent.objects.get(event_type="council_report_regenerated").changes == {"same": True}

    # A made report stays as it is.
    response = bram.post(f"/monitoring/raad/{report.pk}/", {**texts, "opslaan": "1"})
    assert response.status_code == 400
    assert "Dit rapport is al gemaakt." in response.content.decode()
    report.refresh_from_db()
    assert report.texts["inflow"] == "Tekst over inflow."
    types = set(AuditEvent.objects.filter(subject_type="councilreport").values_list("event_type", flat=True))
    assert types == {
        "council_reports_listed", "council_report_created", "council_report_viewed", "council_report_changed",
        "council_report_generation_started", "council_report_generated", "council_report_downloaded",
        "council_report_regenerated",
    }  # fmt: skip


@pytest.mark.django_db
def test_bad_input_gives_dutch_errors_and_no_report(haarlem: Gemeente, login: Callable[..., Client]) -> None:
    bram = login("bram")
    response = bram.post("/monitoring/raad/", {"titel": " ", "van": "2025-12", "tot": "2025-01"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Geef het rapport een titel." in html
    response = bram.post("/monitoring/raad/", {"titel": "Rapport", "van": "", "tot": "2025-01"})
    assert "Vul de eerste maand in, bijvoorbeeld 2025-01." in response.content.decode()
    response = bram.post("/monitoring/raad/", {"titel": "Rapport", "van": "2025-12", "tot": "2025-01"})
    assert "De laatste maand ligt voor de eerste maand." in response.content.decode()
    response = bram.post("/monitoring/raad/", {"titel": "Rapport", "van": "2020-12", "tot": "2021-01"})
    assert "Kies een periode vanaf januari 2021" in response.content.decode()
    next_month = add_months(today().replace(day=1), 1).strftime("%Y-%m")
    response = bram.post("/monitoring/raad/", {"titel": "Rapport", "van": "2025-01", "tot": next_month})
    assert "Kies als laatste maand deze maand of een maand die al voorbij is." in response.content.decode()
    assert not CouncilReport.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["kim", "carla", "anouk", "frank", "fenna", "rik"])
def test_other_roles_and_other_gemeenten_get_404_and_nothing_is_read(
    haarlem: Gemeente, login: Callable[..., Client], actor: Callable[..., Any], username: str
) -> None:
    report = council_services.create_report(actor=actor("bram"), title="Rapport", month_from=date(2025, 1, 1),
                                            month_to=date(2025, 12, 1))  # fmt: skip
    before = AuditEvent.objects.count()
    client = login(username)
    for path in ("/monitoring/raad/", f"/monitoring/raad/{report.pk}/", f"/monitoring/raad/{report.pk}/rapport.pdf"):
        assert client.get(path).status_code == 404, path
    for path in (f"/monitoring/raad/{report.pk}/maken/", f"/monitoring/raad/{report.pk}/cijfers/"):
        assert client.post(path).status_code == 404, path
    assert client.post("/monitoring/raad/", {"titel": "X", "van": "2025-01", "tot": "2025-02"}).status_code == 404
    assert AuditEvent.objects.count() == before
    report.refresh_from_db()
    assert report.status == CouncilReportStatus.CONCEPT
    assert report.job is None
    assert CouncilReport.objects.count() == 1


@pytest.mark.django_db
def test_zandvoort_teamleider_sees_only_zandvoort_reports(
    haarlem: Gemeente, login: Callable[..., Client], actor: Callable[..., Any]
) -> None:
    council_services.create_report(actor=actor("bram"), title="Haarlem", month_from=date(2025, 1, 1),
                                   month_to=date(2025, 3, 1))  # fmt: skip
    zoe = login("zoe", ZANDVOORT)
    assert zoe.post("/monitoring/raad/", {"titel": "Zandvoort", "van": "2025-01", "tot": "2025-03"}).status_code == 302
    html = zoe.get("/monitoring/raad/").content.decode()
    assert "Zandvoort" in html
    assert ">Haarlem<" not in html
    haarlem_report = CouncilReport.objects.get(title="Haarlem")
    before = AuditEvent.objects.count()
    for path in (f"/monitoring/raad/{haarlem_report.pk}/", f"/monitoring/raad/{haarlem_report.pk}/rapport.pdf"):
        assert zoe.get(path).status_code == 404
    assert zoe.post(f"/monitoring/raad/{haarlem_report.pk}/maken/").status_code == 404
    assert AuditEvent.objects.count() == before
    mine = CouncilReport.objects.get(title="Zandvoort")
    assert mine.gemeente.code == ZANDVOORT
    assert _table(mine.snapshot, "inflow")["Totaal"] == [SMALL, SMALL, SMALL]  # Zandvoort has no cells


@pytest.mark.django_db
def test_refresh_takes_the_figures_again_and_keeps_the_texts(
    haarlem: Gemeente, login: Callable[..., Client], actor: Callable[..., Any]
) -> None:
    report = council_services.create_report(actor=actor("tamara"), title="Rapport", month_from=date(2025, 1, 1),
                                            month_to=date(2025, 12, 1))  # fmt: skip
    council_services.update_texts(actor=actor("tamara"), report=report, texts={"inflow": "Eigen tekst."})
    FactCell.objects.create(gemeente=haarlem, month=date(2025, 8, 1), doelgroep="overig", team=0,
                            metric="inflow_kennisgeving", value=8)  # fmt: skip
    assert login("tamara").post(f"/monitoring/raad/{report.pk}/cijfers/").status_code == 302
    report.refresh_from_db()
    assert _table(report.snapshot, "inflow")["Totaal"][0] == "30"
    assert report.texts["inflow"] == "Eigen tekst."


@pytest.mark.django_db
def test_api_create_edit_make_and_download(haarlem: Gemeente, api: Callable[..., Any]) -> None:
    client = api("bram")
    response = client.post("/api/v1/monitoring/raadsrapporten", {"titel": "Via de API", "van": "2025-01",
                                                                   "tot": "2025-12"})  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    report_id = body["id"]
    assert body["status"] == "concept"
    assert body["pdf_url"] is None
    assert body["van"] == "2025-01"
    assert [theme["key"] for theme in body["themes"]] == list(council.THEME_KEYS)
    inflow = body["themes"][0]["tables"][0]
    assert inflow["rows"][-1] == {"label": "Totaal", "level": 0, "values": ["22", SMALL, "12"]}

    assert client.patch(f"/api/v1/monitoring/raadsrapporten/{report_id}",
                        {"teksten": {"onbekend": "x"}}).status_code == 400  # fmt: skip
    response = client.patch(f"/api/v1/monitoring/raadsrapporten/{report_id}", {"teksten": {"routes": "Over routes."}})
    assert response.status_code == 200
    assert response.json()["themes"][2]["text"] == "Over routes."
    response = client.post(f"/api/v1/monitoring/raadsrapporten/{report_id}/maken")
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert client.get(f"/api/v1/monitoring/raadsrapporten/{report_id}/pdf").status_code == 404
    run_queued_jobs()
    listed = client.get("/api/v1/monitoring/raadsrapporten").json()
    assert [(r["id"], r["status"]) for r in listed] == [(report_id, "ready")]
    assert listed[0]["pdf_url"] == f"/api/v1/monitoring/raadsrapporten/{report_id}/pdf"
    pdf = client.get(listed[0]["pdf_url"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert len(listed[0]["sha256"]) == 64
    response = client.patch(f"/api/v1/monitoring/raadsrapporten/{report_id}", {"teksten": {"routes": "Anders."}})
    assert response.status_code == 409
    assert AuditEvent.objects.filter(event_type="council_report_downloaded", via="api").count() == 1
    assert api("kim").get(f"/api/v1/monitoring/raadsrapporten/{report_id}").status_code == 404
    assert api("zoe", ZANDVOORT).get(f"/api/v1/monitoring/raadsrapporten/{report_id}").status_code == 404
