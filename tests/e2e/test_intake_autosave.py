"""Browser test for issue #11 item 3: the notice "niet-opgeslagen tekst teruggezet" on a brede intake step shows
only when this browser holds a draft of that step. It used to show on every step, also in a fresh browser: the
`hidden` attribute lost to the alert's own `display` rule in the CSS. axe reports zero violations."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from playwright.sync_api import Page

from openinburgering.intakes import services

from .conftest import assert_accessible
from .test_journeys import LogIn, heading

NOTICE = "Let op: niet-opgeslagen tekst teruggezet."


def test_restore_notice_shows_only_when_a_draft_exists(
    page: Page, log_in: LogIn, live_server: Any, make_file: Any, actor: Any
) -> None:
    client_file = make_file(assigned_to="kim")
    intake = services.start_intake(actor=actor("kim"), client_file=client_file, person_id=client_file.person_id)
    step = reverse(
        "intakes:leefgebied", kwargs={"file_id": client_file.pk, "intake_id": intake.pk, "code": "werk_inkomen"}
    )

    log_in(page, "kim")
    page.goto(live_server.url + step)
    assert heading(page) == "Werk en inkomen"
    notice = page.locator("#autosave-notice")
    # A fresh browser: nothing stored, so no notice (neither seen nor read out).
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('oi-autosave:'))") == []
    assert notice.is_hidden()
    assert notice.evaluate("el => getComputedStyle(el).display") == "none"
    assert page.get_by_text(NOTICE).count() == 1  # in the page, but hidden
    assert_accessible(page)

    # Type without saving, then reload: the text comes back and the notice says so.
    page.get_by_label("Wat ziet u?").fill("Zoekt werk in de bouw.")
    page.reload()
    page.wait_for_load_state()
    assert page.get_by_label("Wat ziet u?").input_value() == "Zoekt werk in de bouw."
    assert notice.is_visible()
    assert notice.inner_text().startswith(NOTICE)
    assert_accessible(page)

    # Another step of the same intake has no draft: no notice there.
    other = reverse(
        "intakes:leefgebied", kwargs={"file_id": client_file.pk, "intake_id": intake.pk, "code": "huisvesting"}
    )
    page.goto(live_server.url + other)
    assert heading(page) == "Huisvesting"
    assert page.locator("#autosave-notice").is_hidden()
