"""Need to know in the browser (#12 item 1): the financieel consulent opens a demo file whose brede intake holds
health answers. The file page shows no intake, PIP or letters block and no link to them, nothing about health; the
intake page answers 404. The klantregisseur on the same file does see the blocks (so the test can fail). axe reports
zero violations on every page visited."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from openinburgering.clients.access import has_consent
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.demo.loader import load_demo
from openinburgering.intakes.models import Intake, LeefgebiedAssessment

from .conftest import assert_accessible
from .test_journeys import LogIn, heading, url

SCREENSHOT = "/tmp/e2e-health-frank.png"
HEALTH_FINDING = "Geen bijzonderheden genoemd."  # the demo's gezondheid finding (demo/stages.FINDINGS)


def test_the_financieel_consulent_sees_no_intake_pip_or_letters_and_no_health(
    page: Page, log_in: LogIn, live_server: Any, staff: Any
) -> None:
    load_demo(today=today())
    assessment = (
        LeefgebiedAssessment.objects.filter(
            leefgebied="gezondheid", finding=HEALTH_FINDING, intake__client_file__gemeente__code="GM0392",
            intake__client_file__status="in_traject",
        )
        .select_related("intake__client_file__person")
        .order_by("id")
        .first()
    )  # fmt: skip
    assert assessment is not None
    client_file: ClientFile = assessment.intake.client_file
    intake: Intake = assessment.intake
    assert has_consent(client_file, "gezondheid") is True  # the health answers would show to the klantregisseur
    file_url = url(live_server, "clients:detail", file_id=client_file.pk)
    intake_url = url(live_server, "intakes:intake-detail", file_id=client_file.pk, intake_id=intake.pk)

    log_in(page, "kim")
    page.goto(intake_url)
    assert HEALTH_FINDING in page.locator("main").inner_text()
    page.goto(file_url)
    for block in ("#intake", "#pip", "#brieven"):
        assert page.locator(block).count() == 1, block

    page.context.clear_cookies()
    log_in(page, "frank")
    page.goto(file_url)
    assert heading(page) == client_file.person.full_name
    for block in ("#intake", "#pip", "#brieven"):
        assert page.locator(block).count() == 0, block
    hrefs = page.locator("main a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    prefix = f"/dossiers/{client_file.pk}/"
    for part in ("intake/", "pip/", "brieven/"):
        assert [href for href in hrefs if href.startswith(prefix + part) or href == "#" + part.rstrip("/")] == [], part
    text = page.locator("main").inner_text()
    assert HEALTH_FINDING not in text
    assert "Gezondheid" not in text
    assert_accessible(page)
    page.screenshot(path=SCREENSHOT, full_page=True)

    response = page.goto(intake_url)
    assert response is not None
    assert response.status == 404
    assert HEALTH_FINDING not in page.content()
    assert_accessible(page)
