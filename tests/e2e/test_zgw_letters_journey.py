"""Browser journey (#17, done-when): tamara approves a PIP in the browser; the real worker publishes the Zaak, its
Statussen, the Besluit and the beschikking as a document on the loopback zaaksysteem (checked there, every request
and response validated against the official ZGW specifications); kim records the beschikking as sent by post in a
print batch, and the file page shows the bezwaar term running from that send date (rules.bezwaar_termijn)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from openinburgering import rules
from openinburgering.accounts.models import Gemeente
from openinburgering.clients.services import change_status
from openinburgering.core.dates import today
from openinburgering.core.jobs import run_queued_jobs
from openinburgering.interop.models import OutboxMessage, OutboxState
from openinburgering.letters.models import LetterDispatch
from openinburgering.plans import services as plan_services
from openinburgering.plans.models import PipVersion
from tests.conftest import actor_for
from tests.interop.zgw_server import BESLUITTYPEN, STATUSTYPEN, ZgwServer, connect_zgw
from tests.plans.conftest import AGREEMENT, GOOD

from .conftest import assert_accessible

pytestmark = pytest.mark.e2e


@pytest.fixture
def loopback_zaaksysteem() -> Iterator[ZgwServer]:
    server = ZgwServer()
    server.start()
    yield server
    server.stop()


def submitted_pip(make_file: Any, staff: Any) -> PipVersion:
    """A file in status pip with a version ter goedkeuring, drafted by kim (tamara approves: four eyes)."""
    client_file = make_file(assigned_to="kim")
    kim = actor_for(staff["kim"])
    change_status(actor=kim, client_file=client_file, to_status="intake", reason="Oproep")
    change_status(actor=kim, client_file=client_file, to_status="pip", reason="Intake klaar")
    client_file.refresh_from_db()
    version = plan_services.create_draft(actor=kim, client_file=client_file)
    version = plan_services.update_draft(
        actor=kim, client_file=client_file, version=version, data=GOOD, agreements=[AGREEMENT]
    )
    return plan_services.submit(actor=kim, client_file=client_file, version=version)


def press(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def test_approved_pip_reaches_the_zaaksysteem_and_the_bezwaar_term_runs_from_sending(
    page: Page, live_server: Any, log_in: Any, make_file: Any, staff: Any, loopback_zaaksysteem: ZgwServer
) -> None:
    server = loopback_zaaksysteem
    page.set_default_timeout(60_000)  # approval renders the beschikking PDF: slow on a shared machine
    connect_zgw(Gemeente.objects.get(code="GM0392"), server)
    version = submitted_pip(make_file, staff)
    client_file = version.client_file
    run_queued_jobs()  # what the registration and the status changes queued so far

    # tamara approves in the browser.
    log_in(page, "tamara")
    page.goto(live_server.url + reverse("plans:version", kwargs={"file_id": client_file.pk, "version_id": version.pk}))
    assert_accessible(page)
    press(page, "Goedkeuren en vaststellen")
    assert "Het PIP is goedgekeurd en vastgesteld" in page.get_by_role("status").first.inner_text()
    version.refresh_from_db()

    # The worker (django-tasks-db, as `make run` starts it) delivers the outbox.
    run_queued_jobs()
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxState.SENT}
    assert server.spec_errors == []
    [zaak] = server.created("zaken")
    assert zaak["identificatie"] == f"OI-{client_file.pk}"
    assert server.created("statussen")[-1]["statustype"] == STATUSTYPEN["in_traject"]
    [besluit] = server.created("besluiten")
    assert besluit["besluittype"] == BESLUITTYPEN["pip"]
    assert besluit["zaak"] == zaak["url"]
    documents = server.created("enkelvoudiginformatieobjecten")
    assert [d["identificatie"] for d in documents] == [f"OI-BRIEF-{version.beschikking_letter_id}"]
    [link] = server.created("besluitinformatieobjecten")
    assert link["informatieobject"] == documents[0]["url"]

    # kim sends the beschikking by post, in a print batch that goes to the post in two days.
    page.context.clear_cookies()
    log_in(page, "kim")
    page.goto(live_server.url + reverse("letter-sending:unsent"))
    assert page.get_by_role("heading", level=1).inner_text() == "Brieven die nog niet verstuurd zijn"
    assert_accessible(page)
    letter = version.beschikking_letter
    assert letter is not None
    page.get_by_label(f"Per post: {letter.title}").check()
    sent_on = today() + timedelta(days=2)
    page.get_by_label("Gaat op de post op").fill(sent_on.isoformat())
    press(page, "Printbatch maken")
    assert re.match(r"Printbatch \d+", page.get_by_role("heading", level=1).inner_text())
    assert_accessible(page)
    dispatch = LetterDispatch.objects.get(letter=letter)
    assert (dispatch.channel, dispatch.sent_on) == ("post", sent_on)

    # The file page: sent on that day, and the bezwaar term from the send date (not from the dagtekening).
    page.goto(live_server.url + reverse("clients:detail", kwargs={"file_id": client_file.pk}))
    letters = page.locator("#brieven").inner_text()
    until = rules.bezwaar_termijn(bekendgemaakt_on=sent_on).term_ends_on
    assert f"Bezwaar kan tot en met {until:%d-%m-%Y}" in letters
    assert until != rules.bezwaar_termijn(bekendgemaakt_on=version.dagtekening_on).term_ends_on
    assert_accessible(page)
