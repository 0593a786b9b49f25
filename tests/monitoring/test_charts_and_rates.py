"""Charts that can be compared and read (#11 item 11): a visible title and a legend on every chart, one colour per
meaning across charts, one scale for the cohort charts that are read side by side, labels that wrap instead of
being cut off; and the timeliness rates per cohort (PIP on time, voldaan within the termijn) on a hand-counted
fixture, in the table, the CSV and the API."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import User
from openinburgering.clients.models import ClientFile, StatusChange
from openinburgering.monitoring.charts import LABEL_CHARS, STARTED, WORK, Group, bar_chart, wrap
from openinburgering.monitoring.selectors import Filters, cohort_table
from openinburgering.plans.models import PipVersion

from .conftest import Figures
from .test_figures import record

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
RECT = re.compile(r'<rect x="0" y="[\d.]+" width="([\d.]+)" height="14" fill="(#[0-9a-f]{6})" [^>]*'
                  r'data-series="(\w+)" data-value="([\d.]+)"/>')  # fmt: skip


def _chart(html: str, chart_id: str) -> str:
    start = html.index(f'<svg class="app-chart" id="{chart_id}"')
    return html[start : html.index("</svg>", start)]


def _figure(html: str, chart_id: str) -> str:
    """The <figure> around the chart: its caption and legend come before the SVG."""
    svg = html.index(f'<svg class="app-chart" id="{chart_id}"')
    return html[html.rindex('<figure class="app-chart-figure">', 0, svg) : html.index("</figure>", svg)]


@pytest.mark.django_db
def test_the_cohort_charts_share_one_scale(figures: Figures, login: Callable[..., Client]) -> None:
    # 2 started, 1 voldaan (f2), 1 at work (f2): before, "aan het werk: 1" was as long as "gestart: 2".
    record(figures.haarlem_files[1], "werk", days_ago=3)
    html = login("carla").get("/monitoring/").content.decode()
    bars = RECT.findall(_chart(html, "chart-cohorts")) + RECT.findall(_chart(html, "chart-outcomes"))
    widths = {(series, Decimal(value)): Decimal(width) for width, _, series, value in bars}
    assert widths[("started", Decimal(2))] == Decimal(170)
    assert widths[("voldaan", Decimal(1))] == Decimal(85)
    assert widths[("work", Decimal(1))] == Decimal(85)  # half of "gestart: 2", on the other chart


def test_bar_lengths_follow_the_given_scale() -> None:
    html = bar_chart(chart_id="c", title="T", description="D", series=[STARTED, WORK],
                     groups=[Group("2023", [5, 2])], scale_max=20)  # fmt: skip
    assert [(width, series) for width, _, series, _ in RECT.findall(html)] == [("42.5", "started"), ("17.0", "work")]


@pytest.mark.django_db
def test_every_chart_has_a_visible_title_and_a_legend(figures: Figures, login: Callable[..., Client]) -> None:
    html = login("carla").get("/monitoring/").content.decode()
    expected = {
        "chart-hours": ("Uren per contract: gecontracteerd, aangeboden en aanwezig",
                        ["gecontracteerd", "aangeboden", "aanwezig"]),
        "chart-cohorts": ("Per cohort: gestart, in traject en voldaan", ["gestart", "in traject", "voldaan"]),
        "chart-outcomes": ("Per cohort na de inburgering: aan het werk, in onderwijs en participatie",
                           ["aan het werk", "in onderwijs", "participatie"]),
        "chart-on-time": ("Per cohort: PIP op tijd en voldaan binnen de termijn (procent)",
                          ["PIP op tijd", "voldaan binnen de termijn"]),
    }  # fmt: skip
    assert html.count('<figure class="app-chart-figure">') == len(expected)
    for chart_id, (title, legend) in expected.items():
        figure = _figure(html, chart_id)
        assert re.findall(r'<figcaption class="app-chart-figure__title">([^<]*)</figcaption>', figure) == [title]
        assert f'<title id="{chart_id}-title">{title}</title>' in figure
        assert re.findall(r'aria-hidden="true" focusable="false"><rect [^>]*/></svg>([^<]*)</li>', figure) == legend


@pytest.mark.django_db
def test_one_colour_means_one_thing_on_every_chart(figures: Figures, login: Callable[..., Client]) -> None:
    html = login("carla").get("/monitoring/").content.decode()
    colours: dict[str, set[str]] = {}
    for series, colour in re.findall(r'data-series="(\w+)"><svg [^>]*><rect [^>]*fill="(#[0-9a-f]{6})"', html):
        colours.setdefault(series, set()).add(colour)
    for _, colour, series, _ in RECT.findall(html):
        colours.setdefault(series, set()).add(colour)
    assert sorted(colours) == sorted([
        "hours_contracted", "hours_offered", "hours_attended", "started", "in_traject", "voldaan", "work",
        "education", "participation", "pip_on_time", "voldaan_on_time",
    ])  # fmt: skip
    assert all(len(found) == 1 for found in colours.values()), colours
    assert len({found.pop() for found in colours.values()}) == len(colours)  # and no colour has two meanings


@pytest.mark.django_db
def test_a_long_contract_name_wraps_instead_of_being_cut_off(figures: Figures, login: Callable[..., Client]) -> None:
    figures.regional_provider.name = "Taalcentrum Zuid-Kennemerland en IJmond"
    figures.regional_provider.save()
    figures.regional.name = "Inburgering B1-route en onderwijsroute 2026"
    figures.regional.save()
    chart = _chart(login("carla").get("/monitoring/").content.decode(), "chart-hours")
    lines = re.findall(r'<text x="0" y="\d+" font-size="11" font-weight="bold">([^<]*)</text>', chart)
    label = "Taalcentrum Zuid-Kennemerland en IJmond: Inburgering B1-route en onderwijsroute 2026"
    assert lines == ["Taalbureau Spaarne: Spaarne B1", *wrap(label)]
    assert " ".join(wrap(label)) == label
    assert [len(line) <= LABEL_CHARS for line in wrap(label)] == [True, True]


# ---------------------------------------------------------------------------------------------------------------
# Timeliness per cohort

AS_OF = date(2026, 12, 1)
K = date(2025, 7, 1)  # the make_file default kennisgeving: due 10 weeks later, Tuesday 2025-09-09


def _termijn(staff: dict[str, User], client_file: ClientFile, end: date) -> None:
    PipVersion.objects.create(
        client_file=client_file, number=1, status="vastgesteld", leerroute="b1", drafted_at=timezone.now(),
        drafted_by=staff["kim"], approved_at=timezone.now(), approved_by=staff["tamara"],
        dagtekening_on=date(2025, 9, 1), termijn_start_on=date(2025, 9, 2), termijn_end_on=end,
    )  # fmt: skip


def _voldaan(staff: dict[str, User], client_file: ClientFile, at: datetime) -> None:
    ClientFile.objects.filter(pk=client_file.pk).update(status="voldaan")
    StatusChange.objects.create(client_file=client_file, from_status="in_traject", to_status="voldaan",
                                changed_at=at, changed_by=staff["kim"])  # fmt: skip


@pytest.fixture
def timeliness(staff: dict[str, User], make_file: Callable[..., ClientFile]) -> None:
    """Cohort 2025, PIP: a on the last day (on time), b a day late, c no PIP and the day passed (late); not
    counted: d (the day is still ahead), e (moved away without a PIP), f (waiting for the BRP registration).
    Cohort 2025, voldaan: i and a within the termijn, b at 00:30 in Amsterdam on the day after the termijn
    (late; in UTC it is still the last day), g still in traject after the termijn (late); not counted: h (termijn
    still running), c (no termijn). Cohort 2024: j, PIP on time.
    PIP 2025: 1 of 3 = 33%. Voldaan 2025: 2 of 4 = 50%. PIP 2024: 1 of 1 = 100%."""
    assert rules.pip_deadline(kennisgeving_on=K).pip_due_on == date(2025, 9, 9)
    f = {name: make_file(person={"surname": name}) for name in "abcdefghij"}
    ClientFile.objects.filter(pk__in=[x.pk for x in f.values()]).update(opened_on=date(2025, 7, 1),
                                                                       status="in_traject")  # fmt: skip
    ClientFile.objects.filter(pk=f["a"].pk).update(pip_dagtekening_on=date(2025, 9, 9))
    ClientFile.objects.filter(pk=f["b"].pk).update(pip_dagtekening_on=date(2025, 9, 10))
    ClientFile.objects.filter(pk=f["c"].pk).update(status="intake")
    ClientFile.objects.filter(pk=f["d"].pk).update(status="intake", kennisgeving_on=date(2026, 11, 2))
    ClientFile.objects.filter(pk=f["e"].pk).update(status="verhuisd")
    ClientFile.objects.filter(pk=f["f"].pk).update(status="aangemeld", housed_under_taakstelling=True,
                                                   registered_on=None)  # fmt: skip
    ClientFile.objects.filter(pk__in=[f["g"].pk, f["h"].pk, f["i"].pk]).update(kennisgeving_on=None)
    ClientFile.objects.filter(pk=f["j"].pk).update(opened_on=date(2024, 3, 1), pip_dagtekening_on=date(2025, 8, 1))
    _termijn(staff, f["a"], date(2028, 9, 9))
    _voldaan(staff, f["a"], datetime(2026, 6, 1, 12, tzinfo=AMSTERDAM))
    _termijn(staff, f["b"], date(2026, 5, 31))
    _voldaan(staff, f["b"], datetime(2026, 6, 1, 0, 30, tzinfo=AMSTERDAM))
    _termijn(staff, f["g"], date(2026, 11, 30))
    _termijn(staff, f["h"], date(2027, 5, 1))
    _termijn(staff, f["i"], date(2029, 1, 1))
    _voldaan(staff, f["i"], datetime(2026, 3, 1, 9, tzinfo=AMSTERDAM))


@pytest.mark.django_db
def test_timeliness_per_cohort_is_counted_by_hand(timeliness: None, actor: Callable[..., Actor]) -> None:
    rows = {row.year: row for row in cohort_table(actor("bram"), Filters(), today=AS_OF)}
    assert sorted(rows) == [2024, 2025]
    r = rows[2025]
    assert (r.pip_counted, r.pip_on_time, r.pip_on_time_percent) == (3, 1, 33)
    assert (r.voldaan_counted, r.voldaan_on_time, r.voldaan_on_time_percent) == (4, 2, 50)
    r = rows[2024]
    assert (r.pip_counted, r.pip_on_time, r.pip_on_time_percent) == (1, 1, 100)
    assert (r.voldaan_counted, r.voldaan_on_time, r.voldaan_on_time_percent) == (0, 0, None)


@pytest.mark.django_db
def test_timeliness_in_the_table_csv_and_api(
    timeliness: None, login: Callable[..., Client], api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in ("views", "api"):
        monkeypatch.setattr(f"openinburgering.monitoring.{module}.today", lambda: AS_OF)
    html = login("bram").get("/monitoring/").content.decode()
    cells = [" ".join(c.split()) for c in re.findall(r'data-rate="\w+">([^<]*)</td>', html)]
    assert cells == ["33% (1 van 3)", "50% (2 van 4)", "100% (1 van 1)", "nog niets te tellen"]
    text = login("bram").get("/monitoring/export/cohorten.csv").content.decode("utf-8-sig")
    rows = {row["cohort"]: row for row in csv.DictReader(io.StringIO(text), delimiter=";")}
    assert [rows["2025"][k] for k in ("pip_geteld", "pip_op_tijd", "pip_op_tijd_procent", "voldaan_geteld",
                                      "voldaan_binnen_termijn", "voldaan_binnen_termijn_procent")] == [
        "3", "1", "33", "4", "2", "50"]  # fmt: skip
    assert rows["2024"]["voldaan_binnen_termijn_procent"] == ""
    body = {row["year"]: row for row in api("bram").get("/api/v1/monitoring/cohorts").json()}
    assert {k: body[2025][k] for k in ("pip_counted", "pip_on_time", "pip_on_time_percent", "voldaan_counted",
                                       "voldaan_on_time", "voldaan_on_time_percent")} == {
        "pip_counted": 3, "pip_on_time": 1, "pip_on_time_percent": 33, "voldaan_counted": 4, "voldaan_on_time": 2,
        "voldaan_on_time_percent": 50}  # fmt: skip
    assert body[2024]["voldaan_on_time_percent"] is None
