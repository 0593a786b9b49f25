"""The monitoring dashboard's charts in a browser (#11 item 11): every chart has a visible title and a legend,
a long contract name is not cut off by the chart's edge, the page reflows at 320 px and axe is clean."""

# ruff: noqa: F811 -- the fixture imported below by name is a parameter of these tests

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.monitoring.conftest import Figures, figures  # noqa: F401 -- the hand-computed monitoring fixture

from .conftest import assert_accessible
from .test_journeys import LogIn, assert_reflows, url

LONG_PROVIDER = "Taalcentrum Zuid-Kennemerland en IJmond"


def test_charts_have_titles_and_legends_and_no_label_runs_off(
    page: Page, small_page: Page, log_in: LogIn, live_server: Any, figures: Figures
) -> None:
    figures.regional_provider.name = LONG_PROVIDER
    figures.regional_provider.save()
    log_in(page, "carla")
    page.goto(url(live_server, "monitoring:dashboard"))
    captions = page.locator("figure.app-chart-figure figcaption").all_inner_texts()
    assert captions == [
        "Uren per contract: gecontracteerd, aangeboden en aanwezig",
        "Per cohort: gestart, in traject en voldaan",
        "Per cohort na de inburgering: aan het werk, in onderwijs en participatie",
        "Per cohort: PIP op tijd en voldaan binnen de termijn (procent)",
    ]
    assert page.get_by_role("list", name="Legenda").count() == 4
    # Every text in every chart ends inside its SVG (before: "Zuid-Kennemerla" was cut off at the edge).
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll("svg.app-chart")].flatMap(svg => {
            const right = svg.getBoundingClientRect().right;
            return [...svg.querySelectorAll("text")]
                .filter(t => t.getBoundingClientRect().right > right + 0.5).map(t => t.textContent);
        })"""
    )
    assert overflowing == []
    assert_accessible(page)
    page.screenshot(path="/tmp/e2e-monitoring-1280.png", full_page=True)

    log_in(small_page, "carla")
    small_page.goto(url(live_server, "monitoring:dashboard"))
    assert_reflows(small_page)
    assert_accessible(small_page)
    small_page.screenshot(path="/tmp/e2e-monitoring-320.png", full_page=True)
